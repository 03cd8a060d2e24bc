package io.leadsync.connector.http;

import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
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
 * <p>Each call gets the connector's credentials ({@link Authenticator}) and is retried as the vendor's
 * {@link RetryPolicy} says (with resilience4j); a call that got no answer is retried with back-off. A 401 asks the
 * authenticator to refresh once (an expired OAuth token), then becomes an {@link AuthenticationException}. Every
 * other answer is returned for the connector to judge. Credentials go only into the request; they are never logged
 * or put in a message. HttpClient's own automatic retries are turned off on the component: they would re-send 429
 * and 503 answers on their own, against the vendor's budget and the policy.
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
    private final RetryPolicy policy;
    private final RetryConfig retryConfig;
    private final String unauthorizedHint;
    private final AtomicLong requests = new AtomicLong();
    private volatile RequestLimiter limiter = RequestLimiter.none();
    private volatile ProducerTemplate template;
    private volatile org.apache.camel.Producer streamingProducer;
    private volatile org.apache.camel.Endpoint streamingEndpoint;

    /**
     * @param connectorName    the configured instance, for messages
     * @param vendor           the vendor's name, for messages ({@code HubSpot})
     * @param unauthorizedHint what an operator should check when the credentials are refused
     */
    public ApiClient(CamelContext camel, String connectorName, String vendor, URI baseUrl, Authenticator authenticator,
                     RetryPolicy policy, int maxAttempts, String unauthorizedHint) {
        this.camel = camel;
        this.connectorName = connectorName;
        this.vendor = vendor;
        this.baseUrl = baseUrl;
        this.endpointUri = baseUrl + "?throwExceptionOnFailure=false";
        this.authenticator = authenticator;
        this.policy = policy;
        this.unauthorizedHint = unauthorizedHint;
        camel.getComponent(baseUrl.getScheme(), HttpComponent.class).setAutomaticRetriesDisabled(true);
        this.retryConfig = RetryConfig.<Attempt>custom()
                .maxAttempts(maxAttempts)
                .retryOnResult(attempt -> attempt.decision() instanceof RetryPolicy.Retry)
                .retryOnException(e -> e instanceof TransportFailure)
                .intervalBiFunction(this::pause)
                .failAfterMaxAttempts(false)
                .build();
    }

    /** An answer and what the policy made of it. */
    private record Attempt(ApiResponse response, RetryPolicy.Decision decision) {
    }

    /** A call that never reached the vendor or got no answer. */
    private static final class TransportFailure extends RuntimeException {
        TransportFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** Keeps this client's calls under the vendor's limits (see {@link RequestLimiter}); none by default. */
    public ApiClient limitedBy(RequestLimiter requestLimiter) {
        this.limiter = requestLimiter;
        return this;
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
     * @throws AuthenticationException when the credentials are refused (after one refresh where possible)
     * @throws ConnectorException      when the vendor cannot be reached, keeps failing, or the policy fails the call
     */
    public ApiResponse send(ApiRequest request) {
        Attempt attempt = sendWithRetries(request);
        if (attempt.response().status() == 401 && authenticator.refresh()) {
            attempt = sendWithRetries(request);
        }
        ApiResponse response = attempt.response();
        if (response.status() == 401) {
            throw new AuthenticationException(vendor + " rejected the credentials of " + connectorName + " ("
                    + response.category() + ": " + response.message() + "). " + unauthorizedHint);
        }
        if (attempt.decision() instanceof RetryPolicy.Fail fail) {
            throw fail.failure();
        }
        if (attempt.decision() instanceof RetryPolicy.Retry) {
            throw new ConnectorException(vendor + " answered " + request.describe() + " with " + response.status()
                    + " after " + retryConfig.getMaxAttempts() + " attempts: " + response.message());
        }
        return response;
    }

    private Attempt sendWithRetries(ApiRequest request) {
        Retry retry = Retry.of(connectorName + " " + request.describe(), retryConfig);
        int[] attempts = {0};
        try {
            return Retry.decorateCheckedSupplier(retry, () -> {
                attempts[0]++;
                ApiResponse response = exchange(request);
                RetryPolicy.Decision decision = response.status() == 401 ? RetryPolicy.RETURN
                        : policy.assess(response, attempts[0]);
                return new Attempt(response, decision);
            }).get();
        } catch (TransportFailure e) {
            throw new ConnectorException("cannot reach " + vendor + " at " + baseUrl + " for " + request.describe()
                    + " (" + connectorName + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new ConnectorException(vendor + " call " + request.describe() + " failed: " + e, e);
        }
    }

    private long pause(Integer attempt, Either<Throwable, Attempt> outcome) {
        if (outcome.isRight() && outcome.get().decision() instanceof RetryPolicy.Retry retry) {
            return retry.pause().toMillis();
        }
        return policy.pauseAfterTransportFailure(attempt).toMillis();
    }

    private ApiResponse exchange(ApiRequest request) {
        limiter.acquire(request);
        requests.incrementAndGet();
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        Exchange exchange = template().request(endpointUri, ex -> prepare(ex.getIn(), request, headers));
        if (exchange.getException() != null) {
            throw transportFailure(request, exchange.getException());
        }
        Message out = exchange.getMessage();
        String text = out.getBody(String.class);
        LOG.debug("{} {} -> {}", connectorName, request.describe(), status(out));
        return new ApiResponse(status(out), text, Json.parse(text), responseHeaders(out, headers));
    }

    /**
     * Sends a call whose successful answer is read as a stream; an unsuccessful answer is read whole and taken as
     * {@link #send} takes it (retries, refresh after a 401, failure). The caller closes the result.
     *
     * @throws AuthenticationException when the credentials are refused
     * @throws ConnectorException      when the vendor cannot be reached, keeps failing, or answers other than 2xx
     */
    public StreamedResponse openStream(ApiRequest request) {
        boolean refreshed = false;
        for (int attempt = 1; ; attempt++) {
            limiter.acquire(request);
            requests.incrementAndGet();
            Map<String, String> headers = new LinkedHashMap<>(request.headers());
            Exchange exchange;
            try {
                org.apache.camel.Endpoint endpoint = streamingEndpoint();
                exchange = endpoint.createExchange();
                prepare(exchange.getIn(), request, headers);
                streamingProducer().process(exchange);
            } catch (Exception e) {
                throw transportFailure(request, e);
            }
            if (exchange.getException() != null) {
                if (attempt >= retryConfig.getMaxAttempts()) {
                    throw new ConnectorException("cannot reach " + vendor + " at " + baseUrl + " for "
                            + request.describe() + " (" + connectorName + "): " + exchange.getException().getMessage(),
                            exchange.getException());
                }
                sleep(policy.pauseAfterTransportFailure(attempt));
                continue;
            }
            Message out = exchange.getMessage();
            int status = status(out);
            Map<String, String> responseHeaders = responseHeaders(out, headers);
            java.io.InputStream body = out.getBody(java.io.InputStream.class);
            if (status >= 200 && status < 300) {
                LOG.debug("{} {} -> {} (streamed)", connectorName, request.describe(), status);
                return new StreamedResponse(status, responseHeaders, body);
            }
            String text;
            try (java.io.InputStream in = body == null ? java.io.InputStream.nullInputStream() : body) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                text = "";
            }
            ApiResponse response = new ApiResponse(status, text, Json.parse(text), responseHeaders);
            if (status == 401) {
                if (!refreshed && authenticator.refresh()) {
                    refreshed = true;
                    continue;
                }
                throw new AuthenticationException(vendor + " rejected the credentials of " + connectorName + " ("
                        + response.category() + ": " + response.message() + "). " + unauthorizedHint);
            }
            RetryPolicy.Decision decision = policy.assess(response, attempt);
            if (decision instanceof RetryPolicy.Fail fail) {
                throw fail.failure();
            }
            if (decision instanceof RetryPolicy.Retry retry && attempt < retryConfig.getMaxAttempts()) {
                sleep(retry.pause());
                continue;
            }
            throw new ApiException(vendor, request.describe(), response);
        }
    }

    private static void sleep(java.time.Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("interrupted while waiting to retry");
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

    private TransportFailure transportFailure(ApiRequest request, Throwable failure) {
        LOG.debug("{} {} failed: {}", connectorName, request.describe(), failure.toString());
        return new TransportFailure(failure.getClass().getSimpleName() + ": " + failure.getMessage(), failure);
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
