package io.leadsync.connector.hubspot.internal;

import io.leadsync.connector.QuotaExhaustedException;
import io.leadsync.connector.http.ApiResponse;
import io.leadsync.connector.http.RetryPolicy;

import java.time.Duration;

/**
 * How HubSpot's answers are taken: a 429 of a per-second or per-10-second policy waits ({@code Retry-After} when
 * sent, else a growing pause within {@code X-HubSpot-RateLimit-Interval-Milliseconds}) and retries; a 429 of the
 * {@code DAILY} policy fails at once with {@link QuotaExhaustedException} (retrying does not help); a 5xx backs off
 * and retries; everything else is returned.
 */
public final class HubSpotRetryPolicy implements RetryPolicy {
    private final String connectorName;

    public HubSpotRetryPolicy(String connectorName) {
        this.connectorName = connectorName;
    }

    @Override
    public Decision assess(ApiResponse response, int attempt) {
        if (response.status() == 429) {
            if ("DAILY".equals(response.body().path("policyName").asText(""))) {
                return new Fail(new QuotaExhaustedException("HubSpot's daily API limit for " + connectorName
                        + " is spent (429 DAILY); the job resumes on its next run"));
            }
            Duration retryAfter = RetryPolicy.retryAfter(response);
            if (retryAfter != null) {
                return new Retry(retryAfter);
            }
            long interval = response.header("X-HubSpot-RateLimit-Interval-Milliseconds").map(text -> {
                try {
                    return Long.parseLong(text.strip());
                } catch (NumberFormatException e) {
                    return 10_000L;
                }
            }).orElse(10_000L);
            return new Retry(Duration.ofMillis(Math.min(interval, 1_000L * attempt)));
        }
        if (response.status() >= 500) {
            return new Retry(RetryPolicy.exponential(attempt, Duration.ofMillis(500), Duration.ofSeconds(8)));
        }
        return RETURN;
    }
}
