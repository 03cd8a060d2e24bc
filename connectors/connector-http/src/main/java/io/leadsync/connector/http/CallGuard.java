package io.leadsync.connector.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.leadsync.connector.CallStats;
import io.leadsync.connector.ConnectorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way leadsync calls a vendor, whatever the client: every attempt waits for the vendor's rate limits
 * ({@link RequestLimiter}, resilience4j RateLimiter), passes the vendor's circuit breaker (resilience4j
 * CircuitBreaker), and is repeated by resilience4j's {@link Retry} as the vendor's {@link RetryPolicy} judges each
 * answer: {@code Retry-After} and the vendor's rate-limit headers set the pause where sent, else an exponential
 * back-off with jitter. One guard per connector instance (a HubSpot portal, a Salesforce org), shared by its source
 * and sink; {@link #stats()} counts what the calls met.
 *
 * <p>The circuit opens when most of the recent attempts got no answer, a 5xx or an unreadable body (a vendor that is
 * down or a proxy in the way); while it is open, calls fail at once with {@link VendorUnavailableException} instead
 * of waiting through their retries, and after {@code openFor} a few trial calls decide whether it closes. Rate-limit
 * answers neither open nor close it: the vendor is up, it asks to slow down.
 *
 * <p>Thread-safe. A thread interrupted while waiting (graceful shutdown) stops at once with a
 * {@link ConnectorException}.
 */
public final class CallGuard {
    private static final Logger LOG = LoggerFactory.getLogger(CallGuard.class);

    /** What kind of outcome an attempt had, for the circuit breaker and the counts. */
    public enum Kind {
        /** An answer the connector takes (2xx, or an error that is the caller's to judge: 400, 404...). */
        ANSWERED,
        /** The vendor asked to slow down (429, or the vendor's own transient-limit answer). */
        RATE_LIMITED,
        /** A 5xx answer. */
        SERVER_ERROR,
        /** A successful status whose body could not be read. */
        MALFORMED
    }

    /** The outcome of one attempt: a value for the caller and what to do with it. */
    public record Outcome<T>(T value, RetryPolicy.Decision decision, Kind kind) {
        public Outcome {
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(kind, "kind");
        }

        public static <T> Outcome<T> done(T value) {
            return new Outcome<>(value, RetryPolicy.RETURN, Kind.ANSWERED);
        }
    }

    /** One attempt of a call; {@code attempt} counts from 1. Throws {@link NoAnswer} when no answer came. */
    @FunctionalInterface
    public interface Attempt<T> {
        Outcome<T> run(int attempt);
    }

    /** An attempt that got no answer at all (refused, reset, timed out): retried with back-off. */
    public static final class NoAnswer extends RuntimeException {
        public NoAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The last outcome of a call whose retries are spent, or of a call the policy returned. */
    public record Result<T>(T value, RetryPolicy.Decision decision, Kind kind, int attempts) {
        /** Whether the last attempt still asked for a retry: the call gave up. */
        public boolean exhausted() {
            return decision instanceof RetryPolicy.Retry;
        }
    }

    /**
     * Settings of a guard.
     *
     * @param maxAttempts       attempts of a call that gets no answer, a 5xx or an unreadable body
     * @param rateLimitAttempts attempts of a call the vendor keeps asking to slow down: more than for errors, since a
     *                          rate-limit answer is no failure and waiting is what it asks (a run must not fail
     *                          because a busy moment sent five 429s in a row)
     */
    public record Settings(int maxAttempts, int rateLimitAttempts, Duration openFor, int window, int minimumCalls,
                           float failureRate) {
        public Settings {
            if (maxAttempts < 1 || rateLimitAttempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1");
            }
        }

        /**
         * {@code maxAttempts} per call on errors, twice that (10 at least) on rate-limit answers; the circuit opens
         * when half of the last 10 attempts (5 at least) failed, and stays open 30 seconds.
         */
        public static Settings of(int maxAttempts) {
            return new Settings(maxAttempts, Math.max(10, maxAttempts * 2), Duration.ofSeconds(30), 10, 5, 50f);
        }

        public Settings withOpenFor(Duration value) {
            return new Settings(maxAttempts, rateLimitAttempts, value, window, minimumCalls, failureRate);
        }
    }

    private final String name;
    private final String vendor;
    private final RetryPolicy policy;
    private final Settings settings;
    private final CircuitBreaker breaker;
    private volatile RequestLimiter limiter = RequestLimiter.none();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong transportFailures = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong waitedNanos = new AtomicLong();

    /**
     * @param name   the connector instance, for messages and metric names ({@code hubspot-main})
     * @param vendor the vendor, for messages ({@code HubSpot})
     * @param policy how the vendor's answers are judged
     */
    public CallGuard(String name, String vendor, RetryPolicy policy, Settings settings) {
        this.name = Objects.requireNonNull(name, "name");
        this.vendor = Objects.requireNonNull(vendor, "vendor");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRate())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(e -> true)
                .build());
    }

    public String name() {
        return name;
    }

    public String vendor() {
        return vendor;
    }

    public RetryPolicy policy() {
        return policy;
    }

    public int maxAttempts() {
        return settings.maxAttempts();
    }

    /** Keeps this guard's calls under the vendor's limits; none by default. */
    public CallGuard limitedBy(RequestLimiter requestLimiter) {
        this.limiter = Objects.requireNonNull(requestLimiter, "requestLimiter");
        return this;
    }

    /**
     * Runs a call: each attempt waits for the limits that apply to {@code request} (null: none), passes the circuit
     * breaker, and is repeated while the policy asks and attempts remain.
     *
     * @param what a description of the call for messages ({@code POST /crm/v3/objects/contacts/batch/update})
     * @return the last outcome, with {@link Result#exhausted()} true if the attempts ran out while asked to retry
     * @throws VendorUnavailableException when the circuit is open
     * @throws ConnectorException         when no attempt got an answer, or the thread was interrupted
     * @throws RuntimeException           the failure of a {@link RetryPolicy.Fail} decision, as the policy made it
     */
    public <T> Result<T> call(String what, ApiRequest request, Attempt<T> attempt) {
        RetryConfig config = RetryConfig.<Tried<T>>custom()
                .maxAttempts(Math.max(settings.maxAttempts(), settings.rateLimitAttempts()))
                .retryOnResult(tried -> tried.outcome().decision() instanceof RetryPolicy.Retry && !tried.last())
                .retryOnException(e -> e instanceof NoAnswer)
                .intervalBiFunction((n, either) -> pause(n, either.isRight()
                        ? io.github.resilience4j.core.functions.Either.right(either.get().outcome())
                        : io.github.resilience4j.core.functions.Either.left(either.getLeft())))
                .failAfterMaxAttempts(false)
                .build();
        Retry retry = Retry.of(name, config);
        int[] count = {0};
        int[] errors = {0};
        int[] rateLimits = {0};
        try {
            Outcome<T> outcome = Retry.decorateCheckedSupplier(retry, () -> {
                count[0]++;
                if (count[0] > 1) {
                    retries.incrementAndGet();
                }
                Outcome<T> one;
                try {
                    one = once(what, request, attempt, count[0]);
                } catch (NoAnswer e) {
                    if (++errors[0] >= settings.maxAttempts()) {
                        throw new GaveUp(e);
                    }
                    throw e;
                }
                boolean last = false;
                if (one.decision() instanceof RetryPolicy.Retry) {
                    last = one.kind() == Kind.RATE_LIMITED ? ++rateLimits[0] >= settings.rateLimitAttempts()
                            : ++errors[0] >= settings.maxAttempts();
                }
                return new Tried<>(one, last);
            }).get().outcome();
            if (outcome.decision() instanceof RetryPolicy.Fail fail) {
                throw fail.failure();
            }
            if (outcome.decision() instanceof RetryPolicy.Retry) {
                LOG.warn("{}: {} still asked to retry ({}) after {} attempts; giving up", name, what, outcome.kind(),
                        count[0]);
            }
            return new Result<>(outcome.value(), outcome.decision(), outcome.kind(), count[0]);
        } catch (GaveUp gaveUp) {
            NoAnswer e = gaveUp.noAnswer;
            throw new ConnectorException("cannot reach " + vendor + " for " + what + " (" + name + ") after "
                    + count[0] + " attempts: " + e.getMessage(), e.getCause() == null ? e : e.getCause());
        } catch (NoAnswer e) {
            throw new ConnectorException("cannot reach " + vendor + " for " + what + " (" + name + ") after "
                    + count[0] + " attempts: " + e.getMessage(), e.getCause() == null ? e : e.getCause());
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new ConnectorException(vendor + " call " + what + " (" + name + ") failed: " + e, e);
        }
    }

    /** An attempt's outcome, and whether it was the last its kind may have. */
    private record Tried<T>(Outcome<T> outcome, boolean last) {
    }

    /** No answer, and no attempt left for it. */
    private static final class GaveUp extends RuntimeException {
        final NoAnswer noAnswer;

        GaveUp(NoAnswer noAnswer) {
            super(noAnswer.getMessage(), noAnswer, false, false);
            this.noAnswer = noAnswer;
        }
    }

    private <T> Outcome<T> once(String what, ApiRequest request, Attempt<T> attempt, int number) {
        if (Thread.currentThread().isInterrupted()) {
            throw new ConnectorException(name + ": interrupted before " + what + " (the run is stopping)");
        }
        if (request != null) {
            long started = System.nanoTime();
            limiter.acquire(request);
            waitedNanos.addAndGet(System.nanoTime() - started);
        }
        if (!breaker.tryAcquirePermission()) {
            rejected.incrementAndGet();
            throw new VendorUnavailableException(vendor, name, what, breaker.getMetrics().getFailureRate(),
                    settings.openFor());
        }
        long started = System.nanoTime();
        attempts.incrementAndGet();
        Outcome<T> outcome;
        try {
            outcome = attempt.run(number);
        } catch (NoAnswer e) {
            transportFailures.incrementAndGet();
            breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            LOG.debug("{}: {} got no answer (attempt {}): {}", name, what, number, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            breaker.releasePermission();
            throw e;
        }
        long took = System.nanoTime() - started;
        switch (outcome.kind()) {
            case SERVER_ERROR -> {
                serverErrors.incrementAndGet();
                breaker.onError(took, TimeUnit.NANOSECONDS, new ConnectorException(vendor + " answered 5xx"));
            }
            case MALFORMED -> {
                malformed.incrementAndGet();
                breaker.onError(took, TimeUnit.NANOSECONDS, new ConnectorException(vendor + " answer unreadable"));
            }
            case RATE_LIMITED -> {
                rateLimited.incrementAndGet();
                breaker.releasePermission();
            }
            case ANSWERED -> breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        }
        if (outcome.decision() instanceof RetryPolicy.Retry && number < settings.maxAttempts()) {
            LOG.debug("{}: {} answered {} (attempt {}); retrying", name, what, outcome.kind(), number);
        }
        return outcome;
    }

    private long pause(Integer attempt, Either<Throwable, Outcome<?>> outcome) {
        if (outcome.isRight() && outcome.get().decision() instanceof RetryPolicy.Retry retry) {
            long millis = retry.pause().toMillis();
            if (outcome.get().kind() == Kind.RATE_LIMITED) {
                waitedNanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
                return millis;
            }
            return withJitter(millis);
        }
        return withJitter(policy.pauseAfterTransportFailure(attempt).toMillis());
    }

    /** Between three quarters and the whole of a pause, so that retries of many clients do not march in step. */
    static long withJitter(long millis) {
        if (millis <= 1) {
            return millis;
        }
        long quarter = millis / 4;
        return millis - quarter + ThreadLocalRandom.current().nextLong(quarter + 1);
    }

    /** What the calls met since this guard was built. */
    public CallStats stats() {
        return new CallStats(attempts.get(), retries.get(), rateLimited.get(), serverErrors.get(),
                transportFailures.get(), malformed.get(), rejected.get(),
                TimeUnit.NANOSECONDS.toMillis(waitedNanos.get()), breaker.getState().name());
    }

    /** How many attempts were sent. */
    public long attempts() {
        return attempts.get();
    }
}
