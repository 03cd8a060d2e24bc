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
    private final java.util.Map<String, io.leadsync.connector.CallStats> callsAtStart;
    private volatile boolean failed;
    private volatile boolean paused;
    private volatile String stopReason;
    private volatile Thread worker;
    /** Threads pulling streams beside the run's own thread (see {@link #lane}). */
    private final java.util.Set<Thread> lanes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean parallel;
    private final boolean dryRun;
    private volatile io.leadsync.store.Store.RollbackSession session;
    private final java.util.Map<io.leadsync.connector.StreamId, io.leadsync.connector.Cursor> readFrom =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<io.leadsync.connector.StreamId, Long> expected =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long progressLoggedAt = System.nanoTime();
    private volatile long progressPulled;

    public RunContext(long runId, SyncJob job, String trigger, String leaseOwner, Instant startedAt) {
        this(runId, job, trigger, leaseOwner, startedAt, false);
    }

    /**
     * @param dryRun whether the run writes nothing: its stages run in a store session that is rolled back at the end,
     *               and its push counts what it would write instead of writing
     */
    public RunContext(long runId, SyncJob job, String trigger, String leaseOwner, Instant startedAt, boolean dryRun) {
        this.dryRun = dryRun;
        this.callsAtStart = callStats(job);
        this.runId = runId;
        this.job = job;
        this.trigger = trigger;
        this.leaseOwner = leaseOwner;
        this.startedAt = startedAt;
    }

    private volatile boolean shared;
    private volatile boolean helper;

    /**
     * Whether the run's streams are shared with the other instances of a cluster ({@link SharedPull}): its pages then
     * take the identity lock (see {@code RunWorkRepository#lockIdentity}).
     */
    public boolean shared() {
        return shared;
    }

    public void shared(boolean shared) {
        this.shared = shared;
    }

    /**
     * Whether this is another instance's run that this instance helps with (one stream of it): its pages check the
     * owner's lease without renewing it, and its counts go back to the owner.
     */
    public boolean helper() {
        return helper;
    }

    public void helper(boolean helper) {
        this.helper = helper;
    }

    /** Adds what another instance did for this run (a stream it pulled): its counts, and whether it failed. */
    public void merge(java.util.Map<String, Object> part, boolean partFailed, boolean partPaused) {
        stats.merge(part);
        failed |= partFailed;
        paused |= partPaused;
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

    /** Whether this is a dry run: nothing it does is kept or written to a CRM. */
    public boolean dryRun() {
        return dryRun;
    }

    /** The rollback session of a dry run, once opened; null otherwise. */
    public io.leadsync.store.Store.RollbackSession session() {
        return session;
    }

    public void session(io.leadsync.store.Store.RollbackSession session) {
        this.session = session;
    }

    /** The cursor a stream's read started from in this run (absent: from the beginning). */
    public java.util.Optional<io.leadsync.connector.Cursor> readFrom(io.leadsync.connector.StreamId stream) {
        return java.util.Optional.ofNullable(readFrom.get(stream));
    }

    public void readFrom(io.leadsync.connector.StreamId stream, io.leadsync.connector.Cursor cursor) {
        if (cursor == null) {
            readFrom.remove(stream);
        } else {
            readFrom.put(stream, cursor);
        }
    }

    /** How many records the vendor said a stream's read would bring, if it was asked. */
    public java.util.OptionalLong expected(io.leadsync.connector.StreamId stream) {
        Long count = expected.get(stream);
        return count == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(count);
    }

    public void expected(io.leadsync.connector.StreamId stream, long records) {
        expected.put(stream, records);
    }

    /** Records pulled at the last progress line, and the time since it. */
    public record Progress(long pulledBefore, long nanos) {
    }

    /**
     * Whether a progress line is due ({@code every} since the last one, or since the run started); notes the records
     * pulled so far, for the next line's rate. Null when no line is due.
     */
    public synchronized Progress progressDue(java.time.Duration every, long pulledNow) {
        long now = System.nanoTime();
        long elapsed = now - progressLoggedAt;
        if (elapsed < every.toNanos()) {
            return null;
        }
        Progress progress = new Progress(progressPulled, elapsed);
        progressLoggedAt = now;
        progressPulled = pulledNow;
        return progress;
    }

    /** The vendor calls of each connector of the job since the run started, and its circuit now. */
    public void recordCalls() {
        callStats(job).forEach((connector, now) -> {
            io.leadsync.connector.CallStats delta = now.since(callsAtStart.getOrDefault(connector,
                    io.leadsync.connector.CallStats.NONE));
            stats.add("calls", connector, "attempts", delta.attempts());
            stats.add("calls", connector, "retries", delta.retries());
            stats.add("calls", connector, "rateLimited", delta.rateLimited());
            stats.add("calls", connector, "serverErrors", delta.serverErrors());
            stats.add("calls", connector, "transportFailures", delta.transportFailures());
            stats.add("calls", connector, "malformed", delta.malformed());
            stats.add("calls", connector, "rejectedByCircuit", delta.rejected());
            stats.add("calls", connector, "rateLimitWaitMillis", delta.rateLimitWaitMillis());
            stats.state("calls/" + connector, "circuit", delta.circuit());
        });
    }

    /** Each connector's counts, once per instance (a source and a sink of one instance share them). */
    private static java.util.Map<String, io.leadsync.connector.CallStats> callStats(SyncJob job) {
        java.util.Map<String, io.leadsync.connector.CallStats> calls = new java.util.LinkedHashMap<>();
        job.sources().forEach(source -> source.callStats().ifPresent(
                now -> calls.putIfAbsent(source.descriptor().name(), now)));
        job.sinks().forEach(sink -> sink.callStats().ifPresent(
                now -> calls.putIfAbsent(sink.descriptor().name(), now)));
        return calls;
    }

    /**
     * Asks the run to stop at its next safe point (between pages, batches of profiles, push batches): the process is
     * shutting down, or the run lost its lease. The run then ends ABORTED with this reason.
     */
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** Why the run was asked to stop, or null. */
    public String stopReason() {
        return stopReason;
    }

    public boolean stopRequested() {
        return stopReason != null;
    }

    /**
     * Called at each safe point: notes the thread doing the run's work (so a shutdown can interrupt a wait) and stops
     * the run if it was asked to.
     *
     * @throws RunStoppedException when a stop was requested
     */
    public void checkpoint() {
        Thread current = Thread.currentThread();
        if (!lanes.contains(current)) {
            worker = current;
        }
        if (stopReason != null) {
            throw new RunStoppedException(runId, stopReason);
        }
    }

    /** The thread last seen doing the run's work, or null. */
    public Thread worker() {
        return worker;
    }

    /** Every thread doing the run's work now: its own and those pulling streams beside it. */
    public java.util.List<Thread> workers() {
        java.util.List<Thread> all = new java.util.ArrayList<>(lanes);
        Thread own = worker;
        if (own != null && !all.contains(own)) {
            all.add(own);
        }
        return all;
    }

    /**
     * Runs work on the current thread as one of the run's lanes (a stream pulled beside others): a shutdown that
     * abandons the run interrupts it too.
     */
    public void lane(Runnable work) {
        Thread thread = Thread.currentThread();
        lanes.add(thread);
        try {
            work.run();
        } finally {
            lanes.remove(thread);
            synchronized (lanes) {
                lanes.notifyAll();
            }
        }
    }

    /**
     * Waits until no thread but the calling one works in a lane of the run, through interrupts (kept for the
     * caller): a lane inside a call that does not end on an interrupt (a blocking socket read) holds the run's thread
     * as the call would have on the run's own thread, so a shutdown still sees the run inside a call.
     */
    public void awaitLanes() {
        Thread self = Thread.currentThread();
        boolean interrupted = false;
        synchronized (lanes) {
            while (lanes.stream().anyMatch(thread -> thread != self)) {
                try {
                    lanes.wait(1_000);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            self.interrupt();
        }
    }

    /** Guards the score stage's feed below. */
    private final Object scoredLock = new Object();
    /** The profiles whose scores changed, batch by batch, while the score stage runs beside the pushes. */
    private final java.util.List<java.util.List<String>> scoredBatches = new java.util.ArrayList<>();
    private boolean scoring;

    /** The score stage starts, with pushes beside it that take its changed scores as they are committed. */
    public void scoringStarted() {
        synchronized (scoredLock) {
            scoring = true;
            scoredBatches.clear();
        }
    }

    /** A batch of scores was committed: these profiles' scores changed. */
    public void scored(java.util.Collection<String> profiles) {
        synchronized (scoredLock) {
            if (scoring && !profiles.isEmpty()) {
                scoredBatches.add(java.util.List.copyOf(profiles));
                scoredLock.notifyAll();
            }
        }
    }

    /** The score stage ended (or failed): nothing more comes. */
    public void scoringDone() {
        synchronized (scoredLock) {
            scoring = false;
            scoredLock.notifyAll();
        }
    }

    /** Whether the score stage is running beside the pushes now. */
    public boolean scoring() {
        synchronized (scoredLock) {
            return scoring;
        }
    }

    /**
     * The profiles whose scores changed in the batches committed from the {@code from}-th on, waiting up to
     * {@code max} for one while the score stage runs.
     *
     * @param profiles those profiles (empty when none came in time, or none is left once scoring is done)
     * @param next     the batch to ask from next
     * @param scoring  whether the score stage was still running
     */
    public record Scored(java.util.List<String> profiles, int next, boolean scoring) {
    }

    public Scored scoredSince(int from, java.time.Duration max) throws InterruptedException {
        synchronized (scoredLock) {
            long deadline = System.nanoTime() + max.toNanos();
            while (scoring && scoredBatches.size() <= from) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(scoredLock, left);
            }
            java.util.List<String> profiles = new java.util.ArrayList<>();
            for (int i = from; i < scoredBatches.size(); i++) {
                profiles.addAll(scoredBatches.get(i));
            }
            return new Scored(profiles, Math.max(from, scoredBatches.size()), scoring);
        }
    }

    /**
     * Whether streams of this run are being pulled, or its sinks pushed, beside each other now (pages then check the
     * lease instead of renewing it; each stream or sink times itself as a lane, the whole as the stage).
     */
    public boolean parallel() {
        return parallel;
    }

    public void parallel(boolean parallel) {
        this.parallel = parallel;
    }

    /** A stage failed; the run goes on with the other stages and ends FAILED. */
    public void failed(String what, Throwable cause) {
        failed = true;
        stats.state("stages", what, "FAILED");
        stats.problem(what + ": " + describe(cause));
    }

    /** A vendor's budget is spent; the run ends PAUSED. */
    public void paused(String what, Throwable cause) {
        paused = true;
        stats.state("stages", what, "PAUSED");
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
        return message == null || message.isBlank() ? cause.getClass().getSimpleName()
                : io.leadsync.connector.Secrets.mask(message);
    }
}
