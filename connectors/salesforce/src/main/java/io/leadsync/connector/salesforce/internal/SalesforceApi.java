package io.leadsync.connector.salesforce.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.AuthenticationException;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.QuotaExhaustedException;
import io.leadsync.connector.http.CallGuard;
import io.leadsync.connector.http.MalformedResponseException;
import io.leadsync.connector.http.RetryPolicy;
import io.leadsync.connector.salesforce.SalesforceSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Speaks to one Salesforce org through camel-salesforce's {@code raw} operation: the component logs in with the
 * configured OAuth flow, logs in again once on {@code 401 INVALID_SESSION_ID}, and sends REST and Bulk API 2.0
 * calls to the instance URL the login returned. This class adds what the pipeline needs around it: the daily API
 * budget read from {@code Sforce-Limit-Info}, {@code REQUEST_LIMIT_EXCEEDED} as a clean stop, retries of 5xx
 * answers and broken connections, and a count of calls.
 *
 * <p>One component per connector instance, named {@code salesforce-<instance>}, shared by its source and sink.
 * Not thread-safe beyond what the component is; the pipeline uses one connector from one thread.
 */
public final class SalesforceApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");
    private static final String RAW = "raw?rawPayload=true";
    private static final int MAX_ANSWER_BYTES = 256 * 1024 * 1024;
    /** Salesforce's limit on a REST request's URI. */
    public static final int MAX_URI_BYTES = 16_384;

    /** An answer: status, body text and the headers that matter. */
    public record Response(int status, String body, String locator, String numberOfRecords) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new ConnectorException("Salesforce answered " + status + " with a body that is not JSON: "
                        + abbreviate(body), e);
            }
        }

        /**
         * Why a CSV page of results cannot be right, or null: fewer rows than {@code Sforce-NumberOfRecords}
         * announced (the answer was cut short).
         */
        String csvProblem() {
            if (numberOfRecords == null || numberOfRecords.isBlank()) {
                return null;
            }
            long announced;
            try {
                announced = Long.parseLong(numberOfRecords.strip());
            } catch (NumberFormatException e) {
                return null;
            }
            long rows = body.isEmpty() ? 0 : body.chars().filter(c -> c == '\n').count()
                    - (body.endsWith("\n") ? 1 : 0);
            return rows < announced ? "holds " + Math.max(0, rows) + " rows where Sforce-NumberOfRecords announced "
                    + announced + " (cut short)" : null;
        }
    }

    private final SalesforceSettings settings;
    private final String componentName;
    private final ProducerTemplate template;
    private final CamelContext camel;
    private final AtomicLong requests = new AtomicLong();
    private final CallGuard guard;
    private volatile long usedToday = -1;
    private volatile long dailyLimit = -1;
    private volatile long lastRecheck;

    /**
     * @param guard the org's guard (its circuit and counts), shared by the connector instance's source and sink
     */
    public SalesforceApi(CamelContext camel, SalesforceSettings settings, CallGuard guard) {
        this.settings = settings;
        this.guard = guard;
        this.componentName = "salesforce-" + settings.name();
        synchronized (camel) {
            if (camel.hasComponent(componentName) == null) {
                camel.addComponent(componentName, component(settings));
            }
        }
        this.template = camel.createProducerTemplate();
        this.camel = camel;
    }

    /** The Camel context the org's component lives in (the change feed adds its route there). */
    public CamelContext camel() {
        return camel;
    }

    /** The org's camel-salesforce component, shared by its source, sink and change feed. */
    public SalesforceComponent component() {
        return camel.getComponent(componentName, SalesforceComponent.class);
    }

    /** The name of that component, the scheme of its endpoint URIs. */
    public String componentName() {
        return componentName;
    }

    /** A guard for an org: 5xx answers and broken connections back off from 500 ms up to 30 s. */
    public static CallGuard guard(SalesforceSettings settings) {
        return new CallGuard(settings.name(), "Salesforce", new RetryPolicy() {
            @Override
            public Decision assess(io.leadsync.connector.http.ApiResponse response, int attempt) {
                return RETURN;
            }

            @Override
            public Duration pauseAfterTransportFailure(int attempt) {
                return RetryPolicy.exponential(attempt, Duration.ofMillis(500), Duration.ofSeconds(30));
            }
        }, CallGuard.Settings.of(settings.maxAttempts()));
    }

    public CallGuard guardInUse() {
        return guard;
    }

    private static SalesforceComponent component(SalesforceSettings settings) {
        SalesforceComponent component = new SalesforceComponent();
        SalesforceSettings.Auth auth = settings.auth();
        component.setLoginUrl(settings.loginUrl().toString());
        component.setClientId(auth.clientId());
        // log in on the first call, not when the component starts: a wrong password must not stop the host
        component.setLazyLogin(true);
        // a Bulk API 2.0 results page of 50,000 wide rows is tens of megabytes; the client's default buffer is 2 MB
        component.setHttpMaxContentLength(MAX_ANSWER_BYTES);
        // a read by id puts hundreds of ids in the query string: room for Salesforce's own URI limit (16,384), where
        // the client's default buffer (8 KB) would refuse the request
        component.setHttpRequestBufferSize(MAX_URI_BYTES);
        switch (auth.flow()) {
            case PASSWORD -> {
                component.setAuthenticationType(AuthenticationType.USERNAME_PASSWORD);
                component.setClientSecret(auth.clientSecret().reveal());
                component.setUserName(auth.username());
                component.setPassword(auth.password().reveal());
            }
            case REFRESH_TOKEN -> {
                component.setAuthenticationType(AuthenticationType.REFRESH_TOKEN);
                component.setClientSecret(auth.clientSecret().reveal());
                component.setRefreshToken(auth.refreshToken().reveal());
            }
            case CLIENT_CREDENTIALS -> {
                component.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
                component.setClientSecret(auth.clientSecret().reveal());
            }
            case JWT -> {
                component.setAuthenticationType(AuthenticationType.JWT);
                component.setUserName(auth.username());
                KeyStoreParameters keystore = new KeyStoreParameters();
                keystore.setResource("file:" + auth.keystore().toAbsolutePath());
                keystore.setPassword(auth.keystorePassword().reveal());
                keystore.setType(auth.keystore().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jks")
                        ? "JKS" : "PKCS12");
                component.setKeystore(keystore);
            }
            default -> throw new IllegalStateException(auth.flow().name());
        }
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(settings.apiVersion());
        // JSON in and out: leadsync maps records itself and generates no sObject DTO classes; naming this package
        // (which holds none) tells the component so instead of a warning at start
        config.setRawPayload(true);
        component.setPackages(SalesforceApi.class.getPackageName());
        component.setConfig(config);
        return component;
    }

    /** {@code /services/data/v60.0/} + the rest. */
    public String dataPath(String rest) {
        return "/services/data/v" + settings.apiVersion() + "/" + rest;
    }

    /** Runs a SOQL query ({@code queryAll} includes deleted and merged records). */
    public JsonNode query(String soql, boolean all) {
        return get(dataPath(all ? "queryAll" : "query"), Map.of("q", soql)).json();
    }

    /** The next page of a query, from its {@code nextRecordsUrl}. */
    public JsonNode queryMore(String nextRecordsUrl) {
        return get(nextRecordsUrl, Map.of()).json();
    }

    /** A call whose successful answer is JSON (every REST call but the results of a Bulk API 2.0 query). */
    public Response get(String path, Map<String, String> query) {
        return call("GET", path, query, null, true);
    }

    /** A call whose successful answer is CSV (the results of a Bulk API 2.0 query). */
    public Response getCsv(String path, Map<String, String> query) {
        return call("GET", path, query, null, false);
    }

    public Response send(String method, String path, Object body) {
        try {
            return call(method, path, Map.of(), JSON.writeValueAsString(body), true);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body of " + method + " " + path, e);
        }
    }

    /**
     * Sends one call through the org's {@link CallGuard} (circuit breaker, retries of 5xx answers, broken
     * connections and unreadable bodies); 2xx answers come back, errors become exceptions that say what Salesforce
     * answered.
     *
     * @throws QuotaExhaustedException     when the configured share of the daily budget is used, or Salesforce
     *                                     answers {@code REQUEST_LIMIT_EXCEEDED}
     * @throws AuthenticationException     when the login fails
     * @throws MalformedResponseException  when successful answers could not be read, every attempt
     * @throws SalesforceCallException     for other error answers (status, errorCode and message)
     */
    public Response call(String method, String path, Map<String, String> query, String body, boolean json) {
        checkBudget();
        return send(method, path, query, body, json);
    }

    /** An attempt's answer, or the error it ended with. */
    private record Attempted(Response response, RuntimeException error) {
    }

    private Response send(String method, String path, Map<String, String> query, String body, boolean json) {
        String what = method + " " + path;
        CallGuard.Result<Attempted> result = guard.call(what, null, attempt -> once(method, path, query, body, json,
                attempt));
        if (result.value().error() != null) {
            throw result.value().error();
        }
        return result.value().response();
    }

    private CallGuard.Outcome<Attempted> once(String method, String path, Map<String, String> query, String body,
                                              boolean json, int attempt) {
        String what = method + " " + path;
        requests.incrementAndGet();
        Exchange exchange = template.request(componentName + ":" + RAW, ex -> {
            ex.getIn().setHeader("rawPath", path);
            ex.getIn().setHeader("rawMethod", method);
            ex.getIn().setHeader("Content-Type", "application/json");
            if (!query.isEmpty()) {
                ex.getIn().setHeader("rawQueryParameters", String.join(",", query.keySet()));
                query.forEach((name, value) -> ex.getIn().setHeader(name, value));
            }
            ex.getIn().setBody(body);
        });
        readLimitInfo(exchange.getMessage().getHeader("Sforce-Limit-Info", String.class));
        Throwable failure = exchange.getException();
        if (failure == null) {
            int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
            String text;
            try {
                text = text(exchange.getMessage().getBody());
            } catch (ConnectorException e) {
                throw new CallGuard.NoAnswer(e.getMessage(), e.getCause());
            }
            Response response = new Response(status, text, exchange.getMessage().getHeader("Sforce-Locator",
                    String.class), exchange.getMessage().getHeader("Sforce-NumberOfRecords", String.class));
            String problem = json ? (text.isBlank() || io.leadsync.connector.http.Json.isJson(text) ? null
                    : "is not JSON") : response.csvProblem();
            if (problem != null) {
                return new CallGuard.Outcome<>(new Attempted(null, new MalformedResponseException("Salesforce",
                        what + " (" + settings.name() + ")", problem, text)),
                        new RetryPolicy.Retry(guard.policy().pauseAfterTransportFailure(attempt)),
                        CallGuard.Kind.MALFORMED);
            }
            return CallGuard.Outcome.done(new Attempted(response, null));
        }
        SalesforceException salesforce = find(failure, SalesforceException.class);
        if (isLoginFailure(failure)) {
            return fail(new AuthenticationException(settings.name() + ": Salesforce login at " + settings.loginUrl()
                    + " with the " + settings.auth().flow().configName() + " flow failed (" + loginMessage(failure)
                    + "). Check the credentials: " + credentialsHint() + "."));
        }
        if (salesforce != null && salesforce.getStatusCode() > 0) {
            int status = salesforce.getStatusCode();
            String errorBody = text(exchange.getMessage().getBody());
            SalesforceCallException error = SalesforceCallException.of(settings.name(), what, status,
                    errorBody == null || errorBody.isBlank() ? salesforce.getMessage() : errorBody);
            if ("REQUEST_LIMIT_EXCEEDED".equals(error.errorCode())
                    && String.valueOf(error.vendorMessage()).contains("ConcurrentPerOrg")) {
                // too many long requests at once: transient, unlike the daily limit
                return new CallGuard.Outcome<>(new Attempted(null, error), new RetryPolicy.Retry(
                        RetryPolicy.exponential(attempt, Duration.ofSeconds(1), Duration.ofSeconds(30))),
                        CallGuard.Kind.RATE_LIMITED);
            }
            if ("REQUEST_LIMIT_EXCEEDED".equals(error.errorCode())) {
                return fail(new QuotaExhaustedException(settings.name() + ": Salesforce refused " + what
                        + " with REQUEST_LIMIT_EXCEEDED (" + error.vendorMessage() + "); the org's daily API"
                        + " limit is spent, so the job pauses and resumes on a later run. Usage: " + usage()));
            }
            if (status == 401 || "INVALID_SESSION_ID".equals(error.errorCode())) {
                return fail(new AuthenticationException(settings.name() + ": Salesforce refused the session (401"
                        + " INVALID_SESSION_ID) for " + what + " even after logging in again; check that the"
                        + " connected app's session policies and IP restrictions allow the integration user"));
            }
            if (status == 429) {
                return new CallGuard.Outcome<>(new Attempted(null, error), new RetryPolicy.Retry(
                        RetryPolicy.exponential(attempt, Duration.ofSeconds(1), Duration.ofSeconds(30))),
                        CallGuard.Kind.RATE_LIMITED);
            }
            if (status >= 500) {
                return new CallGuard.Outcome<>(new Attempted(null, error), new RetryPolicy.Retry(
                        guard.policy().pauseAfterTransportFailure(attempt)), CallGuard.Kind.SERVER_ERROR);
            }
            return fail(error);
        }
        if (find(failure, ConnectException.class) != null || find(failure, IOException.class) != null
                || find(failure, java.util.concurrent.TimeoutException.class) != null) {
            throw new CallGuard.NoAnswer(rootMessage(failure), failure);
        }
        return fail(new ConnectorException(settings.name() + ": " + what + " failed: " + rootMessage(failure),
                failure));
    }

    private static CallGuard.Outcome<Attempted> fail(RuntimeException error) {
        return new CallGuard.Outcome<>(new Attempted(null, error), new RetryPolicy.Fail(error),
                CallGuard.Kind.ANSWERED);
    }

    /**
     * Fails before a call once the configured share of the daily budget is used. The usage known from the last
     * answer ages: the budget is a rolling 24-hour window, so once per {@code limits.recheck-interval} a refused
     * call first asks (with the cheapest call there is) whether requests have been freed since.
     */
    private void checkBudget() {
        if (!overBudget()) {
            return;
        }
        long now = System.nanoTime();
        if (lastRecheck == 0 || now - lastRecheck >= settings.budgetRecheckInterval().toNanos()) {
            lastRecheck = now;
            // the version's resource directory: the cheapest call, needs no permission, and its answer carries
            // Sforce-Limit-Info like every other
            send("GET", dataPath(""), Map.of(), null, true);
            if (!overBudget()) {
                return;
            }
        }
        throw new QuotaExhaustedException(settings.name() + " has used " + usedToday + " of the org's " + dailyLimit
                + " daily API requests, the " + Math.round(settings.maxDailyShare() * 100) + "% leadsync may use"
                + " (limits.max-daily-percent); the job stops here and resumes from its saved cursors when"
                + " the rolling 24-hour window frees requests");
    }

    private boolean overBudget() {
        long limit = dailyLimit;
        return limit > 0 && usedToday >= Math.ceil(limit * settings.maxDailyShare());
    }

    private void readLimitInfo(String header) {
        if (header == null) {
            return;
        }
        Matcher matcher = API_USAGE.matcher(header);
        if (matcher.find()) {
            usedToday = Long.parseLong(matcher.group(1));
            dailyLimit = Long.parseLong(matcher.group(2));
        }
    }

    /** What the last answer said of the daily budget, e.g. {@code 1234/100000}, or "unknown". */
    public String usage() {
        return dailyLimit < 0 ? "unknown" : usedToday + "/" + dailyLimit;
    }

    public long requestCount() {
        return requests.get();
    }

    private static final Pattern LOGIN_ERROR = Pattern.compile("Login error code:\\[([^]]*)] description:\\[([^]]*)]");

    private static boolean isLoginFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (LOGIN_ERROR.matcher(String.valueOf(t.getMessage())).find()) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Salesforce's OAuth error and description, e.g. {@code invalid_grant: authentication failure}. */
    private static String loginMessage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Matcher matcher = LOGIN_ERROR.matcher(String.valueOf(t.getMessage()));
            if (matcher.find()) {
                return matcher.group(1) + ": " + matcher.group(2);
            }
        }
        return rootMessage(failure);
    }

    /** Which settings the configured flow logs in with. */
    private String credentialsHint() {
        return switch (settings.auth().flow()) {
            case PASSWORD -> "auth.client-id, auth.client-secret, auth.username and auth.password (the user's"
                    + " password followed by their security token)";
            case REFRESH_TOKEN -> "auth.client-id, auth.client-secret and auth.refresh-token (revoked tokens and"
                    + " changed refresh-token policies end a token's life)";
            case CLIENT_CREDENTIALS -> "auth.client-id and auth.client-secret, and that the connected app has a"
                    + " Run As user for the client credentials flow";
            case JWT -> "auth.client-id, auth.username and the certificate uploaded to the connected app for the key"
                    + " in auth.keystore; the user must be pre-authorized for the app";
        };
    }

    /**
     * The root cause in a line an operator reads: its type, and its message unless that is a dump of client
     * internals (Jetty's connection objects, {@code oejcti.HttpConnectionOverHTTP@1a2b...}).
     */
    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        boolean dump = message == null || message.isBlank() || message.matches("(?s).*\\w+@[0-9a-f]{4,}.*");
        return abbreviate(root.getClass().getSimpleName() + (dump ? " (the connection broke)" : ": " + message));
    }

    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String text(Object body) {
        if (body == null) {
            return "";
        }
        if (body instanceof InputStream in) {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConnectorException("cannot read Salesforce's answer: " + e.getMessage(), e);
            }
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return body.toString();
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 300 ? text : text.substring(0, 299) + "…";
    }

    /** A query string value, encoded for a path that already carries parameters. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Query parameters in the given order. */
    public static Map<String, String> params(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                map.put(pairs[i], pairs[i + 1]);
            }
        }
        return map;
    }

    @Override
    public void close() {
        try {
            template.close();
        } catch (IOException e) {
            LOG.debug("closing the producer template of {}", settings.name(), e);
        }
    }
}
