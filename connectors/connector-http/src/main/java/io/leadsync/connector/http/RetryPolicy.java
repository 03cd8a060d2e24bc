package io.leadsync.connector.http;

import java.time.Duration;
import java.util.Set;

/**
 * How a vendor's answers are to be taken: returned to the connector, retried after a pause, or failed at once (a
 * spent daily budget must not be retried). Each vendor's connector supplies its own; {@link #standard} suits most
 * REST APIs.
 */
public interface RetryPolicy {

    /** What to do with an answer; {@code attempt} counts from 1. */
    Decision assess(ApiResponse response, int attempt);

    /** The pause before retrying a call that got no answer (connection refused, reset, timed out). */
    default Duration pauseAfterTransportFailure(int attempt) {
        return exponential(attempt, Duration.ofMillis(500), Duration.ofSeconds(8));
    }

    /** Return, retry after a pause, or fail with an exception. */
    sealed interface Decision permits Return, Retry, Fail {
    }

    record Return() implements Decision {
    }

    record Retry(Duration pause) implements Decision {
    }

    record Fail(RuntimeException failure) implements Decision {
    }

    Decision RETURN = new Return();

    /**
     * Retries the given statuses (429 honours {@code Retry-After} in seconds), with exponential back-off from
     * {@code backoff}; returns everything else.
     */
    static RetryPolicy standard(Set<Integer> retryStatuses, Duration backoff) {
        return (response, attempt) -> {
            if (!retryStatuses.contains(response.status())) {
                return RETURN;
            }
            Duration retryAfter = retryAfter(response);
            return new Retry(retryAfter != null ? retryAfter : exponential(attempt, backoff, backoff.multipliedBy(16)));
        };
    }

    /** {@code Retry-After} as seconds, or null when absent or an HTTP date. */
    static Duration retryAfter(ApiResponse response) {
        return response.header("Retry-After").map(value -> {
            try {
                return Duration.ofSeconds(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }

    static Duration exponential(int attempt, Duration first, Duration max) {
        long millis = first.toMillis() * (1L << Math.min(10, Math.max(0, attempt - 1)));
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
