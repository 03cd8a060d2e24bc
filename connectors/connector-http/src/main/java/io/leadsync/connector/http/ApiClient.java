package io.leadsync.connector.http;

import io.leadsync.connector.AuthenticationException;
import io.leadsync.connector.ConnectorException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls a vendor's HTTP API through Camel's http component.
 *
 * <p>Each call gets the connector's credentials ({@link Authenticator}) and goes through the connector instance's
 * {@link CallGuard}: the vendor's rate limits, its circuit breaker, and retries as the vendor's {@link RetryPolicy}
 * says (resilience4j). Answers are read strictly: a successful answer whose body is not JSON (an HTML page from a
 * proxy, a body cut short) is retried like a server error, then fails the call with a
 * {@link MalformedResponseException} that names the call and shows the start of the body; it is never taken as an
 * empty page. A 401 asks the authenticator to refresh once (an expired OAuth token), then becomes an
 * {@link AuthenticationException}. Every other answer is returned for the connector to judge. Credentials go only
 * into the request; they are never logged or put in a message. HttpClient's own automatic retries are turned off on
 * the component: they would re-send 429 and 503 answers on their own, against the vendor's budget and the policy.
 *
 * <p>Thread-safe.
 */
public final class ApiClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiClient.class);

    private final CamelContext camel;
    private final String connectorName;
    private final String vendor;
    private final URI baseUrl;
    private final String endpointUri;
    private final Authenticator authenticator;
    private final CallGuard guard;
    private final String unauthorizedHint;
    private final AtomicLong requests = new AtomicLong();
    private volatile ProducerTemplate template;
    private volatile org.apache.camel.Producer streamingProducer;
    private volatile org.apache.camel.Endpoint streamingEndpoint;

    /**
     * @param guard            the connector instance's guard (its name and vendor name the calls in messages); a
     *                         source and a sink of one instance share it, and with it the vendor's limits
     * @param unauthorizedHint what an operator should check when the credentials are refused
     */
    public ApiClient(CamelContext camel, CallGuard guard, URI baseUrl, Authenticator authenticator,
                     String unauthorizedHint) {
        this.camel = camel;
        this.guard = guard;
        this.connectorName = guard.name();
        this.vendor = guard.vendor();
        this.baseUrl = baseUrl;
        this.endpointUri = baseUrl + "?throwExceptionOnFailure=false";
        this.authenticator = authenticator;
        this.unauthorizedHint = unauthorizedHint;
        camel.getComponent(baseUrl.getScheme(), HttpComponent.class).setAutomaticRetriesDisabled(true);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public CallGuard guard() {
        return guard;
    }

    /** How many HTTP requests this client sent, retries included. */
    public long requestCount() {
        return requests.get();
    }

    public ApiResponse get(String path, Map<String, String> query) {
        return send(ApiRequest.get(path, query));
    }

    public ApiResponse post(String path, Object jsonBody) {
        return send(ApiRequest.json("POST", path, jsonBody));
    }

    public ApiResponse patch(String path, Object jsonBody) {
        return send(ApiRequest.json("PATCH", path, jsonBody));
    }

    /**
     * Sends a call with retries.
     *
     * @throws AuthenticationException    when the credentials are refused (after one refresh where possible)
     * @throws MalformedResponseException when the vendor's successful answers could not be read, every attempt
     * @throws ConnectorException         when the vendor cannot be reached, keeps failing, or the policy fails the call
     */
    public ApiResponse send(ApiRequest request) {
        CallGuard.Result<ApiResponse> result = guard.call(request.describe(), request, attempt -> judge(exchange(request), attempt));
        if (result.value().status() == 401 && authenticator.refresh()) {
            result = guard.call(request.describe(), request, attempt -> judge(exchange(request), attempt));
        }
        return accept(request, result);
    }

    /** What the guard makes of an answer: 401 is returned (refresh is decided here), the rest as the policy says. */
    private CallGuard.Outcome<ApiResponse> judge(ApiResponse response, int attempt) {
        if (response.status() == 401) {
            return new CallGuard.Outcome<>(response, RetryPolicy.RETURN, CallGuard.Kind.ANSWERED);
        }
        if (response.isSuccess() && response.body().isMissingNode() && !response.rawBody().isBlank()) {
            return new CallGuard.Outcome<>(response, new RetryPolicy.Retry(guard.policy()
                    .pauseAfterTransportFailure(attempt)), CallGuard.Kind.MALFORMED);
        }
        RetryPolicy.Decision decision = guard.policy().assess(response, attempt);
        CallGuard.Kind kind = response.status() == 429 ? CallGuard.Kind.RATE_LIMITED
                : response.status() >= 500 ? CallGuard.Kind.SERVER_ERROR : CallGuard.Kind.ANSWERED;
        return new CallGuard.Outcome<>(response, decision, kind);
    }

    private ApiResponse accept(ApiRequest request, CallGuard.Result<ApiResponse> result) {
        ApiResponse response = result.value();
        if (response.status() == 401) {
            throw new AuthenticationException(vendor + " rejected the credentials of " + connectorName + " ("
                    + response.category() + ": " + response.message() + "). " + unauthorizedHint);
        }
        if (result.kind() == CallGuard.Kind.MALFORMED) {
            throw new MalformedResponseException(vendor, connectorName, request.describe(), response.status(),
                    response.rawBody(), result.attempts());
        }
        if (result.exhausted()) {
            throw new ConnectorException(vendor + " answered " + request.describe() + " with " + response.status()
                    + " after " + result.attempts() + " attempts: " + response.message());
        }
        return response;
    }

    private ApiResponse exchange(ApiRequest request) {
        requests.incrementAndGet();
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        Exchange exchange = template().request(endpointUri, ex -> prepare(ex.getIn(), request, headers));
        if (exchange.getException() != null) {
            throw noAnswer(request, exchange.getException());
        }
        Message out = exchange.getMessage();
        String text;
        try {
            text = out.getBody(String.class);
        } catch (RuntimeException e) {
            throw noAnswer(request, e);
        }
        LOG.debug("{} {} -> {}", connectorName, request.describe(), status(out));
        return new ApiResponse(status(out), text, Json.parse(text), responseHeaders(out, headers));
    }

    /** A streamed answer or, when the vendor did not answer 2xx, the answer read whole. */
    private record Opened(StreamedResponse stream, ApiResponse response) {
    }

    /**
     * Sends a call whose successful answer is read as a stream; an unsuccessful answer is read whole and taken as
     * {@link #send} takes it (retries, refresh after a 401, failure). The caller closes the result.
     *
     * @throws AuthenticationException when the credentials are refused
     * @throws ConnectorException      when the vendor cannot be reached, keeps failing, or answers other than 2xx
     */
    public StreamedResponse openStream(ApiRequest request) {
        CallGuard.Result<Opened> result = guard.call(request.describe(), request, attempt -> openOnce(request, attempt));
        if (result.value().stream() == null && result.value().response().status() == 401 && authenticator.refresh()) {
            result = guard.call(request.describe(), request, attempt -> openOnce(request, attempt));
        }
        Opened opened = result.value();
        if (opened.stream() != null) {
            return opened.stream();
        }
        ApiResponse response = opened.response();
        accept(request, new CallGuard.Result<>(response, result.decision(), result.kind(), result.attempts()));
        throw new ApiException(vendor, request.describe(), response);
    }

    private CallGuard.Outcome<Opened> openOnce(ApiRequest request, int attempt) {
        requests.incrementAndGet();
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        Exchange exchange;
        try {
            org.apache.camel.Endpoint endpoint = streamingEndpoint();
            exchange = endpoint.createExchange();
            prepare(exchange.getIn(), request, headers);
            streamingProducer().process(exchange);
        } catch (Exception e) {
            throw noAnswer(request, e);
        }
        if (exchange.getException() != null) {
            throw noAnswer(request, exchange.getException());
        }
        Message out = exchange.getMessage();
        int status = status(out);
        Map<String, String> responseHeaders = responseHeaders(out, headers);
        java.io.InputStream body = out.getBody(java.io.InputStream.class);
        if (status >= 200 && status < 300) {
            java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(
                    body == null ? java.io.InputStream.nullInputStream() : body, FIRST_LINE_LIMIT * 2);
            String unreadable = firstLineProblem(buffered, responseHeaders);
            if (unreadable != null) {
                closeQuietly(buffered);
                return new CallGuard.Outcome<>(new Opened(null, new ApiResponse(status, unreadable,
                        com.fasterxml.jackson.databind.node.MissingNode.getInstance(), responseHeaders)),
                        new RetryPolicy.Retry(guard.policy().pauseAfterTransportFailure(attempt)),
                        CallGuard.Kind.MALFORMED);
            }
            LOG.debug("{} {} -> {} (streamed)", connectorName, request.describe(), status);
            return CallGuard.Outcome.done(new Opened(new StreamedResponse(status, responseHeaders, buffered), null));
        }
        String text;
        try (java.io.InputStream in = body == null ? java.io.InputStream.nullInputStream() : body) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw noAnswer(request, e);
        }
        CallGuard.Outcome<ApiResponse> judged = judge(new ApiResponse(status, text, Json.parse(text), responseHeaders),
                attempt);
        return new CallGuard.Outcome<>(new Opened(null, judged.value()), judged.decision(), judged.kind());
    }

    private static final int FIRST_LINE_LIMIT = 64 * 1024;

    /**
     * A streamed answer is JSON Lines: an HTML page from a proxy, or a start in which no line is JSON, makes the whole
     * answer unreadable (retried, then a {@link MalformedResponseException}), rather than thousands of bad records; a
     * bad line among good ones is the connector's to judge. Returns the start of the body when it is unreadable, else
     * null; the stream is left where it was.
     */
    private static String firstLineProblem(java.io.BufferedInputStream body, Map<String, String> headers)
            throws CallGuard.NoAnswer {
        try {
            body.mark(FIRST_LINE_LIMIT + 1);
            byte[] start = body.readNBytes(FIRST_LINE_LIMIT);
            body.reset();
            String text = new String(start, java.nio.charset.StandardCharsets.UTF_8);
            String type = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
                    .map(Map.Entry::getValue).findFirst().orElse("");
            if (type.toLowerCase(java.util.Locale.ROOT).contains("html")) {
                return text.isBlank() ? "(an HTML page)" : text;
            }
            String[] lines = text.split("\n", -1);
            int complete = start.length < FIRST_LINE_LIMIT ? lines.length : lines.length - 1;
            boolean sawLine = false;
            for (int i = 0; i < complete; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                sawLine = true;
                if (Json.isJson(lines[i])) {
                    return null;
                }
            }
            return sawLine ? text : null;
        } catch (java.io.IOException e) {
            throw new CallGuard.NoAnswer("the answer broke off at its start: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(java.io.InputStream in) {
        try {
            in.close();
        } catch (java.io.IOException e) {
            // the connection is released either way
        }
    }

    /** Sets method, URL, query, credentials and body of a request on a Camel message. */
    private void prepare(Message in, ApiRequest request, Map<String, String> headers) {
        Map<String, String> query = new LinkedHashMap<>(request.query());
        authenticator.apply(headers, query);
        in.setHeader(Exchange.HTTP_METHOD, request.method());
        String rawQuery = Json.formEncode(query);
        boolean absolute = request.path().startsWith("http://") || request.path().startsWith("https://");
        if (absolute) {
            URI target = URI.create(request.path());
            String existing = target.getRawQuery();
            String combined = existing == null ? rawQuery : rawQuery.isEmpty() ? existing : existing + "&" + rawQuery;
            in.setHeader(Exchange.HTTP_URI, target.getScheme() + "://" + target.getRawAuthority() + target.getRawPath());
            if (!combined.isEmpty()) {
                in.setHeader(Exchange.HTTP_RAW_QUERY, combined);
            }
        } else {
            in.setHeader(Exchange.HTTP_PATH, request.path());
            if (!rawQuery.isEmpty()) {
                in.setHeader(Exchange.HTTP_RAW_QUERY, rawQuery);
            }
        }
        headers.forEach(in::setHeader);
        in.setHeader("Accept", headers.getOrDefault("Accept", "application/json"));
        if (request.body() != null) {
            in.setHeader(Exchange.CONTENT_TYPE, request.contentType());
            in.setBody(request.body());
        }
    }

    private CallGuard.NoAnswer noAnswer(ApiRequest request, Throwable failure) {
        LOG.debug("{} {} failed: {}", connectorName, request.describe(), failure.toString());
        return new CallGuard.NoAnswer("no answer from " + baseUrl + " (" + failure.getClass().getSimpleName() + ": "
                + failure.getMessage() + ")", failure);
    }

    private static int status(Message out) {
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? 0 : status;
    }

    private static Map<String, String> responseHeaders(Message out, Map<String, String> requestHeaders) {
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        out.getHeaders().forEach((name, value) -> {
            if (value != null && !name.startsWith("Camel") && !requestHeaders.containsKey(name)
                    && !"Authorization".equalsIgnoreCase(name)) {
                responseHeaders.put(name, value.toString());
            }
        });
        return responseHeaders;
    }

    /**
     * The producer for streamed answers, used directly: through a producer template the exchange would complete on
     * return and close the answer's stream before it is read.
     */
    private synchronized org.apache.camel.Producer streamingProducer() throws Exception {
        if (streamingProducer == null) {
            org.apache.camel.Producer producer = streamingEndpoint().createProducer();
            producer.start();
            streamingProducer = producer;
        }
        return streamingProducer;
    }

    private synchronized org.apache.camel.Endpoint streamingEndpoint() {
        if (streamingEndpoint == null) {
            streamingEndpoint = camel.getEndpoint(endpointUri + "&disableStreamCache=true");
        }
        return streamingEndpoint;
    }

    /** Created on first use: connectors are built before the host starts the Camel context. */
    private ProducerTemplate template() {
        ProducerTemplate current = template;
        if (current == null) {
            synchronized (this) {
                if (template == null) {
                    template = camel.createProducerTemplate();
                }
                current = template;
            }
        }
        return current;
    }

    @Override
    public void close() {
        org.apache.camel.Producer producer = streamingProducer;
        if (producer != null) {
            try {
                producer.stop();
            } catch (RuntimeException e) {
                LOG.debug("stopping the streaming producer of {} failed", connectorName, e);
            }
        }
        ProducerTemplate current = template;
        if (current == null) {
            return;
        }
        try {
            current.stop();
        } catch (RuntimeException e) {
            LOG.debug("closing the producer template of {} failed", connectorName, e);
        }
    }
}
