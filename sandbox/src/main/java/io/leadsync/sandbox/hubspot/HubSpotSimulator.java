package io.leadsync.sandbox.hubspot;

import com.sun.net.httpserver.HttpExchange;
import io.leadsync.sandbox.SandboxData;
import io.leadsync.sandbox.faults.FaultInjector;
import io.leadsync.sandbox.faults.FaultKind;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.faults.PartialBatch;
import io.leadsync.sandbox.faults.RequestClass;
import io.leadsync.sandbox.faults.SimulatorServer;
import io.leadsync.sandbox.hubspot.internal.Api;
import io.leadsync.sandbox.hubspot.internal.ApiError;
import io.leadsync.sandbox.hubspot.internal.HubSpotState;
import io.leadsync.sandbox.hubspot.internal.Json;
import io.leadsync.sandbox.hubspot.internal.RateLimits;
import io.leadsync.sandbox.hubspot.internal.SimObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful local HubSpot (CRM v3 objects and properties, v4 associations) on a loopback port, faithful to
 * {@code shared/docs/crm-api-contracts.md}: cursor and offset paging, the 10,000-result search cap, batch limits
 * with 207 partial failures, HubSpot's error bodies, 401s, rate limits with their headers and 429 bodies, and state
 * that persists between calls (what a push writes is what the next read returns). Faults are injected through
 * {@link #faults()} or the control endpoint {@code /_sandbox/faults} (see {@link SimulatorServer}); a
 * {@link FaultKind#RATE_LIMIT} fault answers HubSpot's 429 of its {@code policy} ({@code SECONDLY},
 * {@code TEN_SECONDLY_ROLLING} or {@code DAILY}) with the {@code X-HubSpot-RateLimit-*} headers, an
 * {@link FaultKind#EXPIRE_TOKEN} fault makes the request's token answer 401 {@code EXPIRED_AUTHENTICATION} until the
 * faults are cleared, a {@link FaultKind#PARTIAL_BATCH} fault fails inputs of a {@code batch/update} or
 * {@code batch/read} in a 207 ({@code OBJECT_NOT_FOUND} unless it names another category).
 *
 * <p>Thread-safe. Start one per test (port 0 picks a free port), close it after.
 */
public final class HubSpotSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotSimulator.class);
    private static final int REQUEST_LOG_LIMIT = 100_000;

    /**
     * @param port                  port on 127.0.0.1; 0 picks a free one
     * @param tokens                bearer tokens accepted
     * @param requestsPerTenSeconds HubSpot's burst limit (100 or 190); 0 turns it off
     * @param searchRequestsPerSecond the search API's limit (5); 0 turns it off
     * @param dailyLimit            requests per day; 0 turns it off
     * @param searchResultCap       results a search query can page through (10,000)
     * @param searchIndexLag        how long a modified record takes to become visible to search
     * @param clock                 the source of every timestamp
     */
    public record Options(int port, Set<String> tokens, int requestsPerTenSeconds, int searchRequestsPerSecond,
                          long dailyLimit, int searchResultCap, Duration searchIndexLag, Clock clock) {
        public static final String DEFAULT_TOKEN = "sandbox-token";

        public static Options defaults() {
            return new Options(0, Set.of(DEFAULT_TOKEN), 190, 5, 1_000_000, 10_000, Duration.ZERO, Clock.systemUTC());
        }

        public Options withPort(int value) {
            return new Options(value, tokens, requestsPerTenSeconds, searchRequestsPerSecond, dailyLimit,
                    searchResultCap, searchIndexLag, clock);
        }

        public Options withTokens(Set<String> value) {
            return new Options(port, Set.copyOf(value), requestsPerTenSeconds, searchRequestsPerSecond, dailyLimit,
                    searchResultCap, searchIndexLag, clock);
        }

        public Options withRequestsPerTenSeconds(int value) {
            return new Options(port, tokens, value, searchRequestsPerSecond, dailyLimit, searchResultCap,
                    searchIndexLag, clock);
        }

        public Options withSearchRequestsPerSecond(int value) {
            return new Options(port, tokens, requestsPerTenSeconds, value, dailyLimit, searchResultCap,
                    searchIndexLag, clock);
        }

        public Options withDailyLimit(long value) {
            return new Options(port, tokens, requestsPerTenSeconds, searchRequestsPerSecond, value, searchResultCap,
                    searchIndexLag, clock);
        }

        public Options withSearchResultCap(int value) {
            return new Options(port, tokens, requestsPerTenSeconds, searchRequestsPerSecond, dailyLimit, value,
                    searchIndexLag, clock);
        }

        public Options withSearchIndexLag(Duration value) {
            return new Options(port, tokens, requestsPerTenSeconds, searchRequestsPerSecond, dailyLimit,
                    searchResultCap, value, clock);
        }

        public Options withClock(Clock value) {
            return new Options(port, tokens, requestsPerTenSeconds, searchRequestsPerSecond, dailyLimit,
                    searchResultCap, searchIndexLag, value);
        }

        /** No rate limits at all (benchmarks, demos that should not wait). */
        public Options withoutRateLimits() {
            return new Options(port, tokens, 0, 0, 0, searchResultCap, searchIndexLag, clock);
        }
    }

    /** An object as the simulator holds it. */
    public record SimulatedObject(String id, Map<String, String> properties, Instant createdAt, Instant updatedAt,
                                  boolean archived) {
    }

    /** One request the simulator answered: status -1 when the connection was closed before an answer began. */
    public record RecordedRequest(String method, String path, String query, String body, int status, Instant at) {
    }

    private final Options options;
    private final HubSpotState state;
    private final RateLimits limits;
    private final Api api;
    private final io.leadsync.sandbox.hubspot.internal.FormsState forms =
            new io.leadsync.sandbox.hubspot.internal.FormsState();
    private final io.leadsync.sandbox.hubspot.internal.FormsApi formsApi;
    private final Set<String> expiredTokens = ConcurrentHashMap.newKeySet();
    private final Deque<RecordedRequest> requests = new ConcurrentLinkedDeque<>();
    private final AtomicInteger requestCount = new AtomicInteger();
    private final SimulatorServer server;
    private final HubSpotWebhookSender webhooks;

    private HubSpotSimulator(Options options) {
        this.options = options;
        this.state = new HubSpotState(options.clock());
        this.limits = new RateLimits(options.clock(), options.requestsPerTenSeconds(),
                options.searchRequestsPerSecond(), options.dailyLimit());
        this.api = new Api(state, options.searchResultCap(), options.searchIndexLag(), () -> baseUrl().toString());
        this.webhooks = new HubSpotWebhookSender(options.clock());
        this.state.listener(webhooks::changed);
        this.formsApi = new io.leadsync.sandbox.hubspot.internal.FormsApi(forms, () -> baseUrl().toString());
        this.server = SimulatorServer.start("hubspot", options.port(), 8, new Vendor());
    }

    public static HubSpotSimulator start(Options options) {
        return new HubSpotSimulator(options);
    }

    public static HubSpotSimulator start() {
        return start(Options.defaults());
    }

    public URI baseUrl() {
        return server.baseUrl();
    }

    public int port() {
        return server.port();
    }

    /** {@code <base>/_sandbox}: the control endpoint (faults and counters over HTTP, no token needed). */
    public URI controlUrl() {
        return server.controlUrl();
    }

    public Options options() {
        return options;
    }

    // ---------------------------------------------------------------- state

    /** Loads generated contacts and their engagements, keeping their own timestamps. */
    public void seed(SandboxData data) {
        List<String> contactIds = new ArrayList<>(data.contacts().size());
        for (SandboxData.GeneratedContact contact : data.contacts()) {
            contactIds.add(state.insert("contacts", contact.properties(), contact.createdAt(), contact.updatedAt(),
                    List.of()).id());
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(data.contacts().size() * 7919L + 17);
        for (SandboxData.GeneratedEngagement engagement : data.engagements()) {
            Instant at = Instant.parse(engagement.properties().get("hs_timestamp"));
            state.insert(engagement.objectType(), engagement.properties(), at, at,
                    List.of(contactIds.get(engagement.contactIndex())));
            String email = data.contacts().get(engagement.contactIndex()).properties().get("email");
            if ("emails".equals(engagement.objectType()) && email != null
                    && "EMAIL".equals(engagement.properties().get("hs_email_direction"))) {
                long campaign = 900_000 + random.nextInt(40);
                if ("BOUNCED".equals(engagement.properties().get("hs_email_status"))) {
                    state.addEmailEvent("BOUNCE", email.strip(), at.plusSeconds(30), campaign,
                            Map.of("category", "MAILBOX_FULL"));
                } else if (random.nextInt(100) < 55) {
                    state.addEmailEvent("OPEN", email.strip(), at.plusSeconds(600 + random.nextInt(86_400)), campaign,
                            Map.of("browser", Map.of("name", "Chrome")));
                    if (random.nextInt(100) < 35) {
                        state.addEmailEvent("CLICK", email.strip(), at.plusSeconds(900 + random.nextInt(86_400)),
                                campaign, Map.of("url", "https://www.example.com/pricing"));
                    }
                }
            }
        }
        for (SandboxData.GeneratedContact contact : data.contacts()) {
            String email = contact.properties().get("email");
            if (email != null && "true".equals(contact.properties().get("hs_email_optout"))) {
                state.addEmailEvent("STATUSCHANGE", email.strip(), contact.updatedAt(), 900_000,
                        Map.of("changeType", "UNSUBSCRIBED", "source", "SOURCE_RECIPIENT"));
            }
        }
        seedForms(data);
    }

    /** Records a marketing email event for a recipient (OPEN, CLICK, BOUNCE, STATUSCHANGE...). */
    public void addEmailEvent(String type, String recipient, Instant created, Map<String, Object> extra) {
        state.addEmailEvent(type, recipient, created, 900_001, extra);
    }

    /** Creates a contact as a user would in HubSpot (properties validated); returns its id. */
    public String createContact(Map<String, String> properties) {
        return state.create("contacts", properties, List.of()).id();
    }

    /** Edits a contact as a user would (bumps its modification time). */
    public void updateContact(String id, Map<String, String> properties) {
        state.edit("contacts", id, properties);
    }

    public void archiveContact(String id) {
        state.archive("contacts", id);
    }

    public void mergeContacts(String primaryId, String mergedId) {
        state.merge(primaryId, mergedId);
    }

    public Optional<SimulatedObject> contact(String id) {
        return object("contacts", id);
    }

    public Optional<SimulatedObject> object(String type, String id) {
        synchronized (state) {
            return state.get(type, id).map(HubSpotSimulator::snapshot);
        }
    }

    /** Non-archived contacts, by id. */
    public List<SimulatedObject> contacts() {
        return objects("contacts");
    }

    /** Non-archived objects of a type ({@code tasks}, {@code emails}...), by id. */
    public List<SimulatedObject> objects(String type) {
        synchronized (state) {
            return state.all(type, false).stream().map(HubSpotSimulator::snapshot).toList();
        }
    }

    public List<String> associatedContactIds(String type, String objectId) {
        return state.contactsOf(type, objectId);
    }

    public Set<String> propertyNames(String type) {
        return state.propertyNames(type);
    }

    private static SimulatedObject snapshot(SimObject object) {
        return new SimulatedObject(object.id(), object.properties(), object.createdAt(), object.updatedAt(),
                object.archived());
    }

    /** The webhooks the simulator sends for contact changes, once a target URL is subscribed. */
    public HubSpotWebhookSender webhooks() {
        return webhooks;
    }

    // ---------------------------------------------------------------- forms

    /** Loads generated forms and their submissions (the contacts' conversion properties already agree with them). */
    private void seedForms(SandboxData data) {
        for (SandboxData.GeneratedForm form : data.forms()) {
            forms.addForm(form.id(), form.name(), form.formType(), form.createdAt());
        }
        for (SandboxData.GeneratedFormSubmission submission : data.formSubmissions()) {
            forms.submit(submission.formId(), submission.submittedAt(), submission.values(), submission.pageUrl());
        }
    }

    /** Creates a marketing form ({@code formType} hubspot, captured, flow or blog_comment); returns its GUID. */
    public String createForm(String name, String formType) {
        return forms.addForm(null, name, formType, options.clock().instant()).id();
    }

    public void archiveForm(String formId) {
        forms.archive(formId);
    }

    /**
     * Someone submits a form now, as on a website: the submission is recorded, and, as HubSpot does, the contact
     * with the submitted {@code email} gets the conversion ({@code num_conversion_events},
     * {@code recent_conversion_*}, {@code first_conversion_*} if it had none), or is created with it. Returns the
     * submission's conversion id.
     */
    public String submitForm(String formId, Map<String, String> values, String pageUrl) {
        synchronized (state) {
            var form = forms.form(formId).filter(f -> !f.archived())
                    .orElseThrow(() -> new IllegalArgumentException("no live form " + formId));
            Instant now = options.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            var submission = forms.submit(formId, now, values, pageUrl);
            String email = values.get("email");
            if (email != null && !email.isBlank()) {
                Optional<SimObject> contact = state.all("contacts", false).stream()
                        .filter(c -> email.strip().equalsIgnoreCase(String.valueOf(c.properties().get("email")).strip()))
                        .findFirst();
                Map<String, String> conversion = new LinkedHashMap<>();
                conversion.put("recent_conversion_event_name", form.name());
                conversion.put("recent_conversion_date", now.toString());
                if (contact.isPresent()) {
                    Map<String, String> properties = contact.get().properties();
                    int count = 0;
                    try {
                        count = Integer.parseInt(properties.getOrDefault("num_conversion_events", "0"));
                    } catch (NumberFormatException ignored) {
                        count = 0;
                    }
                    conversion.put("num_conversion_events", Integer.toString(count + 1));
                    if (properties.get("first_conversion_event_name") == null) {
                        conversion.put("first_conversion_event_name", form.name());
                        conversion.put("first_conversion_date", now.toString());
                    }
                    state.edit("contacts", contact.get().id(), conversion);
                } else {
                    Map<String, String> properties = new LinkedHashMap<>();
                    for (String field : List.of("email", "firstname", "lastname", "company")) {
                        if (values.get(field) != null) {
                            properties.put(field, values.get(field).strip());
                        }
                    }
                    properties.putAll(conversion);
                    properties.put("num_conversion_events", "1");
                    properties.put("first_conversion_event_name", form.name());
                    properties.put("first_conversion_date", now.toString());
                    state.create("contacts", properties, List.of());
                }
            }
            return submission.conversionId();
        }
    }

    /** The forms, in creation order. */
    public List<io.leadsync.sandbox.hubspot.internal.FormsState.Form> forms() {
        return forms.forms();
    }

    /** A form's submissions, newest first. */
    public List<io.leadsync.sandbox.hubspot.internal.FormsState.Submission> formSubmissions(String formId) {
        return forms.submissions(formId);
    }

    /** Takes a scope ({@code forms}) from every token: the endpoints needing it answer 403 MISSING_SCOPES. */
    public void denyScope(String scope) {
        formsApi.denyScope(scope);
    }

    public void restoreScopes() {
        formsApi.restoreScopes();
    }

    // ---------------------------------------------------------------- faults

    /** The faults this simulator injects and its counters; the control endpoint changes the same ones. */
    public FaultInjector faults() {
        return server.faults();
    }

    // ---------------------------------------------------------------- observation

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public long requestCount(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).count();
    }

    /** Every request answered since start (not reset by {@link #clearRequests}). */
    public int totalRequests() {
        return requestCount.get();
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        webhooks.close();
        server.close();
    }

    // ---------------------------------------------------------------- HTTP

    /** HubSpot's answers, and its shape of the faults that have one. */
    private final class Vendor implements SimulatorServer.Vendor {
        @Override
        public void handle(HttpExchange exchange, PartialBatch batch) throws IOException {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, String> headers = new LinkedHashMap<>();
                int status;
                Object answer;
                try {
                    authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
                    headers.putAll(limits.admit(Api.isSearch(path)));
                    Api.Answer result;
                    if (path.startsWith("/webhooks/v3/")) {
                        try {
                            result = new Api.Answer(200, webhooks.handle(method, path, body));
                        } catch (IllegalArgumentException e) {
                            throw ApiError.validation(e.getMessage());
                        }
                    } else {
                        synchronized (state) {
                            result = io.leadsync.sandbox.hubspot.internal.FormsApi.handles(path)
                                    ? formsApi.handle(method, path, query(exchange.getRequestURI().getRawQuery()))
                                    : api.handle(method, path, query(exchange.getRequestURI().getRawQuery()), body,
                                    batch);
                        }
                    }
                    status = result.status();
                    answer = result.body();
                } catch (ApiError error) {
                    status = error.status();
                    answer = error.body();
                } catch (RuntimeException e) {
                    LOG.error("HubSpot simulator failed on {} {}", method, path, e);
                    status = 500;
                    answer = internalError("internal error: " + e);
                }
                respond(exchange, status, answer, headers);
            }
        }

        @Override
        public SimulatorServer.Answer rateLimited(FaultRule rule, SimulatorServer.VendorRequest request) {
            String policy = rule.param("policy", "SECONDLY");
            ApiError error = RateLimits.limit(policy);
            SimulatorServer.Answer answer = SimulatorServer.Answer.json(429, error.body());
            if (!Api.isSearch(request.path())) {
                for (Map.Entry<String, String> header : limits.refusedHeaders(policy).entrySet()) {
                    answer = answer.withHeader(header.getKey(), header.getValue());
                }
            }
            return answer;
        }

        @Override
        public SimulatorServer.Answer serverError(int status, FaultRule rule, SimulatorServer.VendorRequest request) {
            String message = switch (status) {
                case 502 -> "Bad Gateway";
                case 503 -> "Service Unavailable";
                case 504 -> "Gateway Timeout";
                default -> "internal error";
            };
            return SimulatorServer.Answer.json(status, internalError(message));
        }

        @Override
        public SimulatorServer.Answer expireToken(FaultRule rule, SimulatorServer.VendorRequest request) {
            String token = bearer(request.header("Authorization"));
            if (token != null) {
                expiredTokens.add(token);
            }
            return SimulatorServer.Answer.json(401, expired().body());
        }

        @Override
        public boolean applies(FaultKind kind, SimulatorServer.VendorRequest request) {
            return switch (kind) {
                case EXPIRE_TOKEN -> bearer(request.header("Authorization")) != null;
                case PARTIAL_BATCH -> Api.isPartialBatch(request.method(), request.path());
                default -> true;
            };
        }

        @Override
        public RequestClass classify(SimulatorServer.VendorRequest request) {
            return Api.isRead(request.method(), request.path()) ? RequestClass.READ : RequestClass.WRITE;
        }

        @Override
        public void validate(FaultRule rule) {
            if (rule.kind() == FaultKind.RATE_LIMIT) {
                RateLimits.limit(rule.param("policy", "SECONDLY"));
            }
        }

        @Override
        public void faultsCleared() {
            expiredTokens.clear();
        }

        @Override
        public void answered(SimulatorServer.VendorRequest request, int status) {
            record(new RecordedRequest(request.method(), request.path(), request.rawQuery(), request.bodyText(),
                    status, options.clock().instant()));
        }
    }

    private static Map<String, Object> internalError(String message) {
        return new ApiError(500, "INTERNAL_ERROR", message).body();
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).strip()
                : null;
    }

    private static ApiError expired() {
        return new ApiError(401, "EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired "
                + "at some point in the past. Refresh the token and try again.");
    }

    private void authenticate(String authorization) {
        String token = bearer(authorization);
        if (token != null && expiredTokens.contains(token)) {
            throw expired();
        }
        if (token == null || !options.tokens().contains(token)) {
            throw new ApiError(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API"
                    + " supports OAuth 2.0 authentication and you can find more details at"
                    + " https://developers.hubspot.com/docs/methods/auth/oauth-overview");
        }
    }

    private void record(RecordedRequest request) {
        requestCount.incrementAndGet();
        requests.addLast(request);
        while (requests.size() > REQUEST_LOG_LIMIT) {
            requests.pollFirst();
        }
    }

    private static void respond(HttpExchange exchange, int status, Object body, Map<String, String> headers)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        if (body == null || status == 204) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = (body instanceof String text ? text : Json.write(body)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isBlank()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.merge(name, value, (a, b) -> a + "," + b);
        }
        return query;
    }
}
