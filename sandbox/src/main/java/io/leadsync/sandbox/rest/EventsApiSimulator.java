package io.leadsync.sandbox.rest;

import io.leadsync.sandbox.SandboxData;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.nio.charset.StandardCharsets;

/**
 * A Segment/Intercom-style events API: {@code GET /v1/events?since=<ISO>&limit=&cursor=} with a bearer token,
 * answering {@code {events:[{messageId, type, event, userId, timestamp, context:{traits:{email}}, properties}],
 * next}} where {@code next} is an opaque cursor, null on the last page. Events are immutable and ordered by
 * timestamp. A wrong token answers 401 {@code {error:"unauthorized", message}}.
 */
public final class EventsApiSimulator extends SimpleHttpSimulator {
    public static final String TOKEN = "events-sandbox-token";
    private static final String[][] EVENTS = {{"Viewed Pricing", "/pricing"}, {"Viewed Page", "/blog/lead-scoring"},
        {"Viewed Case Study", "/customers/acme"}, {"Requested Demo", "/demo"}, {"Downloaded Ebook", "/ebook"},
        {"API Call", "/api/v2/contacts"}, {"Signed Up", "/signup"}};

    private final List<Map<String, Object>> events = new ArrayList<>();

    public EventsApiSimulator(int port) {
        super(port, "events-api");
    }

    public static EventsApiSimulator start() {
        return new EventsApiSimulator(0);
    }

    /**
     * Generates product and web events for the first {@code count} generated contacts with an email, in the 30 days
     * before {@code now}, deterministically by {@code seed}.
     */
    public synchronized void seed(SandboxData data, int count, long seed, Instant now) {
        SplittableRandom random = new SplittableRandom(seed);
        int people = 0;
        for (SandboxData.GeneratedContact contact : data.contacts()) {
            String email = contact.properties().get("email");
            if (email == null || people++ >= count) {
                continue;
            }
            int n = random.nextInt(100) < 70 ? random.nextInt(3) : 3 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                String[] event = EVENTS[random.nextInt(EVENTS.length)];
                add("user-" + Integer.toHexString(email.strip().toLowerCase().hashCode()), email.strip(), event[0],
                        now.minus(Duration.ofMinutes(random.nextLong(60L * 24 * 30))), Map.of("url", event[1]));
            }
        }
        events.sort((a, b) -> ((String) a.get("timestamp")).compareTo((String) b.get("timestamp")));
    }

    /** Adds one event; returns its id. */
    public synchronized String add(String userId, String email, String event, Instant at, Map<String, Object> properties) {
        String id = "msg-" + (events.size() + 1);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("messageId", id);
        record.put("type", "track");
        record.put("event", event);
        record.put("userId", userId);
        record.put("timestamp", at.toString());
        record.put("context", Map.of("traits", email == null ? Map.of() : Map.of("email", email)));
        record.put("properties", properties);
        events.add(record);
        events.sort((a, b) -> ((String) a.get("timestamp")).compareTo((String) b.get("timestamp")));
        return id;
    }

    public synchronized int size() {
        return events.size();
    }

    @Override
    synchronized Answer answer(String method, String path, Map<String, String> query, Map<String, String> headers) {
        if (!("Bearer " + TOKEN).equals(headers.get("authorization"))) {
            return unauthorized();
        }
        if (!"/v1/events".equals(path) || !"GET".equals(method)) {
            return new Answer(404, Map.of("error", "not_found", "message", "No route " + method + " " + path), Map.of());
        }
        int limit = intParam(query, "limit", 50);
        if (limit < 1 || limit > 1000) {
            return new Answer(400, Map.of("error", "invalid_request", "message", "limit must be between 1 and 1000"),
                    Map.of());
        }
        int position = 0;
        if (query.containsKey("cursor")) {
            try {
                position = Integer.parseInt(new String(Base64.getUrlDecoder().decode(query.get("cursor")),
                        StandardCharsets.UTF_8).replace("pos:", ""));
            } catch (IllegalArgumentException e) {
                return new Answer(400, Map.of("error", "invalid_cursor", "message", "cursor is not valid"), Map.of());
            }
        }
        String since = query.get("since");
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> event : events) {
            if (since == null || Instant.parse((String) event.get("timestamp")).compareTo(Instant.parse(since)) >= 0) {
                matching.add(event);
            }
        }
        int end = Math.min(position + limit, matching.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", List.copyOf(matching.subList(Math.min(position, matching.size()), end)));
        body.put("next", end < matching.size() ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("pos:" + end).getBytes(StandardCharsets.UTF_8)) : null);
        return Answer.ok(body);
    }

    @Override
    Answer unauthorized() {
        return new Answer(401, Map.of("error", "unauthorized", "message", "Invalid or missing bearer token"), Map.of());
    }

    @Override
    Object rateLimitBody() {
        return Map.of("error", "rate_limited", "message", "Too many requests");
    }

    @Override
    Object errorBody(int status, String message) {
        return Map.of("error", status == 503 ? "service_unavailable" : "internal_error", "message", message);
    }
}
