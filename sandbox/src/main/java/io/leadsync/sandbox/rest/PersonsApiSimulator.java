package io.leadsync.sandbox.rest;

import io.leadsync.sandbox.SandboxData;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Pipedrive-style persons API (v1): {@code GET /v1/persons?api_token=&start=&limit=&since_timestamp=} answering
 * {@code {success, data:[...], additional_data:{pagination:{start, limit, more_items_in_collection, next_start}}}}.
 * Times have second precision ({@code update_time: "2026-11-20 10:00:00"}, UTC), so records often share one. Emails
 * and phones are lists of {@code {label, value, primary}}; the owner is an object. A wrong token answers 401
 * {@code {success:false, error:"unauthorized access", errorCode:401}}; limits above 500 answer 400.
 */
public final class PersonsApiSimulator extends SimpleHttpSimulator {
    public static final String TOKEN = "pd-sandbox-token";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final TreeMap<Long, Map<String, Object>> persons = new TreeMap<>();
    private long nextId = 1;

    public PersonsApiSimulator(int port, Clock clock) {
        super(port, "persons-api");
        this.clock = clock;
    }

    public static PersonsApiSimulator start() {
        return new PersonsApiSimulator(0, Clock.systemUTC());
    }

    /** Loads the first {@code count} generated contacts as persons, keeping their own modification times. */
    public synchronized void seed(SandboxData data, int count) {
        for (SandboxData.GeneratedContact contact : data.contacts().subList(0, Math.min(count, data.contacts().size()))) {
            Map<String, String> p = contact.properties();
            insert(p.get("firstname"), p.get("lastname"), p.get("email"), p.getOrDefault("phone", p.get("mobilephone")),
                    p.get("company"), p.get("jobtitle"), contact.createdAt(), contact.updatedAt());
        }
    }

    /** Adds a person; returns its id. */
    public synchronized long insert(String first, String last, String email, String phone, String org, String jobTitle,
                                    Instant added, Instant updated) {
        long id = nextId++;
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("id", id);
        person.put("name", ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip());
        person.put("first_name", first);
        person.put("last_name", last);
        person.put("email", email == null ? List.of() : List.of(Map.of("label", "work", "value", email.strip(),
                "primary", true)));
        person.put("phone", phone == null ? List.of() : List.of(Map.of("label", "work", "value", phone, "primary", true)));
        person.put("org_name", org);
        person.put("job_title", jobTitle);
        person.put("owner_id", Map.of("id", 7001 + (id % 3), "name", "Owner " + (id % 3)));
        person.put("label", id % 4 == 0 ? "Hot lead" : null);
        person.put("add_time", TIME.format(added));
        person.put("update_time", TIME.format(updated.truncatedTo(ChronoUnit.SECONDS)));
        persons.put(id, person);
        return id;
    }

    /** Edits a person as a user would: the update time moves to now. */
    public synchronized void update(long id, Map<String, Object> changes) {
        Map<String, Object> person = persons.get(id);
        if (person == null) {
            throw new IllegalArgumentException("no person " + id);
        }
        person.putAll(changes);
        person.put("update_time", TIME.format(clock.instant()));
    }

    public synchronized int size() {
        return persons.size();
    }

    @Override
    synchronized Answer answer(String method, String path, Map<String, String> query, Map<String, String> headers) {
        if (!TOKEN.equals(query.get("api_token"))) {
            return unauthorized();
        }
        if (!"/v1/persons".equals(path)) {
            return new Answer(404, Map.of("success", false, "error", "Unknown method .", "errorCode", 404), Map.of());
        }
        if (!"GET".equals(method)) {
            return new Answer(405, Map.of("success", false, "error", "Method not allowed", "errorCode", 405), Map.of());
        }
        int start = intParam(query, "start", 0);
        int limit = intParam(query, "limit", 100);
        if (start < 0 || limit < 1 || limit > 500) {
            return new Answer(400, Map.of("success", false, "error", "limit must be between 1 and 500, start >= 0",
                    "errorCode", 400), Map.of());
        }
        String since = query.get("since_timestamp");
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> person : persons.values()) {
            if (since == null || ((String) person.get("update_time")).compareTo(since) >= 0) {
                matching.add(person);
            }
        }
        if ("update_time ASC".equals(query.get("sort"))) {
            matching.sort(Comparator.comparing((Map<String, Object> p) -> (String) p.get("update_time"))
                    .thenComparing(p -> (Long) p.get("id")));
        }
        List<Map<String, Object>> page = matching.subList(Math.min(start, matching.size()),
                Math.min(start + limit, matching.size()));
        boolean more = start + limit < matching.size();
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("start", start);
        pagination.put("limit", limit);
        pagination.put("more_items_in_collection", more);
        if (more) {
            pagination.put("next_start", start + limit);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", page.isEmpty() ? null : List.copyOf(page));
        body.put("additional_data", Map.of("pagination", pagination));
        return Answer.ok(body);
    }

    @Override
    Answer unauthorized() {
        return new Answer(401, Map.of("success", false, "error", "unauthorized access", "errorCode", 401), Map.of());
    }

    @Override
    Object rateLimitBody() {
        return Map.of("success", false, "error", "Request over limit", "errorCode", 429);
    }

    @Override
    Object errorBody(int status, String message) {
        return Map.of("success", false, "error", message, "errorCode", status);
    }
}
