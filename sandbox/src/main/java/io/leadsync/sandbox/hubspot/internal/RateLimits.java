package io.leadsync.sandbox.hubspot.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HubSpot's limits: requests per 10-second window (with X-HubSpot-RateLimit-* headers), search requests per second
 * (no headers on search answers), requests per day. A limit of 0 is off. Each refusal is HubSpot's 429 for its
 * policy: {@code SECONDLY} (search), {@code TEN_SECONDLY_ROLLING} (the 10-second window), {@code DAILY}.
 */
public final class RateLimits {
    private static final long WINDOW_MILLIS = 10_000;

    private final Clock clock;
    private final int perTenSeconds;
    private final int searchPerSecond;
    private final long perDay;
    private long window = -1;
    private int windowCount;
    private long second = -1;
    private int secondCount;
    private long dayCount;

    public RateLimits(Clock clock, int perTenSeconds, int searchPerSecond, long perDay) {
        this.clock = clock;
        this.perTenSeconds = perTenSeconds;
        this.searchPerSecond = searchPerSecond;
        this.perDay = perDay;
    }

    /**
     * Counts a request; throws HubSpot's 429 when over a limit. Returns the rate-limit headers for a non-search
     * answer (none for search).
     */
    public synchronized Map<String, String> admit(boolean search) {
        long now = clock.millis();
        if (perDay > 0 && dayCount >= perDay) {
            throw limit("DAILY");
        }
        if (search) {
            long currentSecond = now / 1000;
            if (currentSecond != second) {
                second = currentSecond;
                secondCount = 0;
            }
            if (searchPerSecond > 0 && secondCount >= searchPerSecond) {
                throw limit("SECONDLY");
            }
            secondCount++;
            dayCount++;
            return Map.of();
        }
        long currentWindow = now / WINDOW_MILLIS;
        if (currentWindow != window) {
            window = currentWindow;
            windowCount = 0;
        }
        if (perTenSeconds > 0 && windowCount >= perTenSeconds) {
            throw limit("TEN_SECONDLY_ROLLING");
        }
        windowCount++;
        dayCount++;
        return headers(perTenSeconds - windowCount, perDay - dayCount);
    }

    /**
     * The headers of a refusal injected as a fault, for a request that is not a search: none of the window left
     * (or of the day, for {@code DAILY}).
     */
    public synchronized Map<String, String> refusedHeaders(String policy) {
        return headers(0, "DAILY".equals(policy) ? 0 : perDay - dayCount);
    }

    private Map<String, String> headers(long remaining, long dailyRemaining) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (perTenSeconds > 0) {
            headers.put("X-HubSpot-RateLimit-Max", Integer.toString(perTenSeconds));
            headers.put("X-HubSpot-RateLimit-Remaining", Long.toString(remaining));
            headers.put("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(WINDOW_MILLIS));
        }
        if (perDay > 0) {
            headers.put("X-HubSpot-RateLimit-Daily", Long.toString(perDay));
            headers.put("X-HubSpot-RateLimit-Daily-Remaining", Long.toString(Math.max(0, dailyRemaining)));
        }
        return headers;
    }

    /** HubSpot's policies, as its 429s name them. */
    public static final java.util.Set<String> POLICIES = java.util.Set.of("SECONDLY", "TEN_SECONDLY_ROLLING", "DAILY");

    /**
     * HubSpot's 429 for a policy: {@code {"status":"error","message":"You have reached your secondly limit.",
     * "errorType":"RATE_LIMIT","correlationId":...,"policyName":"SECONDLY"}}.
     */
    public static ApiError limit(String policy) {
        if (!POLICIES.contains(policy)) {
            throw new IllegalArgumentException("HubSpot has no rate-limit policy '" + policy + "'; its policies are "
                    + new java.util.TreeSet<>(POLICIES));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("errorType", "RATE_LIMIT");
        extra.put("policyName", policy);
        return new RateLimitError("You have reached your " + policy.toLowerCase(java.util.Locale.ROOT) + " limit.",
                extra);
    }

    /** HubSpot's 429 body has errorType and policyName and no category. */
    static final class RateLimitError extends ApiError {
        RateLimitError(String message, Map<String, Object> extra) {
            super(429, null, message, extra);
        }

        @Override
        public Map<String, Object> body() {
            Map<String, Object> body = super.body();
            body.remove("category");
            return body;
        }
    }
}
