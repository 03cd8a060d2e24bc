package io.leadsync.sandbox.hubspot.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HubSpot's limits: requests per 10-second window (with X-HubSpot-RateLimit-* headers), search requests per second
 * (no headers on search answers), requests per day. A limit of 0 is off.
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
    private int forced;

    public RateLimits(Clock clock, int perTenSeconds, int searchPerSecond, long perDay) {
        this.clock = clock;
        this.perTenSeconds = perTenSeconds;
        this.searchPerSecond = searchPerSecond;
        this.perDay = perDay;
    }

    /** The next {@code times} requests are refused with the per-second 429. */
    public synchronized void forceNext(int times) {
        forced += times;
    }

    /**
     * Counts a request; throws HubSpot's 429 when over a limit. Returns the rate-limit headers for a non-search
     * answer (none for search).
     */
    public synchronized Map<String, String> admit(boolean search) {
        if (forced > 0) {
            forced--;
            throw limit("You have reached your secondly limit.", "SECONDLY");
        }
        long now = clock.millis();
        if (perDay > 0 && dayCount >= perDay) {
            throw limit("You have reached your daily limit.", "DAILY");
        }
        if (search) {
            long currentSecond = now / 1000;
            if (currentSecond != second) {
                second = currentSecond;
                secondCount = 0;
            }
            if (searchPerSecond > 0 && secondCount >= searchPerSecond) {
                throw limit("You have reached your secondly limit.", "SECONDLY");
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
            ApiError error = limit("You have reached your secondly limit.", "SECONDLY");
            throw error;
        }
        windowCount++;
        dayCount++;
        Map<String, String> headers = new LinkedHashMap<>();
        if (perTenSeconds > 0) {
            headers.put("X-HubSpot-RateLimit-Max", Integer.toString(perTenSeconds));
            headers.put("X-HubSpot-RateLimit-Remaining", Integer.toString(perTenSeconds - windowCount));
            headers.put("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(WINDOW_MILLIS));
        }
        if (perDay > 0) {
            headers.put("X-HubSpot-RateLimit-Daily", Long.toString(perDay));
            headers.put("X-HubSpot-RateLimit-Daily-Remaining", Long.toString(perDay - dayCount));
        }
        return headers;
    }

    private static ApiError limit(String message, String policy) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("errorType", "RATE_LIMIT");
        extra.put("policyName", policy);
        return new RateLimitError(message, extra);
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
