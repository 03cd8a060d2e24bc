package io.leadsync.connector.http;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.leadsync.connector.ConnectorException;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps calls under a vendor's published limits before the vendor has to refuse them: each limit is a number of
 * calls per window for the calls it applies to (HubSpot: 190 per 10 seconds, and 5 searches per second). A call
 * waits for a permit of every limit that applies. Backed by resilience4j's {@link RateLimiter}.
 *
 * <p>Permits are spread evenly (one every window/permits): the limiter's periods are not aligned with the vendor's
 * windows, and N permits granted at the end of one period and N more at the start of the next would put 2N calls
 * into one vendor window. Spread evenly, any window holds at most N + 1.
 */
public final class RequestLimiter {
    private static final Duration MAX_WAIT = Duration.ofMinutes(2);

    private record Limit(RateLimiter limiter, Predicate<ApiRequest> applies) {
    }

    private final List<Limit> limits;

    private RequestLimiter(List<Limit> limits) {
        this.limits = List.copyOf(limits);
    }

    public static RequestLimiter none() {
        return new RequestLimiter(List.of());
    }

    /** A limit of {@code permits} calls per {@code window} for the calls {@code applies} selects. */
    public static Builder builder() {
        return new Builder();
    }

    /** Waits until every limit that applies to the call allows it. */
    public void acquire(ApiRequest request) {
        for (Limit limit : limits) {
            if (limit.applies().test(request) && !limit.limiter().acquirePermission()) {
                throw new ConnectorException("waited more than " + MAX_WAIT.toSeconds() + " s for a permit of the"
                        + " rate limit " + limit.limiter().getName());
            }
        }
    }

    public static final class Builder {
        private final java.util.ArrayList<Limit> limits = new java.util.ArrayList<>();

        public Builder limit(String name, int permits, Duration window, Predicate<ApiRequest> applies) {
            if (permits > 0) {
                RateLimiterConfig config = RateLimiterConfig.custom().limitForPeriod(1)
                        .limitRefreshPeriod(window.dividedBy(permits)).timeoutDuration(MAX_WAIT).build();
                limits.add(new Limit(RateLimiter.of(name, config), applies));
            }
            return this;
        }

        public RequestLimiter build() {
            return new RequestLimiter(limits);
        }
    }
}
