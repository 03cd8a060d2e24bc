package io.leadsync.connector.mixpanel.internal;

import io.leadsync.connector.http.ApiResponse;
import io.leadsync.connector.http.RetryPolicy;

import java.time.Duration;

/**
 * Mixpanel's limits are per second (export: 3) and per hour (export and query: 60). A 429 waits as
 * {@code Retry-After} says, else a growing pause (2 s, 4 s, 8 s...), which clears the per-second limit; an hourly
 * limit outlasts the attempts and fails the stream, and the next run resumes from its cursor. 5xx back off.
 */
public final class MixpanelRetryPolicy implements RetryPolicy {
    @Override
    public Decision assess(ApiResponse response, int attempt) {
        if (response.status() == 429) {
            Duration retryAfter = RetryPolicy.retryAfter(response);
            return new Retry(retryAfter != null ? retryAfter
                    : RetryPolicy.exponential(attempt, Duration.ofSeconds(2), Duration.ofSeconds(30)));
        }
        if (response.status() >= 500) {
            return new Retry(RetryPolicy.exponential(attempt, Duration.ofMillis(500), Duration.ofSeconds(8)));
        }
        return RETURN;
    }
}
