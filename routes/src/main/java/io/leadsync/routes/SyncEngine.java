package io.leadsync.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.Page;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.routes.internal.PullStage;
import io.leadsync.routes.internal.PushStage;
import io.leadsync.routes.internal.RunContext;
import io.leadsync.routes.internal.ScoreStage;
import io.leadsync.routes.internal.SyncRoutes;
import io.leadsync.store.JobLockRepository;
import io.leadsync.store.RunRecord;
import io.leadsync.store.RunStatus;
import io.leadsync.store.Store;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.leadsync.identity.IdentitySettings;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Runs sync jobs: the pipeline pull -> normalize -> store -> resolve -> score changed profiles -> push changed
 * values -> record the run, as Camel routes (see {@link SyncRoutes}) on a Camel context the host owns.
 *
 * <p>Two runs of one job never overlap: a run holds an in-process slot and a lease in the database (so other
 * processes sharing it wait too), kept alive by a heartbeat for the whole run and checked in the transaction of every
 * stored page. A run asked for while another is under way is recorded as SKIPPED and names the running one. A lease
 * whose holder died is taken over: at once when the holder was a process on this host that is gone, else once the
 * lease expired; the dead holder's runs are closed as ABORTED. {@link #shutdown} stops runs at their next safe point
 * (or abandons a call that does not return within the grace period), records them ABORTED and releases their
 * leases. Thread-safe.
 */
