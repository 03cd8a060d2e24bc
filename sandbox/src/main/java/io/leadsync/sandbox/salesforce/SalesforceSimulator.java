package io.leadsync.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.leadsync.sandbox.faults.FaultInjector;
import io.leadsync.sandbox.faults.FaultKind;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.faults.PartialBatch;
import io.leadsync.sandbox.faults.RequestClass;
import io.leadsync.sandbox.faults.SimulatorServer;
import io.leadsync.sandbox.salesforce.internal.SfState;
import io.leadsync.sandbox.salesforce.internal.Soql;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A stateful local Salesforce org (REST API v60.0 wire formats) on a loopback port, faithful to
 * {@code shared/docs/crm-api-contracts.md}: the OAuth token endpoint (username-password, refresh token, client
 * credentials, JWT bearer), SOQL {@code query}/{@code queryAll} with {@code nextRecordsUrl} paging (2,000 a page)
 * and WHERE/ORDER BY on any field, deleted and merged records, composite sObject collections (200 records, per-record
 * results with {@code allOrNone=false}), {@code Sforce-Limit-Info} on every answer, {@code REQUEST_LIMIT_EXCEEDED}
 * when the daily budget is spent, {@code INVALID_SESSION_ID} when a session expires, and the error bodies
 * Salesforce sends. What a write changes is what the next query returns.
 *
 * <p>Faults are injected through {@link #faults()} or the control endpoint {@code /_sandbox/faults} (see
 * {@link SimulatorServer}). Salesforce's REST API has no 429: a {@link FaultKind#RATE_LIMIT} fault answers what it
 * sends when it sheds load, by its {@code policy}: {@code overload} (the default), 503
 * {@code SERVER_UNAVAILABLE}; {@code concurrent}, 403 {@code REQUEST_LIMIT_EXCEEDED} "ConcurrentPerOrgLongTxn Limit
 * exceeded." (too many long-running requests at once); {@code daily}, the 403 of a spent daily budget. An
 * {@link FaultKind#EXPIRE_TOKEN} fault ends every session and answers 401 {@code INVALID_SESSION_ID}, so the client
 * logs in again; a {@link FaultKind#PARTIAL_BATCH} fault fails records of a composite sObject collection with
 * {@code success:false} ({@code UNABLE_TO_LOCK_ROW} unless it names another code), leaving them unchanged. These
 * apply to the REST API ({@code /services/data/...}, {@code /id/...}); the transport faults apply to the login too.
 *
 * <p>Thread-safe. Start one per test (port 0 picks a free port), close it after.
 */
public final class SalesforceSimulator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SF_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXX")
            .withZone(ZoneOffset.UTC);
    private static final String API = "/services/data/";
    /** Realistic 18-character org and user ids: clients parse them from the identity URL. */
    public static final String ORG_ID = "00D5g000004sAbCEAU";
    public static final String USER_ID = "0055g00000AbCdEAAV";

    /**
     * @param port          port on 127.0.0.1; 0 picks a free one
     * @param clientId      the connected app's consumer key
     * @param clientSecret  its secret
     * @param username      the integration user
     * @param password      its password (with security token appended, as Salesforce expects)
     * @param pageSize      records per query page (2,000)
     * @param dailyLimit    API requests per day; 0 turns the limit off
     * @param sessionTtl    how long an access token lives
     * @param customFields  custom fields per object, e.g. {@code Lead: [Lead_Score__c]}
     * @param clock         the source of every timestamp
     */
    public record Options(int port, String clientId, String clientSecret, String username, String password,
                          int pageSize, long dailyLimit, Duration sessionTtl, Map<String, List<String>> customFields,
                          Clock clock) {
        public static final List<String> SCORE_FIELDS = List.of("Lead_Score__c", "Lead_Grade__c",
                "Score_Reasons__c", "Score_Model__c");

        public static Options defaults() {
            return new Options(0, "sandbox-client", "sandbox-secret", "integration@leadsync.example",
                    "sandbox-password", 2_000, 100_000, Duration.ofHours(2),
                    Map.of("Lead", SCORE_FIELDS, "Contact", SCORE_FIELDS), Clock.systemUTC());
        }

        public Options withPort(int value) {
            return new Options(value, clientId, clientSecret, username, password, pageSize, dailyLimit, sessionTtl,
                    customFields, clock);
        }

        public Options withPageSize(int value) {
            return new Options(port, clientId, clientSecret, username, password, value, dailyLimit, sessionTtl,
                    customFields, clock);
        }

        public Options withDailyLimit(long value) {
            return new Options(port, clientId, clientSecret, username, password, pageSize, value, sessionTtl,
                    customFields, clock);
        }

        public Options withClock(Clock value) {
            return new Options(port, clientId, clientSecret, username, password, pageSize, dailyLimit, sessionTtl,
                    customFields, value);
        }
    }

    /** One request the simulator answered: status -1 when the connection was closed before an answer began. */
    public record RecordedRequest(String method, String path, String query, int status) {
    }

    private final Options options;
    private final SfState state;
    private final SimulatorServer server;
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, Object>>> cursors = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicInteger cursorSequence = new AtomicInteger(1);
    private final AtomicInteger largestCollection = new AtomicInteger();
    private final List<java.security.PublicKey> jwtKeys = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger collectionCalls = new AtomicInteger();

    private final io.leadsync.sandbox.salesforce.internal.ChangeEventLog changeEvents;
    private final PubSubSimulator pubSub;

    private SalesforceSimulator(Options options) {
        this.options = options;
        this.state = new SfState(options.clock(), options.customFields());
        this.changeEvents = new io.leadsync.sandbox.salesforce.internal.ChangeEventLog(options.clock(), type -> {
            synchronized (state) {
                return state.fields(type);
            }
        }, USER_ID);
        state.publishChangesTo(changeEvents);
        this.server = SimulatorServer.start("salesforce", options.port(), 8, new Vendor());
        this.pubSub = new PubSubSimulator(changeEvents, new io.leadsync.sandbox.salesforce.internal.PubSubService(
                changeEvents, state::knowsObject, ORG_ID), this::pubSubSession);
    }

    /** Whether Pub/Sub call metadata names a live session of this org, at this instance. */
    private boolean pubSubSession(String accessToken, String instanceUrl, String tenantId) {
        Instant expiry = sessions.get(accessToken);
        return expiry != null && expiry.isAfter(options.clock().instant()) && ORG_ID.equals(tenantId)
                && stripSlash(instanceUrl).equals(stripSlash(baseUrl().toString()));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Change Data Capture: the change events of this org and the Pub/Sub API (gRPC) that serves them (see
     * docs/sandbox.md).
     */
    public PubSubSimulator pubSub() {
        return pubSub;
    }

    public static SalesforceSimulator start(Options options) {
        return new SalesforceSimulator(options);
    }

    public static SalesforceSimulator start() {
        return start(Options.defaults());
    }

    /** The login URL and the instance URL (one server plays both). */
    public URI baseUrl() {
        return server.baseUrl();
    }

    /** {@code <base>/_sandbox}: the control endpoint (faults and counters over HTTP, no session needed). */
    public URI controlUrl() {
        return server.controlUrl();
    }

    /** The faults this simulator injects and its counters; the control endpoint changes the same ones. */
    public FaultInjector faults() {
        return server.faults();
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() {
        pubSub.close();
        server.close();
    }

    // ---------------------------------------------------------------- test hooks

    /** Creates a record as a user would; returns its id. */
    public String create(String type, Map<String, Object> values) {
        synchronized (state) {
            Instant now = state.now();
            String id = state.insert(type, values, now, now);
            changeEvents.commit();
            return id;
        }
    }

    /** Creates a record with its own history (seeding). */
    public String insert(String type, Map<String, Object> values, Instant created, Instant modified) {
        synchronized (state) {
            // seeded history predates the subscription: no change events
            return state.quietly(() -> state.insert(type, values, created, modified));
        }
    }

    public void update(String type, String id, Map<String, Object> values) {
        synchronized (state) {
            state.update(type, id, values);
            changeEvents.commit();
        }
    }

    public void delete(String type, String id) {
        synchronized (state) {
            state.delete(type, id);
            changeEvents.commit();
        }
    }

    /** Restores a deleted record from the recycle bin (an UNDELETE change event). */
    public void undelete(String type, String id) {
        synchronized (state) {
            state.undelete(type, id);
            changeEvents.commit();
        }
    }

    public void merge(String type, String masterId, String victimId) {
        synchronized (state) {
            state.merge(type, masterId, victimId);
            changeEvents.commit();
        }
    }

    /**
     * Ends every session, as an admin revoking them or their timeout does: REST calls answer 401
     * {@code INVALID_SESSION_ID} and Pub/Sub calls fail {@code UNAUTHENTICATED} until the client logs in again.
     */
    public void expireSessions() {
        sessions.clear();
    }

    /** A record's current values (a copy), deleted ones included. */
    public Optional<Map<String, Object>> record(String type, String id) {
        synchronized (state) {
            return state.get(type, id).map(LinkedHashMap::new);
        }
    }

    /** Records of a type that are not deleted. */
    public List<Map<String, Object>> records(String type) {
        synchronized (state) {
            return state.all(type).stream().filter(r -> !Boolean.TRUE.equals(r.get("IsDeleted")))
                    .map(r -> (Map<String, Object>) new LinkedHashMap<>(r)).toList();
        }
    }

    /** API calls counted against the daily limit so far. */
    public long apiCalls() {
        return apiCalls.get();
    }

    /**
     * Sets the org's API usage of the last 24 hours, as if other integrations had spent it: {@code Sforce-Limit-Info}
     * and {@code /limits} report it, and at the daily limit every call answers 403 {@code REQUEST_LIMIT_EXCEEDED}
     * (state of the org, not a fault: it lasts until changed).
     */
    public void setApiCalls(long value) {
        apiCalls.set(value);
    }

    /**
     * A refresh token for the integration user, as the OAuth web-server flow gives an admin who authorizes the
     * connected app; the refresh-token grant accepts it.
     */
    public String issueRefreshToken() {
        String refresh = "5Aep" + UUID.randomUUID().toString().replace("-", "");
        refreshTokens.put(refresh, options.username());
        return refresh;
    }

    /** The most records any composite sObject collection call held (those above 200 included). */
    public int largestCollectionReceived() {
        return largestCollection.get();
    }

    /** How many composite sObject collection calls were answered. */
    public int collectionCalls() {
        return collectionCalls.get();
    }

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    // ---------------------------------------------------------------- HTTP

    private record Answer(int status, String body, String contentType, Map<String, String> headers) {
        Answer(int status, String body, String contentType) {
            this(status, body, contentType, Map.of());
        }

        static Answer json(int status, Object body) {
            try {
                return new Answer(status, body == null ? "" : JSON.writeValueAsString(body), "application/json");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Answer errors(int status, String errorCode, String message) {
            return json(status, List.of(Map.of("message", message, "errorCode", errorCode)));
        }
    }

    /** Salesforce's answers, and its shape of the faults that have one. */
    private final class Vendor implements SimulatorServer.Vendor {
        private static final Set<String> POLICIES = Set.of("overload", "concurrent", "daily");

        @Override
        public void handle(HttpExchange exchange, PartialBatch batch) throws IOException {
            SalesforceSimulator.this.handle(exchange, batch);
        }

        @Override
        public SimulatorServer.Answer rateLimited(FaultRule rule, SimulatorServer.VendorRequest request) {
            return switch (rule.param("policy", "overload")) {
                case "concurrent" -> errors(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.");
                case "daily" -> errors(403, "REQUEST_LIMIT_EXCEEDED", DAILY_LIMIT_MESSAGE);
                default -> serverError(503, rule, request);
            };
        }

        @Override
        public SimulatorServer.Answer serverError(int status, FaultRule rule, SimulatorServer.VendorRequest request) {
            if (status == 500) {
                long id = Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000L);
                return errors(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId"
                        + " if you contact support: " + id + "-" + (id % 100_000) + " (" + (-id) + ")");
            }
            return errors(status, "SERVER_UNAVAILABLE", "A server that is necessary for this call is currently"
                    + " unavailable. Other types of requests might still work.");
        }

        @Override
        public SimulatorServer.Answer expireToken(FaultRule rule, SimulatorServer.VendorRequest request) {
            sessions.clear();
            return errors(401, "INVALID_SESSION_ID", INVALID_SESSION_MESSAGE);
        }

        @Override
        public boolean applies(FaultKind kind, SimulatorServer.VendorRequest request) {
            boolean api = isApi(request.path()) || request.path().startsWith("/id/");
            return switch (kind) {
                case RATE_LIMIT, SERVER_ERROR, EXPIRE_TOKEN -> api;
                case PARTIAL_BATCH -> isApi(request.path()) && request.path().endsWith("/composite/sobjects")
                        && (request.method().equals("POST") || request.method().equals("PATCH"));
                default -> true;
            };
        }

        @Override
        public RequestClass classify(SimulatorServer.VendorRequest request) {
            String path = request.path();
            if (path.startsWith("/services/oauth2/") || path.startsWith("/id/")) {
                return RequestClass.AUTH;
            }
            return request.method().equals("GET") || path.endsWith("/jobs/query") ? RequestClass.READ
                    : RequestClass.WRITE;
        }

        @Override
        public void validate(FaultRule rule) {
            if (rule.kind() == FaultKind.RATE_LIMIT && !POLICIES.contains(rule.param("policy", "overload"))) {
                throw new IllegalArgumentException("Salesforce has no rate-limit policy '" + rule.param("policy", "")
                        + "'; its policies are " + new java.util.TreeSet<>(POLICIES));
            }
        }

        @Override
        public void answered(SimulatorServer.VendorRequest request, int status) {
            requests.add(new RecordedRequest(request.method(), request.path(), request.rawQuery(), status));
        }

        private SimulatorServer.Answer errors(int status, String errorCode, String message) {
            return SimulatorServer.Answer.json(status, List.of(Map.of("message", message, "errorCode", errorCode)));
        }
    }

    private static final String DAILY_LIMIT_MESSAGE = "TotalRequests Limit exceeded.";
    private static final String INVALID_SESSION_MESSAGE = "Session expired or invalid";

    private static boolean isApi(String path) {
        return path.startsWith(API) && !path.equals(API);
    }

    private void handle(HttpExchange exchange, PartialBatch batch) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        byte[] body = exchange.getRequestBody().readAllBytes();
        Answer answer;
        boolean api = isApi(path);
        try {
            if (path.startsWith("/services/oauth2/token")) {
                answer = token(new String(body, StandardCharsets.UTF_8));
            } else if (path.startsWith("/services/oauth2/revoke")) {
                answer = new Answer(200, "", "text/plain");
            } else if (path.startsWith("/id/")) {
                answer = authorized(exchange) ? identity() : invalidSession();
            } else if (path.equals(API) || path.equals("/services/data")) {
                answer = Answer.json(200, List.of(Map.of("label", "Winter '24", "url", "/services/data/v60.0",
                        "version", "60.0")));
            } else if (api) {
                if (!authorized(exchange)) {
                    answer = invalidSession();
                } else if (options.dailyLimit() > 0 && apiCalls.get() >= options.dailyLimit()) {
                    answer = Answer.errors(403, "REQUEST_LIMIT_EXCEEDED", DAILY_LIMIT_MESSAGE);
                } else {
                    apiCalls.incrementAndGet();
                    synchronized (state) {
                        try {
                            answer = api(method, path.substring(API.length()), query, body, batch);
                        } finally {
                            // one call, one transaction: what it changed becomes change events
                            changeEvents.commit();
                        }
                    }
                }
            } else {
                answer = Answer.errors(404, "NOT_FOUND", "The requested resource does not exist");
            }
        } catch (Soql.MalformedQuery e) {
            answer = Answer.errors(400, "MALFORMED_QUERY", e.getMessage());
        } catch (BadRequest e) {
            answer = Answer.json(e.status, List.of(e.body));
        } catch (RuntimeException e) {
            answer = Answer.errors(500, "UNKNOWN_EXCEPTION", "simulator error: " + e);
        }
        if (api) {
            exchange.getResponseHeaders().add("Sforce-Limit-Info", "api-usage=" + apiCalls.get() + "/"
                    + options.dailyLimit());
        }
        exchange.getResponseHeaders().add("Content-Type", answer.contentType() + ";charset=UTF-8");
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class BadRequest extends RuntimeException {
        final int status;
        final Map<String, Object> body;

        BadRequest(int status, String errorCode, String message) {
            super(message);
            this.status = status;
            this.body = Map.of("message", message, "errorCode", errorCode);
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            return false;
        }
        String token = header.replaceFirst("(?i)^(Bearer|OAuth)\\s+", "").strip();
        Instant expiry = sessions.get(token);
        return expiry != null && expiry.isAfter(options.clock().instant());
    }

    private static Answer invalidSession() {
        return Answer.errors(401, "INVALID_SESSION_ID", INVALID_SESSION_MESSAGE);
    }

    // ---------------------------------------------------------------- OAuth

    private Answer token(String form) {
        Map<String, String> params = form(form);
        String grant = params.getOrDefault("grant_type", "");
        boolean ok = switch (grant) {
            case "password" -> options.clientId().equals(params.get("client_id"))
                    && options.clientSecret().equals(params.get("client_secret"))
                    && options.username().equals(params.get("username"))
                    && options.password().equals(params.get("password"));
            case "refresh_token" -> options.clientId().equals(params.get("client_id"))
                    && refreshTokens.containsKey(params.getOrDefault("refresh_token", ""));
            case "client_credentials" -> options.clientId().equals(params.get("client_id"))
                    && options.clientSecret().equals(params.get("client_secret"));
            case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> jwtSubject(params.get("assertion"))
                    .filter(options.username()::equals).isPresent() && jwtTrusted(params.get("assertion"));
            default -> false;
        };
        if (!ok) {
            return Answer.json(400, Map.of("error", grant.isEmpty() || !List.of("password", "refresh_token",
                    "client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer").contains(grant)
                    ? "unsupported_grant_type" : "invalid_grant", "error_description",
                    grant.isEmpty() ? "grant type not supported" : "authentication failure"));
        }
        String accessToken = ORG_ID.substring(0, 15) + "!" + UUID.randomUUID().toString().replace("-", "");
        sessions.put(accessToken, options.clock().instant().plus(options.sessionTtl()));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", accessToken);
        if (grant.equals("password") || grant.equals("refresh_token")) {
            String refresh = params.getOrDefault("refresh_token", "5Aep" + UUID.randomUUID().toString()
                    .replace("-", ""));
            refreshTokens.put(refresh, options.username());
            if (grant.equals("password")) {
                response.put("refresh_token", refresh);
            }
        }
        response.put("instance_url", baseUrl().toString());
        response.put("id", baseUrl() + "/id/" + ORG_ID + "/" + USER_ID);
        response.put("token_type", "Bearer");
        response.put("issued_at", Long.toString(options.clock().millis()));
        response.put("signature", Base64.getEncoder().encodeToString(accessToken.getBytes(StandardCharsets.UTF_8)));
        return Answer.json(200, response);
    }

    /**
     * Trusts JWT bearer assertions signed (RS256) by the key of this certificate, as a connected app with "use
     * digital signatures" does: from then on an assertion must carry a valid signature, the connected app's client
     * id as issuer, and an expiry in the future. Before any key is trusted, only the subject is checked.
     */
    public void trustJwtKey(java.security.PublicKey key) {
        jwtKeys.add(key);
    }

    private boolean jwtTrusted(String assertion) {
        if (jwtKeys.isEmpty()) {
            return true;
        }
        String[] parts = assertion.split("\\.");
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!options.clientId().equals(claims.path("iss").asText())
                    || claims.path("exp").asLong() * 1000 < options.clock().millis()) {
                return false;
            }
            byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            for (java.security.PublicKey key : jwtKeys) {
                java.security.Signature verifier = java.security.Signature.getInstance("SHA256withRSA");
                verifier.initVerify(key);
                verifier.update(signed);
                if (verifier.verify(signature)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | IllegalArgumentException | java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static Optional<String> jwtSubject(String assertion) {
        if (assertion == null) {
            return Optional.empty();
        }
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return Optional.ofNullable(claims.path("sub").asText(null));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Answer identity() {
        URI baseUrl = baseUrl();
        return Answer.json(200, Map.of("id", baseUrl + "/id/" + ORG_ID + "/" + USER_ID, "organization_id", ORG_ID,
                "user_id", USER_ID, "username", options.username(), "urls", Map.of(
                        "rest", baseUrl + "/services/data/v{version}/",
                        "sobjects", baseUrl + "/services/data/v{version}/sobjects/",
                        "query", baseUrl + "/services/data/v{version}/query/")));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new HashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                params.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    // ---------------------------------------------------------------- REST API

    private Answer api(String method, String path, String rawQuery, byte[] body, PartialBatch batch) {
        int slash = path.indexOf('/');
        String version = slash < 0 ? path : path.substring(0, slash);
        String rest = slash < 0 ? "" : path.substring(slash + 1);
        if (!version.matches("v\\d+\\.\\d")) {
            return Answer.errors(404, "NOT_FOUND", "The requested resource does not exist");
        }
        Map<String, String> params = rawQuery == null ? Map.of() : form(rawQuery);
        if (method.equals("GET") && (rest.equals("query") || rest.equals("queryAll"))) {
            return query(params.getOrDefault("q", ""), rest.equals("queryAll"), version);
        }
        if (method.equals("GET") && (rest.startsWith("query/") || rest.startsWith("queryAll/"))) {
            return nextPage(rest.substring(rest.indexOf('/') + 1), version);
        }
        if (rest.equals("composite/sobjects") && (method.equals("PATCH") || method.equals("POST"))) {
            return collection(method.equals("POST"), body, batch);
        }
        if (method.equals("GET") && rest.isEmpty()) {
            // the resource directory of a version
            Map<String, Object> resources = new LinkedHashMap<>();
            for (String resource : List.of("sobjects", "query", "queryAll", "composite", "limits", "jobs")) {
                resources.put(resource, API + version + "/" + resource);
            }
            return Answer.json(200, resources);
        }
        if (method.equals("GET") && rest.equals("limits")) {
            return Answer.json(200, Map.of("DailyApiRequests", Map.of("Max", options.dailyLimit(), "Remaining",
                    Math.max(0, options.dailyLimit() - apiCalls.get()))));
        }
        if (rest.startsWith("sobjects/")) {
            return sobject(method, rest.substring("sobjects/".length()), body);
        }
        if (rest.equals("jobs/query") && method.equals("POST")) {
            return createBulkQuery(body, version);
        }
        if (rest.startsWith("jobs/query/")) {
            String[] parts = rest.substring("jobs/query/".length()).split("/");
            return parts.length == 1 ? bulkJob(parts[0]) : bulkResults(parts[0], params);
        }
        return Answer.errors(404, "NOT_FOUND", "The requested resource does not exist");
    }

    private Answer query(String soql, boolean all, String version) {
        return query(soql, all, version, false);
    }

    private Answer query(String soql, boolean all, String version, boolean raw) {
        Soql.Query query = Soql.parse(soql);
        String type = SfState.canonicalType(query.object());
        if (!state.knowsObject(type)) {
            throw new BadRequest(400, "INVALID_TYPE", "sObject type '" + query.object() + "' is not supported.");
        }
        List<String> fields = new ArrayList<>(query.fields());
        if (query.where() != null) {
            fields.addAll(query.where().fields());
        }
        query.orderBy().forEach(order -> fields.add(order.field()));
        for (String field : fields) {
            checkField(type, field);
        }
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> record : state.all(type)) {
            if (!all && Boolean.TRUE.equals(record.get("IsDeleted"))) {
                continue;
            }
            Function<String, Object> values = field -> value(type, record, field);
            if (query.where() == null || query.where().test(values)) {
                matching.add(record);
            }
        }
        if (query.count() && !raw) {
            // SELECT COUNT(): Salesforce answers the number in totalSize and no records
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("totalSize", Math.min(matching.size(), query.limit()));
            response.put("done", true);
            response.put("records", List.of());
            return Answer.json(200, response);
        }
        List<Function<String, Object>> sortable = new ArrayList<>();
        Map<Function<String, Object>, Map<String, Object>> back = new java.util.IdentityHashMap<>();
        for (Map<String, Object> record : matching) {
            Function<String, Object> values = field -> value(type, record, field);
            sortable.add(values);
            back.put(values, record);
        }
        sortable.sort(Soql.comparator(query.orderBy()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(sortable.size(), query.limit()); i++) {
            rows.add(raw ? back.get(sortable.get(i)) : project(type, back.get(sortable.get(i)), query.fields(),
                    version));
        }
        if (raw) {
            lastRows = rows;
            return null;
        }
        return page(rows, version);
    }

    /** A Bulk API 2.0 query job: its rows are fixed when it is created, as Salesforce snapshots them. */
    private record BulkJob(String id, String operation, String object, List<String> fields,
                           List<Map<String, Object>> rows, AtomicInteger polls) {
    }

    private final Map<String, BulkJob> bulkJobs = new ConcurrentHashMap<>();

    private Answer createBulkQuery(byte[] body, String version) {
        JsonNode request = readJson(body);
        String operation = request.path("operation").asText("query");
        if (!operation.equals("query") && !operation.equals("queryAll")) {
            throw new BadRequest(400, "INVALIDJOB", "operation must be query or queryAll");
        }
        Soql.Query parsed = Soql.parse(request.path("query").asText(""));
        Answer answer = query(request.path("query").asText(""), operation.equals("queryAll"), version, true);
        List<Map<String, Object>> rows = lastRows;
        String id = "750" + String.format("%012d", cursorSequence.getAndIncrement()) + "AAA";
        bulkJobs.put(id, new BulkJob(id, operation, SfState.canonicalType(parsed.object()), parsed.fields(), rows,
                new AtomicInteger()));
        return Answer.json(200, Map.of("id", id, "operation", operation, "object",
                SfState.canonicalType(parsed.object()), "state", "UploadComplete", "contentType", "CSV",
                "apiVersion", Double.parseDouble(version.substring(1))));
    }

    private Answer bulkJob(String id) {
        BulkJob job = bulkJobs.get(id);
        if (job == null) {
            throw new BadRequest(404, "NOT_FOUND", "The requested resource does not exist");
        }
        // like Salesforce, a job is in progress for a moment before it completes
        String jobState = job.polls().getAndIncrement() < 1 ? "InProgress" : "JobComplete";
        return Answer.json(200, Map.of("id", id, "operation", job.operation(), "object", job.object(), "state",
                jobState, "numberRecordsProcessed", job.rows().size()));
    }

    private Answer bulkResults(String id, Map<String, String> params) {
        BulkJob job = bulkJobs.get(id);
        if (job == null) {
            throw new BadRequest(404, "NOT_FOUND", "The requested resource does not exist");
        }
        int from = params.containsKey("locator") ? Integer.parseInt(new String(Base64.getDecoder()
                .decode(params.get("locator")), StandardCharsets.UTF_8)) : 0;
        int max = Integer.parseInt(params.getOrDefault("maxRecords", "50000"));
        int to = Math.min(job.rows().size(), from + max);
        StringBuilder csv = new StringBuilder(String.join(",", job.fields().stream().map(f -> csv(f)).toList()))
                .append('\n');
        for (Map<String, Object> row : job.rows().subList(from, to)) {
            List<String> cells = new ArrayList<>();
            for (String field : job.fields()) {
                Object value = value(job.object(), row, field);
                cells.add(value == null ? "" : csv(String.valueOf(wire(value))));
            }
            csv.append(String.join(",", cells)).append('\n');
        }
        String locator = to < job.rows().size()
                ? Base64.getEncoder().encodeToString(Integer.toString(to).getBytes(StandardCharsets.UTF_8)) : "null";
        return new Answer(200, csv.toString(), "text/csv", Map.of("Sforce-Locator", locator,
                "Sforce-NumberOfRecords", Integer.toString(to - from)));
    }

    private static String csv(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private List<Map<String, Object>> lastRows = List.of();

    private Answer page(List<Map<String, Object>> rows, String version) {
        int size = options.pageSize();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("totalSize", rows.size());
        boolean done = rows.size() <= size;
        response.put("done", done);
        if (!done) {
            String locator = "01g" + String.format("%012d", cursorSequence.getAndIncrement()) + "AAA";
            cursors.put(locator, new ArrayList<>(rows.subList(size, rows.size())));
            response.put("nextRecordsUrl", "/services/data/" + version + "/query/" + locator + "-" + size);
        }
        response.put("records", done ? rows : rows.subList(0, size));
        return Answer.json(200, response);
    }

    private Answer nextPage(String locator, String version) {
        String key = locator.contains("-") ? locator.substring(0, locator.indexOf('-')) : locator;
        List<Map<String, Object>> rest = cursors.remove(key);
        if (rest == null) {
            throw new BadRequest(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        Answer answer = page(rest, version);
        return answer;
    }

    private void checkField(String type, String field) {
        int dot = field.indexOf('.');
        if (dot > 0) {
            String relationship = field.substring(0, dot);
            String target = relationshipTarget(type, relationship);
            if (target == null || state.field(target, field.substring(dot + 1)).isEmpty()) {
                throw new BadRequest(400, "INVALID_FIELD", "No such column '" + field + "' on entity '" + type
                        + "'. If you are attempting to use a custom field, be sure to append the '__c' after the"
                        + " custom field name.");
            }
            return;
        }
        if (state.field(type, field).isEmpty()) {
            throw new BadRequest(400, "INVALID_FIELD", "No such column '" + field + "' on entity '" + type
                    + "'. If you are attempting to use a custom field, be sure to append the '__c' after the custom"
                    + " field name.");
        }
    }

    /** Text fields hold 255 characters, long text areas (a task's Description) 32,000. */
    private static int maxLength(String field) {
        return field.equals("Description") ? 32_000 : 255;
    }

    private String relationshipTarget(String type, String relationship) {
        return switch (relationship) {
            case "Owner", "CreatedBy" -> "User";
            // a lookup field R + Id names a relationship R to the object of that name (AccountId -> Account)
            default -> state.field(type, relationship + "Id").isPresent() && state.knowsObject(relationship)
                    ? relationship : null;
        };
    }

    private Object value(String type, Map<String, Object> record, String field) {
        int dot = field.indexOf('.');
        if (dot > 0) {
            String relationship = field.substring(0, dot);
            String target = relationshipTarget(type, relationship);
            Object id = record.get(relationship.equals("Owner") || relationship.equals("CreatedBy") ? "OwnerId"
                    : relationship + "Id");
            if (target == null || id == null) {
                return null;
            }
            return state.get(target, id.toString()).map(r -> r.get(state.field(target, field.substring(dot + 1))
                    .orElseThrow())).orElse(null);
        }
        return record.get(state.field(type, field).orElse(field));
    }

    private Map<String, Object> project(String type, Map<String, Object> record, List<String> fields,
                                        String version) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("attributes", Map.of("type", type, "url", "/services/data/" + version + "/sobjects/" + type + "/"
                + record.get("Id")));
        for (String field : fields) {
            int dot = field.indexOf('.');
            if (dot > 0) {
                String relationship = field.substring(0, dot);
                String target = relationshipTarget(type, relationship);
                Object id = record.get(relationship.equals("Owner") || relationship.equals("CreatedBy") ? "OwnerId"
                    : relationship + "Id");
                Optional<Map<String, Object>> related = id == null ? Optional.empty()
                        : state.get(target, id.toString());
                if (related.isEmpty()) {
                    row.putIfAbsent(relationship, null);
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = row.get(relationship) instanceof Map<?, ?> existing
                        ? (Map<String, Object>) existing : new LinkedHashMap<>(Map.of("attributes", Map.of("type",
                        target, "url", "/services/data/" + version + "/sobjects/" + target + "/" + id)));
                String name = state.field(target, field.substring(dot + 1)).orElseThrow();
                nested.put(name, wire(related.get().get(name)));
                row.put(relationship, nested);
            } else {
                String name = state.field(type, field).orElseThrow();
                row.put(name, wire(record.get(name)));
            }
        }
        return row;
    }

    /** A value as Salesforce writes it in JSON: datetimes as {@code 2024-01-01T00:00:00.000+0000}. */
    private static Object wire(Object value) {
        return value instanceof Instant instant ? SF_DATETIME.format(instant) : value;
    }

    /**
     * Composite sObject collections: create (POST) or update (PATCH) up to 200 records. The records {@code batch}
     * fails (a PARTIAL_BATCH fault) get {@code success:false} and are not written.
     */
    private Answer collection(boolean create, byte[] body, PartialBatch batch) {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            throw new BadRequest(400, "JSON_PARSER_ERROR", "Unexpected character in request body");
        }
        JsonNode records = request.path("records");
        if (!records.isArray() || records.isEmpty()) {
            throw new BadRequest(400, "INVALID_FIELD", "records: the list of records is required");
        }
        largestCollection.accumulateAndGet(records.size(), Math::max);
        collectionCalls.incrementAndGet();
        if (records.size() > 200) {
            throw new BadRequest(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200"
                    + " records into this call");
        }
        boolean allOrNone = request.path("allOrNone").asBoolean(false);
        Set<Integer> failing = batch.failing(records.size());
        List<Map<String, Object>> results = new ArrayList<>();
        List<Runnable> writes = new ArrayList<>();
        int index = 0;
        for (JsonNode record : records) {
            boolean injected = failing.contains(index++);
            Map<String, Object> result = new LinkedHashMap<>();
            String type = SfState.canonicalType(record.path("attributes").path("type").asText(""));
            String id = record.path("id").asText(record.path("Id").asText(null));
            Map<String, Object> values = new LinkedHashMap<>();
            List<Map<String, Object>> errors = new ArrayList<>();
            if (!state.knowsObject(type)) {
                errors.add(error("INVALID_TYPE", "sObject type '" + type + "' is not supported", List.of()));
            } else {
                record.fields().forEachRemaining(field -> {
                    String name = field.getKey();
                    if (name.equals("attributes") || name.equalsIgnoreCase("id")) {
                        return;
                    }
                    Optional<String> known = state.field(type, name);
                    if (known.isEmpty()) {
                        errors.add(error("INVALID_FIELD", "No such column '" + name + "' on sobject of type "
                                + type, List.of(name)));
                    } else if (field.getValue().isTextual()
                            && field.getValue().asText().length() > maxLength(known.get())) {
                        errors.add(error("STRING_TOO_LONG", known.get() + ": data value too large: "
                                + field.getValue().asText().substring(0, 20) + "... (max length="
                                + maxLength(known.get()) + ")", List.of(known.get())));
                    } else {
                        values.put(known.get(), field.getValue().isNull() ? null
                                : field.getValue().isNumber() ? field.getValue().numberValue()
                                : field.getValue().isBoolean() ? field.getValue().booleanValue()
                                : field.getValue().asText());
                    }
                });
                if (!create) {
                    Optional<Map<String, Object>> existing = id == null ? Optional.empty() : state.get(type, id);
                    if (id == null || existing.isEmpty()) {
                        errors.add(error("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id",
                                List.of()));
                    } else if (Boolean.TRUE.equals(existing.get().get("IsDeleted"))) {
                        errors.add(error("ENTITY_IS_DELETED", "entity is deleted", List.of()));
                    }
                } else if (type.equals("Task")) {
                    for (String required : List.of("Status", "Priority")) {
                        if (values.get(required) == null) {
                            errors.add(error("REQUIRED_FIELD_MISSING", "Required fields are missing: ["
                                    + required + "]", List.of(required)));
                        }
                    }
                    Object who = values.get("WhoId");
                    if (who != null && state.typeOf(who.toString()).flatMap(t -> state.get(t, who.toString()))
                            .isEmpty()) {
                        errors.add(error("INVALID_CROSS_REFERENCE_KEY", "Name ID: id value of incorrect type: "
                                + who, List.of("WhoId")));
                    }
                }
            }
            if (injected && errors.isEmpty()) {
                // Salesforce's transient per-record failure: another transaction holds the record (or its parent)
                Object locked = create ? values.get("WhoId") : id;
                errors.add(error(batch.error("UNABLE_TO_LOCK_ROW"), batch.message("unable to obtain exclusive access"
                        + " to this record or 1 records: " + (locked == null ? "" : locked)), List.of()));
            }
            if (errors.isEmpty()) {
                if (create) {
                    String newId = state.newId(type);
                    result.put("id", newId);
                    writes.add(() -> {
                        Instant now = state.now();
                        Map<String, Object> created = new LinkedHashMap<>(values);
                        String stored = state.insert(type, created, now, now);
                        result.put("id", stored);
                    });
                } else {
                    result.put("id", id);
                    writes.add(() -> state.update(type, id, values));
                }
                result.put("success", true);
                result.put("errors", List.of());
            } else {
                if (id != null) {
                    result.put("id", id);
                }
                result.put("success", false);
                result.put("errors", errors);
            }
            results.add(result);
        }
        boolean anyFailed = results.stream().anyMatch(r -> !Boolean.TRUE.equals(r.get("success")));
        if (allOrNone && anyFailed) {
            for (Map<String, Object> result : results) {
                if (Boolean.TRUE.equals(result.get("success"))) {
                    result.put("success", false);
                    result.put("errors", List.of(error("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                            "Record rolled back because not all records were valid and the request was using"
                                    + " AllOrNone header", List.of())));
                    if (create) {
                        result.remove("id");
                    }
                }
            }
            return Answer.json(200, results);
        }
        writes.forEach(Runnable::run);
        return Answer.json(200, results);
    }

    private static Map<String, Object> error(String statusCode, String message, List<String> fields) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("statusCode", statusCode);
        error.put("message", message);
        error.put("fields", fields);
        return error;
    }

    private Answer sobject(String method, String rest, byte[] body) {
        String[] parts = rest.split("/");
        String type = SfState.canonicalType(parts[0]);
        if (!state.knowsObject(type)) {
            throw new BadRequest(404, "NOT_FOUND", "The requested resource does not exist");
        }
        if (parts.length == 1 && method.equals("GET")) {
            return Answer.json(200, Map.of("objectDescribe", Map.of("name", type, "keyPrefix",
                    SfState.PREFIXES.get(type))));
        }
        if (parts.length == 2 && parts[1].equals("describe")) {
            List<Map<String, Object>> fields = new ArrayList<>();
            for (String field : state.fields(type)) {
                fields.add(Map.of("name", field, "type", field.equals("Id") ? "id" : "string"));
            }
            return Answer.json(200, Map.of("name", type, "keyPrefix", SfState.PREFIXES.get(type), "fields", fields));
        }
        String id = parts.length > 1 ? parts[1] : null;
        Optional<Map<String, Object>> record = id == null ? Optional.empty() : state.get(type, id);
        if (method.equals("GET") && record.isPresent() && !Boolean.TRUE.equals(record.get().get("IsDeleted"))) {
            Map<String, Object> copy = new LinkedHashMap<>();
            record.get().forEach((k, v) -> copy.put(k, wire(v)));
            return Answer.json(200, copy);
        }
        if (method.equals("DELETE") && record.isPresent()) {
            state.delete(type, id);
            return new Answer(204, "", "application/json");
        }
        if (method.equals("PATCH") && record.isPresent()) {
            ObjectNode request = (ObjectNode) readJson(body);
            Map<String, Object> values = new LinkedHashMap<>();
            request.fields().forEachRemaining(field -> values.put(state.field(type, field.getKey()).orElseThrow(
                    () -> new BadRequest(400, "INVALID_FIELD", "No such column '" + field.getKey() + "' on sobject of"
                            + " type " + type)), field.getValue().isNull() ? null : field.getValue().asText()));
            state.update(type, id, values);
            return new Answer(204, "", "application/json");
        }
        if (method.equals("POST") && id == null) {
            ArrayNode wrapped = JSON.createArrayNode();
            ObjectNode record1 = (ObjectNode) readJson(body);
            record1.putObject("attributes").put("type", type);
            wrapped.add(record1);
            ObjectNode collection = JSON.createObjectNode();
            collection.set("records", wrapped);
            Answer answer = collection(true, collection.toString().getBytes(StandardCharsets.UTF_8), PartialBatch.NONE);
            JsonNode result = readJson(answer.body().getBytes(StandardCharsets.UTF_8)).get(0);
            if (!result.path("success").asBoolean()) {
                return Answer.json(400, result.path("errors"));
            }
            return Answer.json(201, Map.of("id", result.path("id").asText(), "success", true, "errors", List.of()));
        }
        throw new BadRequest(404, "NOT_FOUND", "The requested resource does not exist");
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new BadRequest(400, "JSON_PARSER_ERROR", "Unexpected character in request body");
        }
    }
}
