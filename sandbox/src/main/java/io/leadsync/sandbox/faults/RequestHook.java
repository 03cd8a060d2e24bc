package io.leadsync.sandbox.faults;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A callback run once, on the simulator's request thread, when the Nth request matching a method and path reaches
 * a {@link Phase}; made by {@link FaultInjector#onRequest}. Java only: a test uses it to act at a precise point of
 * a conversation, e.g. kill the client's process when its third batch write has changed the simulator's state but
 * before the answer is sent.
 */
public final class RequestHook {
    /** Where in the handling of a request the callback runs. */
    public enum Phase {
        /** When the request has arrived, before any fault is decided and before it is processed. */
        BEFORE,
        /**
         * When the simulator has processed the request (a write has changed its state) and is about to send the
         * answer. Requests a fault answered instead of the vendor (429s, 5xx, drops before) never reach it.
         */
        AFTER
    }

    /** What runs; it may block (the request waits for it), and may throw (logged; the request goes on). */
    @FunctionalInterface
    public interface Callback {
        void onRequest(HookedRequest request) throws Exception;
    }

    private final String method;
    private final PathPattern path;
    private final int nth;
    private final Phase phase;
    private final Callback callback;
    private final AtomicLong seen = new AtomicLong();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);

    RequestHook(String method, String path, int nth, Phase phase, Callback callback) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth counts from 1 but was " + nth);
        }
        this.method = method == null ? null : method.toUpperCase(java.util.Locale.ROOT);
        this.path = PathPattern.of(path);
        this.nth = nth;
        this.phase = java.util.Objects.requireNonNull(phase, "phase");
        this.callback = java.util.Objects.requireNonNull(callback, "callback");
    }

    /** Whether the callback has run to its end. */
    public boolean fired() {
        return done.getCount() == 0;
    }

    /** Waits until the callback has run to its end; false if the time ran out first. */
    public boolean awaitFired(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Matching requests that reached the hook's phase so far. */
    public long seen() {
        return seen.get();
    }

    /** The callback will not run (if it has not yet). */
    public void cancel() {
        cancelled.set(true);
    }

    Phase phase() {
        return phase;
    }

    /** Counts the request if it matches; true if it is the Nth (the caller then runs {@link #run}). */
    boolean counts(String requestMethod, String requestPath) {
        if (cancelled.get() || (method != null && !method.equals(requestMethod)) || !path.matches(requestPath)) {
            return false;
        }
        return seen.incrementAndGet() == nth;
    }

    void run(HookedRequest request) throws Exception {
        try {
            callback.onRequest(request);
        } finally {
            done.countDown();
        }
    }

    @Override
    public String toString() {
        return "hook on request " + nth + " of " + (method == null ? "*" : method) + " " + path + " " + phase;
    }
}