public final class SyncEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Clock clock;
    private final CamelContext camel;
    private final Map<String, SyncJob> jobs;
    private final Duration leaseTtl;
    private final String nodeId;
    private final boolean startSchedules;
    private final PullStage pull;
    private final IdentitySettings identity;
    private final ScoreStage score;
    private final PushStage push;
    private final ScoringService scoring;
    private final Map<String, RunContext> active = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<RunRecord>> completions = new ConcurrentHashMap<>();
    private volatile ProducerTemplate template;
    private volatile boolean stopping;
    private java.util.concurrent.ScheduledExecutorService heartbeat;

    /** The lease owners of the runs under way in this JVM, across engines: a lease of this pid not here is dead. */
    private static final java.util.Set<String> LIVE_OWNERS = ConcurrentHashMap.newKeySet();
    private static final long PID = ProcessHandle.current().pid();
    private static final Instant PROCESS_STARTED = ProcessHandle.current().info().startInstant().orElse(null);
    private static final String HOST = hostName();

    private SyncEngine(Builder builder) {
        this.store = Objects.requireNonNull(builder.store, "store");
        this.clock = builder.clock;
        this.camel = Objects.requireNonNull(builder.camel, "camel");
        this.scoring = Objects.requireNonNull(builder.scoring, "scoring");
        this.jobs = Map.copyOf(builder.jobs);
        this.leaseTtl = builder.leaseTtl;
        this.nodeId = builder.nodeId;
        this.startSchedules = builder.startSchedules;
        this.pull = new PullStage(store, clock, leaseTtl, builder.identity);
        this.score = new ScoreStage(store, clock, scoring, builder.challenger, builder.identity.survivorship());
        this.identity = builder.identity;
        this.push = new PushStage(store, clock);
    }

    /** How this engine resolves identities. */
    public IdentitySettings identity() {
        return identity;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A run asked for: started with its id, or not started because another run of the job is under way. */
    public record RunRequest(long runId, boolean started, Long runningRunId, String message) {
    }

    /**
     * Adds the routes to the Camel context, starts the lease heartbeat, and closes as ABORTED the runs left RUNNING by
     * a process that stopped (its lease is free or expired, or it was a process on this host that is gone).
     */
    public void start() throws Exception {
        camel.addRoutes(new SyncRoutes(new Stages(), jobs.values(), startSchedules));
        for (String job : jobs.keySet()) {
            String probe = nodeId + "/startup-" + UUID.randomUUID();
            Instant now = clock.instant();
            if (acquire(job, probe, now, Duration.ofSeconds(30))) {
                store.useTransaction(tx -> tx.jobLocks().release(job, probe));
            }
        }
        heartbeat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "leadsync-lease-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(100, leaseTtl.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::beat, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Keeps the lease of every run under way; a run whose lease was taken is asked to stop. */
    private void beat() {
        for (RunContext run : active.values()) {
            try {
                Instant now = clock.instant();
                boolean held = store.inTransaction(tx -> tx.jobLocks().refresh(run.job().name(), run.leaseOwner(),
                        now, leaseTtl));
                if (!held) {
                    LOG.warn("Run {} of job {} lost its lease (another process took it after it expired); stopping",
                            run.runId(), run.job().name());
                    run.requestStop("it lost the lease of job " + run.job().name() + " to another process");
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not renew the lease of run {} of job {}: {}", run.runId(), run.job().name(),
                        e.getMessage());
            }
        }
    }

    /**
     * Takes a job's lease for {@code owner}: a free or expired lease, or the lease of a process on this host that is
     * gone. Runs of the job left RUNNING by an earlier holder are closed as ABORTED.
     */
    private boolean acquire(String job, String owner, Instant now, Duration ttl) {
        JobLockRepository.Holder holder = new JobLockRepository.Holder(owner, HOST, PID, PROCESS_STARTED);
        Optional<JobLockRepository.Lease> before = store.inTransaction(tx -> tx.jobLocks().lease(job));
        boolean taken = store.tryAcquireJobLock(job, holder, now, ttl);
        String why;
        if (taken) {
            why = before.map(lease -> "its process stopped before the run finished (its lease expired at "
                    + lease.expiresAt() + ")").orElse("its process stopped before the run finished");
        } else {
            Optional<JobLockRepository.Lease> lease = store.inTransaction(tx -> tx.jobLocks().lease(job));
            if (lease.isEmpty() || !ownerGone(lease.get())) {
                return false;
            }
            taken = store.inTransaction(tx -> tx.jobLocks().takeOver(job, lease.get().owner(), holder, now, ttl));
            why = "its process (pid " + lease.get().pid() + " on " + lease.get().host() + ") is gone";
        }
        if (taken) {
            String message = why + "; the next run resumes from the saved cursors";
            int aborted = store.inTransaction(tx -> tx.runs().abortRunning(job, null, message, now));
            if (aborted > 0) {
                LOG.warn("Closed {} run(s) of job {} as ABORTED: {}", aborted, job, why);
            }
        }
        return taken;
    }

    /** Whether a lease's holder was a process on this host that no longer runs. */
    private static boolean ownerGone(JobLockRepository.Lease lease) {
        if (lease.pid() == null || !HOST.equals(lease.host())) {
            return false;
        }
        if (lease.pid() == PID) {
            return !LIVE_OWNERS.contains(lease.owner());
        }
        Optional<ProcessHandle> process = ProcessHandle.of(lease.pid());
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        // the pid was reused by another process if it started at another time
        Optional<Instant> started = process.get().info().startInstant();
        return lease.processStartedAt() != null && started.isPresent()
                && Duration.between(started.get(), lease.processStartedAt()).abs().toMillis() > 1000;
    }

    private static String hostName() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        int at = name.indexOf('@');
        return at >= 0 ? name.substring(at + 1) : name;
    }

    /**
     * Stops the engine: no new run starts, the cron triggers stop, and each run under way is asked to stop at its next
     * safe point. A run still going after {@code grace} (a call that does not return) is abandoned: its thread is
     * interrupted and the run is recorded ABORTED and its lease released here. Returns how many runs were stopped.
     */
    public int shutdown(Duration grace) {
        stopping = true;
        for (SyncJob job : jobs.values()) {
            if (job.schedule() != null) {
                try {
                    camel.getRouteController().stopRoute(SyncRoutes.scheduleRouteId(job.name()));
                } catch (Exception e) {
                    LOG.debug("stopping the trigger of {}", job.name(), e);
                }
            }
        }
        List<RunContext> running = List.copyOf(active.values());
        running.forEach(run -> run.requestStop("the process is stopping"));
        long deadline = System.nanoTime() + grace.toNanos();
        for (RunContext run : running) {
            CompletableFuture<RunRecord> completion = completions.get(run.runId());
            long left = deadline - System.nanoTime();
            if (completion != null && left > 0) {
                try {
                    completion.get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // abandoned below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.debug("run {} ended with {}", run.runId(), e.getCause().toString());
                }
            }
        }
        for (RunContext run : running) {
            if (active.get(run.job().name()) == run) {
                abandon(run, grace);
            }
        }
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        return running.size();
    }

    /** Records a run that did not reach a safe point in time as ABORTED, releases its lease, wakes its thread. */
    private void abandon(RunContext run, Duration grace) {
        Thread worker = run.worker();
        if (worker != null) {
            worker.interrupt();
        }
        Instant now = clock.instant();
        run.recordCalls();
        String message = "the process stopped while a call was under way (waited " + grace.toSeconds()
                + " s for it); " + RunSummary.describe(run.stats(), 0) + "; the next run resumes from the saved"
                + " cursors";
        try {
            store.useTransaction(tx -> tx.runs().finish(run.runId(), RunStatus.ABORTED, message, json(run.stats()),
                    now));
            store.useTransaction(tx -> tx.jobLocks().release(run.job().name(), run.leaseOwner()));
        } finally {
            LIVE_OWNERS.remove(run.leaseOwner());
            active.remove(run.job().name(), run);
            complete(run);
        }
        LOG.warn("Run {} of job {} ABORTED: {}", run.runId(), run.job().name(), message);
    }

    /**
     * Starts the cron triggers held at start-up ({@link Builder#startSchedules(boolean)}); a trigger already running
     * is left as it is.
     */
    public void startSchedules() throws Exception {
        for (SyncJob job : jobs.values()) {
            if (job.schedule() != null) {
                camel.getRouteController().startRoute(SyncRoutes.scheduleRouteId(job.name()));
            }
        }
    }

    /** The sinks of every job, by name. */
    public Map<String, SinkConnector> sinks() {
        Map<String, SinkConnector> sinks = new LinkedHashMap<>();
        jobs.values().forEach(job -> job.sinks().forEach(sink -> sinks.putIfAbsent(sink.descriptor().name(), sink)));
        return sinks;
    }

    public Store store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public List<String> jobNames() {
        return jobs.keySet().stream().sorted().toList();
    }

    public Optional<SyncJob> job(String name) {
        return Optional.ofNullable(jobs.get(name));
    }

    /** Whether a run of the job is under way in this process. */
    public Optional<Long> runningRun(String job) {
        return Optional.ofNullable(active.get(job)).map(RunContext::runId);
    }

    /** Runs a job now and waits for it; returns the finished run (SKIPPED if another run was under way). */
    public RunRecord runNow(String job, String trigger) {
        Started started = request(job, trigger);
        if (started.completion() == null) {
            return runRecord(started.request().runId());
        }
        return started.completion().join();
    }

    /** Starts a job in the background; returns at once with the run's id. */
    public RunRequest trigger(String job, String trigger) {
        return request(job, trigger).request();
    }

    /** A request and, if the run started, the future of its finished record. */
    private record Started(RunRequest request, CompletableFuture<RunRecord> completion) {
    }

    /** Waits for a run started by {@link #trigger}; returns its record once finished. */
    public RunRecord await(long runId, Duration timeout) throws Exception {
        CompletableFuture<RunRecord> completion = completions.get(runId);
        if (completion == null) {
            return runRecord(runId);
        }
        return completion.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private Started request(String job, String trigger) {
        SyncJob definition = jobs.get(job);
        if (definition == null) {
            throw new IllegalArgumentException("no job named '" + job + "'; configured jobs are " + jobNames());
        }
        Instant now = clock.instant();
        RunContext run;
        CompletableFuture<RunRecord> completion;
        synchronized (active) {
            if (stopping) {
                return new Started(skipped(job, trigger, null, "the process is stopping; this run was not started",
                        now), null);
            }
            RunContext running = active.get(job);
            if (running != null) {
                return new Started(skipped(job, trigger, running.runId(), "run " + running.runId() + " of job " + job
                        + " is under way; this one was not started", now), null);
            }
            String owner = nodeId + "/" + UUID.randomUUID();
            LIVE_OWNERS.add(owner);
            if (!acquire(job, owner, now, leaseTtl)) {
                LIVE_OWNERS.remove(owner);
                String holder = store.inTransaction(tx -> tx.jobLocks().holder(job, now)).orElse("another process");
                return new Started(skipped(job, trigger, null, "job " + job + " is running on " + holder
                        + "; this run was not started", now), null);
            }
            long runId = store.inTransaction(tx -> tx.runs().start(job, trigger, owner, now));
            run = new RunContext(runId, definition, trigger, owner, now);
            active.put(job, run);
            completion = new CompletableFuture<>();
            completions.put(runId, completion);
        }
        LOG.info("Run {} of job {} started ({})", run.runId(), job, trigger);
        template().asyncSend("direct:run-" + job, exchange -> exchange.setProperty(RunContext.PROPERTY, run))
                .whenComplete((exchange, failure) -> complete(run));
        return new Started(new RunRequest(run.runId(), true, null, "run " + run.runId() + " of job " + job
                + " started"), completion);
    }

    private void complete(RunContext run) {
        CompletableFuture<RunRecord> completion = completions.remove(run.runId());
        if (completion != null) {
            completion.complete(runRecord(run.runId()));
        }
    }

    private RunRequest skipped(String job, String trigger, Long running, String message, Instant now) {
        long skippedId = store.inTransaction(tx -> tx.runs().recordSkipped(job, trigger, message, now));
        LOG.info("Run {} of job {} skipped: {}", skippedId, job, message);
        return new RunRequest(skippedId, false, running, message);
    }

    private RunRecord runRecord(long runId) {
        return store.inTransaction(tx -> tx.runs().get(runId)).orElseThrow(
                () -> new IllegalStateException("run " + runId + " is not recorded"));
    }

    private ProducerTemplate template() {
        ProducerTemplate current = template;
        if (current == null) {
            synchronized (this) {
                if (template == null) {
                    template = camel.createProducerTemplate();
                }
                current = template;
            }
        }
        return current;
    }

    /** The stages, as the routes call them. */
    private final class Stages implements SyncRoutes.Stages {
        @Override
        public void runScheduled(String job) {
            runNow(job, "schedule");
        }

        @Override
        public Stream<Page<SourceRecord>> openPull(RunContext run, SourceConnector source, StreamId stream) {
            run.checkpoint();
            return pull.open(source, stream);
        }

        @Override
        public void storePage(RunContext run, StreamId stream, Page<SourceRecord> page) {
            run.checkpoint();
            pull.store(run, stream, page);
            saveProgress(run);
        }

        @Override
        public void score(RunContext run) {
            run.checkpoint();
            score.run(run);
            saveProgress(run);
        }

        @Override
        public void push(RunContext run, SinkConnector sink) {
            run.checkpoint();
            push.run(run, sink, scoring.taskThreshold().isPresent());
            saveProgress(run);
        }

        @Override
        public void finish(RunContext run) {
            try {
                Instant now = clock.instant();
                run.recordCalls();
                run.stats().time("total", Duration.between(run.startedAt(), now));
                long deadLetters = store.inTransaction(tx -> (long) tx.deadLetters().forRun(run.runId()).size());
                RunStatus status = run.stopRequested() ? RunStatus.ABORTED : run.isPaused() ? RunStatus.PAUSED
                        : run.hasFailed() ? RunStatus.FAILED
                        : deadLetters > 0 || run.stats().total("push", "retryLater") > 0 ? RunStatus.PARTIAL
                        : RunStatus.SUCCEEDED;
                String summary = (run.stopRequested() ? "stopped at a safe point: " + run.stopReason() + "; " : "")
                        + RunSummary.describe(run.stats(), deadLetters);
                boolean recorded = store.inTransaction(tx -> tx.runs().finish(run.runId(), status, summary,
                        json(run.stats()), now));
                LOG.info("Run {} of job {} {} in {} ms: {}", run.runId(), run.job().name(),
                        recorded ? status : "ended (already closed as ABORTED)",
                        Duration.between(run.startedAt(), now).toMillis(), summary);
            } finally {
                store.useTransaction(tx -> tx.jobLocks().release(run.job().name(), run.leaseOwner()));
                LIVE_OWNERS.remove(run.leaseOwner());
                active.remove(run.job().name(), run);
            }
        }

        private void saveProgress(RunContext run) {
            store.useTransaction(tx -> tx.runs().progress(run.runId(), json(run.stats())));
        }
    }

    static String json(RunStats stats) {
        try {
            return JSON.writeValueAsString(stats.toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run stats are not serializable", e);
        }
    }

    /** Builds an engine; jobs, store, scoring and the Camel context are required. */
    public static final class Builder {
        private Store store;
        private Clock clock = Clock.systemUTC();
        private CamelContext camel;
        private ScoringService scoring;
        private ScoringService challenger;
        private IdentitySettings identity = IdentitySettings.defaults();
        private final Map<String, SyncJob> jobs = new LinkedHashMap<>();
        private Duration leaseTtl = Duration.ofSeconds(60);
        private String nodeId = ManagementFactory.getRuntimeMXBean().getName();
        private boolean startSchedules = true;

        public Builder store(Store store) {
            this.store = store;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder camel(CamelContext camel) {
            this.camel = camel;
            return this;
        }

        public Builder scoring(ScoringService scoring) {
            this.scoring = scoring;
            return this;
        }

        /** A challenger model scored beside the champion on every run (shadow mode): stored, never written to a CRM. */
        public Builder challenger(ScoringService challenger) {
            this.challenger = challenger;
            return this;
        }

        /**
         * How person records are linked to profiles and golden records built (default:
         * {@link IdentitySettings#defaults()}).
         */
        public Builder identity(IdentitySettings settings) {
            this.identity = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder job(SyncJob job) {
            if (jobs.putIfAbsent(job.name(), job) != null) {
                throw new IllegalArgumentException("two jobs are named " + job.name());
            }
            return this;
        }

        /**
         * How long a run's lease lasts without a heartbeat (default 60 s; the heartbeat renews it every third of
         * that): how long a process that died on another host blocks its job.
         */
        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
            return this;
        }

        /**
         * Whether the jobs' cron triggers start with the Camel context (default). When false they wait for
         * {@link SyncEngine#startSchedules()}, while runs asked for on demand start at once.
         */
        public Builder startSchedules(boolean startSchedules) {
            this.startSchedules = startSchedules;
            return this;
        }

        public Builder nodeId(String nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        public SyncEngine build() {
            return new SyncEngine(this);
        }
    }
}
