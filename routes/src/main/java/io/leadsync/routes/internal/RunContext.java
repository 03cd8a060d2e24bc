package io.leadsync.routes.internal;

import io.leadsync.routes.RunStats;
import io.leadsync.routes.SyncJob;

import java.time.Instant;

/** One run under way: its id, job, lease owner and counts. Travels with the Camel exchange as a property. */
public final class RunContext {
    public static final String PROPERTY = "leadsync.run";

    private final long runId;
    private final SyncJob job;
    private final String trigger;
    private final String leaseOwner;
    private final Instant startedAt;
    private final RunStats stats = new RunStats();
    private volatile boolean failed;
    private volatile boolean paused;

    public RunContext(long runId, SyncJob job, String trigger, String leaseOwner, Instant startedAt) {
        this.runId = runId;
        this.job = job;
        this.trigger = trigger;
        this.leaseOwner = leaseOwner;
        this.startedAt = startedAt;
    }

    public long runId() {
        return runId;
    }

    public SyncJob job() {
        return job;
    }

    public String trigger() {
        return trigger;
    }

    public String leaseOwner() {
        return leaseOwner;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public RunStats stats() {
        return stats;
    }

    /** A stage failed; the run goes on with the other stages and ends FAILED. */
    public void failed(String what, Throwable cause) {
        failed = true;
        stats.problem(what + ": " + describe(cause));
    }

    /** A vendor's budget is spent; the run ends PAUSED. */
    public void paused(String what, Throwable cause) {
        paused = true;
        stats.problem(what + ": " + describe(cause));
    }

    public boolean hasFailed() {
        return failed;
    }

    public boolean isPaused() {
        return paused;
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown failure";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
