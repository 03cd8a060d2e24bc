package io.leadsync.sandbox.mixpanel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.leadsync.sandbox.SandboxData;
import io.leadsync.sandbox.faults.FaultInjector;
import io.leadsync.sandbox.faults.FaultKind;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.faults.PartialBatch;
import io.leadsync.sandbox.faults.RequestClass;
import io.leadsync.sandbox.faults.SimulatorServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Mixpanel, faithful to its export and engage APIs ({@code shared/refs/apis/mixpanel/}):
 * <ul>
 *   <li>{@code GET /api/2.0/export?project_id=&from_date=&to_date=[&event=][&limit=][&time_in_ms=]}: JSONL
 *       ({@code text/plain}), one {@code {"event", "properties":{"time", "distinct_id", "$insert_id", ...}}} a line,
 *       dates inclusive (UTC), streamed; events are either added one by one or generated per day, deterministically
 *       by seed, so an export of millions costs the simulator no memory. About 0.5% of generated lines repeat the
 *       line before (same {@code $insert_id}), as raw exports do.</li>
 *   <li>{@code POST /api/query/engage?project_id=} (form: {@code where}, {@code output_properties},
 *       {@code session_id}, {@code page}): {@code {page, page_size, session_id, total, results:[{"$distinct_id",
 *       "$properties"}]}}; a page above 0 needs the session id; {@code where} supports
 *       {@code properties["$last_seen"] >= "<ISO time>"}, {@code <=}, or both joined by {@code and} (a profile
 *       without {@code $last_seen} matches no bound).</li>
 * </ul>
 * Service-account Basic auth; a missing {@code project_id}, a bad date, or an unknown session answer 400
 * {@code {"error": ..., "status": "error"}}; wrong credentials 401; limits (export 3/s and 60/h, query 60/h) 429
 * with Mixpanel's body {@code {"request": "<path>?<query>", "error": "Query rate limit exceeded for project_id: ..."}}
 * and no {@code Retry-After}.
 *
 * <p>Faults are injected through {@link #faults()} or the control endpoint {@code /_sandbox/faults} (see
 * {@link SimulatorServer}); a {@link FaultKind#TRUNCATED} fault cuts the export's JSONL stream mid-line.
 * {@link FaultKind#EXPIRE_TOKEN} and {@link FaultKind#PARTIAL_BATCH} do not apply (service accounts do not expire,
 * nothing is written).
 */
public final class MixpanelSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MixpanelSimulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The {@code where} filters the simulator understands: {@code $last_seen} from, until or between. */
    private static final Pattern LAST_SEEN = Pattern.compile(
            "properties\\[\"\\$last_seen\"]\\s*(>=|<=)\\s*\"([^\"]+)\"");
    public static final String USER = "leadsync-sa.mp-service-account";
    public static final String SECRET = "mp-sandbox-secret";
    public static final String PROJECT = "2195193";
    static final String[] EVENTS = {"Viewed Pricing", "Viewed Page", "API Call", "Feature Used", "Requested Demo",
        "Signed Up", "Invited Teammate", "Viewed Docs"};

    /**
     * @param exportPerSecond  export queries a second (3); 0 is off
     * @param exportPerHour    export queries an hour (60); 0 is off
     * @param queryPerHour     engage queries an hour (60); 0 is off
     * @param engagePageSize   profiles a page (1,000)
     */
    public record Options(int port, int exportPerSecond, int exportPerHour, int queryPerHour, int engagePageSize,
                          Clock clock) {
        public static Options defaults() {
            return new Options(0, 3, 60, 60, 1000, Clock.systemUTC());
        }

        public Options withoutRateLimits() {
            return new Options(port, 0, 0, 0, engagePageSize, clock);
        }

        public Options withPort(int value) {
            return new Options(value, exportPerSecond, exportPerHour, queryPerHour, engagePageSize, clock);
        }

        public Options withEngagePageSize(int value) {
            return new Options(port, exportPerSecond, exportPerHour, queryPerHour, value, clock);
        }

        public Options withClock(Clock value) {
            return new Options(port, exportPerSecond, exportPerHour, queryPerHour, engagePageSize, value);
        }
    }

    /** Events generated for every day: {@code perDay} events of {@code people} profiles, by {@code seed}. */
    private record Generated(int perDay, int people, long seed) {
    }

    private final Options options;
    private final SimulatorServer server;
    private final List<ObjectNode> events = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> profiles = new CopyOnWriteArrayList<>();
    private final Map<String, List<Map<String, Object>>> sessions = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Long> exportTimes = new ArrayList<>();
    private final List<Long> queryTimes = new ArrayList<>();
    private volatile Generated generated;
    /** Generated events after this instant never appear (a project gone quiet); null: they appear as time passes. */
    private volatile Instant quietFrom;

    private MixpanelSimulator(Options options) {
        this.options = options;
        this.server = SimulatorServer.start("mixpanel", options.port(), 4, new Vendor());
    }

    public static MixpanelSimulator start(Options options) {
        return new MixpanelSimulator(options);
    }

    public static MixpanelSimulator start() {
        return start(Options.defaults());
    }

    public URI baseUrl() {
        return server.baseUrl();
    }

    /** {@code <base>/_sandbox}: the control endpoint (faults and counters over HTTP, no credentials needed). */
    public URI controlUrl() {
        return server.controlUrl();
    }

    /** The faults this simulator injects and its counters; the control endpoint changes the same ones. */
    public FaultInjector faults() {
        return server.faults();
    }

    /** {@code <base>/api/2.0}: where the export API lives. */
    public URI exportUrl() {
        return URI.create(baseUrl() + "/api/2.0");
    }

    /** {@code <base>/api/query}: where the query (engage) API lives. */
    public URI queryUrl() {
        return URI.create(baseUrl() + "/api/query");
    }

    // ---------------------------------------------------------------- data

    /** A profile per generated contact with an email (the first {@code count}); distinct ids {@code u-<n>}. */
    public void seedProfiles(SandboxData data, int count, Instant lastSeen) {
        int n = 0;
        for (SandboxData.GeneratedContact contact : data.contacts()) {
            String email = contact.properties().get("email");
            if (email == null || n >= count) {
                continue;
            }
            addProfile("u-" + n, email.strip(), contact.properties().get("firstname"),
                    contact.properties().get("lastname"), contact.createdAt(), lastSeen.minusSeconds(n * 37L % 86_400));
            n++;
        }
    }

    public void addProfile(String distinctId, String email, String firstName, String lastName, Instant created,
                           Instant lastSeen) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("$email", email);
        properties.put("$first_name", firstName);
        properties.put("$last_name", lastName);
        properties.put("$created", created.toString().substring(0, 19));
        properties.put("$last_seen", lastSeen.toString().substring(0, 19));
        properties.put("plan", distinctId.hashCode() % 3 == 0 ? "team" : "free");
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("$distinct_id", distinctId);
        profile.put("$properties", properties);
        profiles.add(profile);
    }

    /** Adds one event; {@code insertId} null leaves it without one (older SDKs). */
    public void addEvent(String event, String distinctId, Instant time, String insertId, Map<String, Object> extra) {
        ObjectNode line = JSON.createObjectNode();
        line.put("event", event);
        ObjectNode properties = line.putObject("properties");
        properties.put("time", time.getEpochSecond());
        properties.put("distinct_id", distinctId);
        if (insertId != null) {
            properties.put("$insert_id", insertId);
        }
        // processed as it is added (an event added with a past time arrived late), never before its time
        properties.put("mp_processing_time_ms", Math.max(time.toEpochMilli(), options.clock().millis()) + 1500);
        extra.forEach((name, value) -> properties.putPOJO(name, value));
        events.add(line);
    }

    /** Adds a raw line as the export will send it (for malformed-data tests). */
    public void addRawLine(String line, Instant day) {
        ObjectNode holder = JSON.createObjectNode();
        holder.put("__raw", line);
        holder.put("__day", day.toString());
        events.add(holder);
    }

    /** From now on, every day holds {@code perDay} generated events of {@code people} profiles (u-0..). */
    public void generateDaily(int perDay, int people, long seed) {
        generated = new Generated(perDay, people, seed);
    }

    /**
     * Stops the generated events at an instant: those after it never appear, so that a sync after it finds nothing
     * new (a benchmark's "nothing changed"). The rate limits still follow the clock.
     */
    public void quietFrom(Instant instant) {
        quietFrom = instant;
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    // ---------------------------------------------------------------- HTTP

    /** Mixpanel's answers, and its shape of the faults that have one. */
    private final class Vendor implements SimulatorServer.Vendor {
        @Override
        public void handle(HttpExchange exchange, PartialBatch batch) {
            MixpanelSimulator.this.handle(exchange);
        }

        @Override
        public SimulatorServer.Answer rateLimited(FaultRule rule, SimulatorServer.VendorRequest request) {
            boolean export = request.path().startsWith("/api/2.0/export");
            return SimulatorServer.Answer.json(429, rateLimitBody(request.path(), request.rawQuery(),
                    "1/" + (export ? 100 : 5) + " queries running concurrently and 61/60 queries running in the last"
                            + " hour."));
        }

        @Override
        public SimulatorServer.Answer serverError(int status, FaultRule rule, SimulatorServer.VendorRequest request) {
            return SimulatorServer.Answer.json(status, Map.of("error", switch (status) {
                case 502 -> "Bad Gateway";
                case 503 -> "Service Unavailable";
                case 504 -> "Gateway Timeout";
                default -> "Internal Server Error";
            }, "status", "error"));
        }

        @Override
        public RequestClass classify(SimulatorServer.VendorRequest request) {
            return RequestClass.READ;
        }

        @Override
        public void validate(FaultRule rule) {
            if (rule.kind() == FaultKind.EXPIRE_TOKEN || rule.kind() == FaultKind.PARTIAL_BATCH) {
                throw new IllegalArgumentException(rule.kind() + " does not apply to Mixpanel: its service accounts"
                        + " do not expire and nothing is written to it");
            }
            if (rule.kind() == FaultKind.RATE_LIMIT && rule.params().containsKey("policy")) {
                throw new IllegalArgumentException("Mixpanel's 429 has no policy; leave 'policy' out");
            }
        }

        @Override
        public void answered(SimulatorServer.VendorRequest request, int status) {
            requests.add(request.method() + " " + request.path() + "?" + request.rawQuery());
        }
    }

    /**
     * Mixpanel's 429 body as its query and export APIs send it (no {@code Retry-After}):
     * {@code {"request": "/api/2.0/export?...", "error": "Query rate limit exceeded for project_id: ..."}}.
     */
    private static Map<String, Object> rateLimitBody(String path, String rawQuery, String usage) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request", path + (rawQuery == null ? "" : "?" + rawQuery));
        body.put("error", "Query rate limit exceeded for project_id: " + PROJECT + ". " + usage + " For more"
                + " information, please consult our documentation at"
                + " https://developer.mixpanel.com/reference/rate-limits");
        return body;
    }

    private void handle(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Map<String, String> query = params(rawQuery);
        try {
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                error(exchange, 401, "Unable to authenticate request");
                return;
            }
            if ("/api/2.0/export".equals(path) && "GET".equals(method)) {
                if (!admit(exportTimes, options.exportPerSecond(), options.exportPerHour())) {
                    send(exchange, 429, rateLimitBody(path, rawQuery, "1/100 queries running concurrently, more"
                            + " than " + options.exportPerSecond() + " in the last second or "
                            + options.exportPerHour() + " in the last hour."));
                    return;
                }
                export(exchange, query);
            } else if ("/api/query/engage".equals(path) && "POST".equals(method)) {
                if (!admit(queryTimes, 0, options.queryPerHour())) {
                    send(exchange, 429, rateLimitBody(path, rawQuery, (options.queryPerHour() + 1) + "/"
                            + options.queryPerHour() + " queries running in the last hour."));
                    return;
                }
                String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, String> fields = params(form);
                fields.putAll(query);
                engage(exchange, fields);
            } else {
                error(exchange, 404, "Unknown endpoint " + method + " " + path);
            }
        } catch (IOException e) {
            LOG.debug("client went away during {} {}", method, path);
        } catch (RuntimeException e) {
            LOG.error("Mixpanel simulator failed on {} {}", method, path, e);
            try {
                error(exchange, 500, "internal error: " + e);
            } catch (IOException ignored) {
                // the client went away
            }
        } finally {
            exchange.close();
        }
    }

    private boolean authorized(String header) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + SECRET)
                .getBytes(StandardCharsets.UTF_8));
        return expected.equals(header);
    }

    private synchronized boolean admit(List<Long> times, int perSecond, int perHour) {
        long now = options.clock().millis();
        times.removeIf(t -> t < now - 3_600_000);
        if (perHour > 0 && times.size() >= perHour) {
            return false;
        }
        if (perSecond > 0 && times.stream().filter(t -> t > now - 1000).count() >= perSecond) {
            return false;
        }
        times.add(now);
        return true;
    }

    private void export(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (!PROJECT.equals(query.get("project_id"))) {
            error(exchange, 400, query.containsKey("project_id") ? "Project " + query.get("project_id")
                    + " does not exist or the service account may not read it" : "'project_id' is required");
            return;
        }
        LocalDate from;
        LocalDate to;
        try {
            from = LocalDate.parse(query.getOrDefault("from_date", ""));
            to = LocalDate.parse(query.getOrDefault("to_date", ""));
        } catch (DateTimeParseException e) {
            error(exchange, 400, "'from_date' and 'to_date' must be dates in yyyy-mm-dd format");
            return;
        }
        LocalDate today = LocalDate.ofInstant(options.clock().instant(), ZoneOffset.UTC);
        if (to.isBefore(from)) {
            error(exchange, 400, "'to_date' cannot be before 'from_date'");
            return;
        }
        if (from.isAfter(today)) {
            error(exchange, 400, "'from_date' cannot be later than today");
            return;
        }
        boolean millis = "true".equals(query.get("time_in_ms"));
        long limit = query.containsKey("limit") ? Long.parseLong(query.get("limit")) : Long.MAX_VALUE;
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        long written = 0;
        try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 1 << 16)) {
            for (LocalDate day = from; !day.isAfter(to) && !day.isAfter(today) && written < limit; day = day.plusDays(1)) {
                for (ObjectNode event : events) {
                    if (written >= limit) {
                        break;
                    }
                    if (event.has("__raw")) {
                        if (LocalDate.ofInstant(Instant.parse(event.get("__day").asText()), ZoneOffset.UTC).equals(day)) {
                            out.write((event.get("__raw").asText() + "\n").getBytes(StandardCharsets.UTF_8));
                            written++;
                        }
                        continue;
                    }
                    long time = event.path("properties").path("time").asLong();
                    if (LocalDate.ofInstant(Instant.ofEpochSecond(time), ZoneOffset.UTC).equals(day)) {
                        out.write(line(event, millis));
                        written++;
                    }
                }
                written += writeGenerated(out, day, millis, limit - written);
            }
        }
    }

    private long writeGenerated(OutputStream out, LocalDate day, boolean millis, long limit) throws IOException {
        Generated plan = generated;
        if (plan == null || plan.perDay() == 0) {
            return 0;
        }
        SplittableRandom random = new SplittableRandom(plan.seed() * 31 + day.toEpochDay());
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        Instant quiet = quietFrom;
        long nowMillis = quiet == null ? options.clock().millis()
                : Math.min(quiet.toEpochMilli(), options.clock().millis());
        long written = 0;
        byte[] previous = null;
        long previousProcessed = 0;
        StringBuilder line = new StringBuilder(256);
        // every event of the day is drawn, shown or not, so that an event's content never depends on the time of the
        // read: an event not yet due is drawn too and shown once its time has come (drawing only the shown ones
        // shifted every later event of the day each time one came due, and a re-read found them "changed")
        for (int i = 0; i < plan.perDay() && written < limit; i++) {
            long second = dayStart + random.nextInt(86_400);
            int person = random.nextInt(plan.people());
            String event = EVENTS[random.nextInt(EVENTS.length)];
            boolean repeat = previous != null && random.nextInt(200) == 0;
            if (repeat) {
                // Mixpanel's duplicate delivery: the previous event again, once it is due
                if (previousProcessed <= nowMillis) {
                    out.write(previous);
                    written++;
                }
                continue;
            }
            line.setLength(0);
            long timeMillis = millis ? second * 1000 + random.nextInt(1000) : second * 1000;
            long processed = timeMillis + processingDelay(plan.seed(), day, i);
            line.append("{\"event\":\"").append(event).append("\",\"properties\":{\"time\":")
                    .append(millis ? timeMillis : second)
                    .append(",\"distinct_id\":\"u-").append(person).append("\",\"$insert_id\":\"")
                    .append(Long.toHexString(day.toEpochDay())).append('-').append(i)
                    .append("\",\"$current_url\":\"https://app.example.com/").append(event.replace(' ', '-').toLowerCase())
                    .append("\",\"mp_lib\":\"web\",\"mp_processing_time_ms\":").append(processed).append("}}\n");
            previous = line.toString().getBytes(StandardCharsets.UTF_8);
            previousProcessed = processed;
            if (processed <= nowMillis) {
                out.write(previous);
                written++;
            }
        }
        return written;
    }

    /**
     * How long after its time Mixpanel processes a generated event ({@code mp_processing_time_ms}), the export showing it
     * from then on: a few seconds for most, one to thirty hours for one event in 64 (a device that was offline: a late
     * event, which a read of its day before then does not see). Hashed from the event's place, so drawing it
     * changes no other event of the day.
     */
    static long processingDelay(long seed, LocalDate day, int index) {
        long h = (seed * 0x9E3779B97F4A7C15L) ^ (day.toEpochDay() * 0xC2B2AE3D27D4EB4FL) ^ (index * 0x165667B19E3779F9L);
        h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
        h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        long rest = h >>> 6;
        return (h & 63) == 0 ? 3_600_000L + rest % (29 * 3_600_000L) : 500 + rest % 4_000;
    }

    private static byte[] line(ObjectNode event, boolean millis) throws IOException {
        ObjectNode copy = event.deepCopy();
        if (millis) {
            ObjectNode properties = (ObjectNode) copy.get("properties");
            properties.put("time", properties.get("time").asLong() * 1000);
        }
        return (JSON.writeValueAsString(copy) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private void engage(HttpExchange exchange, Map<String, String> fields) throws IOException {
        if (!PROJECT.equals(fields.get("project_id"))) {
            error(exchange, 400, "'project_id' is required");
            return;
        }
        int page;
        try {
            page = Integer.parseInt(fields.getOrDefault("page", "0"));
        } catch (NumberFormatException e) {
            error(exchange, 400, "'page' must be an integer");
            return;
        }
        List<Map<String, Object>> matching;
        String sessionId = fields.get("session_id");
        if (page > 0) {
            if (sessionId == null) {
                error(exchange, 400, "'session_id' is required when 'page' is above 0");
                return;
            }
            matching = sessions.get(sessionId);
            if (matching == null) {
                error(exchange, 400, "unknown session_id " + sessionId);
                return;
            }
        } else {
            String where = fields.get("where");
            String lastSeenSince = null;
            String lastSeenUntil = null;
            if (where != null && !where.isBlank()) {
                for (String part : where.split("\\s+and\\s+")) {
                    Matcher matcher = LAST_SEEN.matcher(part.strip());
                    if (!matcher.matches()) {
                        error(exchange, 400, "unsupported 'where' expression: " + where);
                        return;
                    }
                    if (">=".equals(matcher.group(1))) {
                        lastSeenSince = matcher.group(2);
                    } else {
                        lastSeenUntil = matcher.group(2);
                    }
                }
            }
            matching = new ArrayList<>();
            for (Map<String, Object> profile : profiles) {
                @SuppressWarnings("unchecked")
                Map<String, Object> properties = (Map<String, Object>) profile.get("$properties");
                String lastSeen = (String) properties.get("$last_seen");
                if ((lastSeenSince == null || lastSeen != null && lastSeen.compareTo(lastSeenSince) >= 0)
                        && (lastSeenUntil == null || lastSeen != null && lastSeen.compareTo(lastSeenUntil) <= 0)) {
                    matching.add(profile);
                }
            }
            sessionId = System.currentTimeMillis() + "-" + UUID.randomUUID().toString().substring(0, 8);
            sessions.put(sessionId, matching);
        }
        List<String> output = new ArrayList<>();
        if (fields.containsKey("output_properties")) {
            JSON.readTree(fields.get("output_properties")).forEach(name -> output.add(name.asText()));
        }
        int size = options.engagePageSize();
        List<Map<String, Object>> results = new ArrayList<>();
        for (Map<String, Object> profile : matching.subList(Math.min(page * size, matching.size()),
                Math.min((page + 1) * size, matching.size()))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) profile.get("$properties");
            Map<String, Object> shown = new LinkedHashMap<>();
            properties.forEach((name, value) -> {
                if (output.isEmpty() || output.contains(name)) {
                    shown.put(name, value);
                }
            });
            results.add(Map.of("$distinct_id", profile.get("$distinct_id"), "$properties", shown));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("page", page);
        body.put("page_size", size);
        body.put("session_id", sessionId);
        body.put("status", "ok");
        body.put("total", matching.size());
        body.put("results", results);
        send(exchange, 200, body);
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, Map.of("error", message, "status", "error"));
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> params(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            params.put(URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                    equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    @Override
    public void close() {
        server.close();
    }
}
