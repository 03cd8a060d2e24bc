package io.leadsync.connector.hubspot.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.leadsync.connector.AuthenticationException;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.QuotaExhaustedException;
import io.leadsync.connector.Secret;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls the HubSpot API through Camel's http component.
 *
 * <p>Retries what HubSpot says to retry, with resilience4j: a 429 of the per-second or per-10-second policy waits
 * as the response says ({@code Retry-After} when sent, else a growing pause within the rate-limit interval); a
 * 5xx or a transport failure backs off exponentially. A 429 of the {@code DAILY} policy is not retried: the
 * job stops with {@link QuotaExhaustedException}. A 401 is an {@link AuthenticationException}. Every other answer
 * is returned for the caller to judge. The token goes only into the Authorization header; it is never logged.
 */
public final class HubSpotClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotClient.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final String connectorName;
    private final URI baseUrl;
    private final String endpointUri;
    private final Secret token;
    private final CamelContext camel;
    private volatile ProducerTemplate template;
    private final RetryConfig retryConfig;
    private final AtomicLong calls = new AtomicLong();

    public HubSpotClient(CamelContext camel, String connectorName, URI baseUrl, Secret token, int maxAttempts) {
        this.connectorName = connectorName;
        this.baseUrl = baseUrl;
        this.endpointUri = baseUrl + "?throwExceptionOnFailure=false";
        this.token = token;
        // leadsync decides what to retry (a 429 of the DAILY policy must not be); HttpClient 5 would otherwise
        // re-send 429 and 503 answers on its own, doubling calls against the vendor's budget
        camel.getComponent(baseUrl.getScheme(), HttpComponent.class).setAutomaticRetriesDisabled(true);
        this.camel = camel;
        this.retryConfig = RetryConfig.<HubSpotResponse>custom()
                .maxAttempts(maxAttempts)
                .retryOnResult(HubSpotClient::isRetryable)
                .retryOnException(e -> e instanceof TransportFailure)
                .intervalBiFunction(HubSpotClient::waitMillis)
                .failAfterMaxAttempts(false)
                .build();
    }

    /** A call that never reached HubSpot or got no answer. */
    static final class TransportFailure extends RuntimeException {
        TransportFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public HubSpotResponse get(String path, Map<String, String> query) {
        return call("GET", path, query, null);
    }

    public HubSpotResponse post(String path, Object body) {
        return call("POST", path, Map.of(), body);
    }

    public HubSpotResponse patch(String path, Object body) {
        return call("PATCH", path, Map.of(), body);
    }

    /** How many HTTP requests this client sent, retries included. */
    public long callCount() {
        return calls.get();
    }

    public URI baseUrl() {
        return baseUrl;
    }

    private HubSpotResponse call(String method, String path, Map<String, String> query, Object body) {
        String description = method + " " + path;
        String json = body == null ? null : write(body);
        Retry retry = Retry.of(connectorName + " " + description, retryConfig);
        HubSpotResponse response;
        try {
            response = Retry.decorateCheckedSupplier(retry, () -> send(method, path, query, json)).get();
        } catch (TransportFailure e) {
            throw new ConnectorException("cannot reach HubSpot at " + baseUrl + " for " + description + " ("
                    + connectorName + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new ConnectorException("HubSpot call " + description + " failed: " + e, e);
        }
        if (response.status() == 401) {
            throw new AuthenticationException("HubSpot rejected the token of " + connectorName + " ("
                    + response.category() + ": " + response.message()
                    + "). Check the private app token and its scopes (crm.objects.contacts.read/write).");
        }
        if (response.status() == 429) {
            if (isDailyLimit(response)) {
                throw new QuotaExhaustedException("HubSpot's daily API limit for " + connectorName
                        + " is spent (429 DAILY); the job resumes on its next run");
            }
            throw new ConnectorException("HubSpot kept answering " + description + " with 429 (rate limit) after "
                    + retryConfig.getMaxAttempts() + " attempts: " + response.message());
        }
        if (response.status() >= 500) {
            throw new ConnectorException("HubSpot answered " + description + " with " + response.status() + " after "
                    + retryConfig.getMaxAttempts() + " attempts: " + response.message());
        }
        return response;
    }

    private HubSpotResponse send(String method, String path, Map<String, String> query, String json) {
        calls.incrementAndGet();
        Exchange exchange = template().request(endpointUri, ex -> {
            Message in = ex.getIn();
            in.setHeader(Exchange.HTTP_METHOD, method);
            in.setHeader(Exchange.HTTP_PATH, path);
            String rawQuery = encode(query);
            if (!rawQuery.isEmpty()) {
                in.setHeader(Exchange.HTTP_RAW_QUERY, rawQuery);
            }
            in.setHeader("Authorization", "Bearer " + token.reveal());
            in.setHeader("Accept", "application/json");
            if (json != null) {
                in.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
                in.setBody(json);
            }
        });
        if (exchange.getException() != null) {
            Throwable failure = exchange.getException();
            LOG.debug("{} {} {} failed: {}", connectorName, method, path, failure.toString());
            throw new TransportFailure(failure.getClass().getSimpleName() + ": " + failure.getMessage(), failure);
        }
        Message out = exchange.getMessage();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String text = out.getBody(String.class);
        Map<String, String> headers = new LinkedHashMap<>();
        out.getHeaders().forEach((name, value) -> {
            if (value != null && !name.startsWith("Camel")) {
                headers.put(name, value.toString());
            }
        });
        LOG.debug("{} {} {} -> {}", connectorName, method, path, status);
        return new HubSpotResponse(status == null ? 0 : status, text, parse(text), headers);
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

    private static boolean isRetryable(HubSpotResponse response) {
        return (response.status() == 429 && !isDailyLimit(response)) || response.status() >= 500;
    }

    private static boolean isDailyLimit(HubSpotResponse response) {
        return "DAILY".equals(response.body().path("policyName").asText(""));
    }

    /** How long to wait before attempt {@code attempt + 1}. */
    private static long waitMillis(Integer attempt, Either<Throwable, HubSpotResponse> outcome) {
        if (outcome.isRight() && outcome.get().status() == 429) {
            HubSpotResponse response = outcome.get();
            var retryAfter = response.header("Retry-After");
            if (retryAfter.isPresent()) {
                try {
                    return Duration.ofSeconds(Long.parseLong(retryAfter.get().strip())).toMillis();
                } catch (NumberFormatException ignored) {
                    // an HTTP date: fall through to the policy's pause
                }
            }
            long interval = response.header("X-HubSpot-RateLimit-Interval-Milliseconds")
                    .map(HubSpotClient::parseLongOrNull).orElse(10_000L);
            return Math.min(interval, 1_000L * attempt);
        }
        return Math.min(8_000L, 500L * (1L << Math.min(4, attempt - 1)));
    }

    private static Long parseLongOrNull(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String encode(Map<String, String> query) {
        StringJoiner joiner = new StringJoiner("&");
        query.forEach((name, value) -> joiner.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return joiner.toString();
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write request body: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    @Override
    public void close() {
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
