package io.leadsync.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.Page;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.routes.internal.ChangeEvents;
import io.leadsync.routes.internal.EventBatch;
import io.leadsync.routes.internal.EventStage;
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
 *
 * <p>In a cluster ({@link Builder#clustered}) the cron triggers live in Quartz's clustered JDBC store
 * ({@link ClusterScheduler}): each fire runs on one instance, and {@link #reschedule}, {@link #pause} and {@link #resume}
 * change the shared trigger, for every instance at once. Each instance also watches for runs left RUNNING by an
 * instance that died (its lease expired, or its process on this host is gone): the first to see one takes the lease,
 * closes the dead run as ABORTED and starts a recovery run at once, which resumes from the saved cursors. A run's
 * streams are shared with the other instances through the database ({@code SharedPull}).
 */
public final class SyncEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The mark of a run stopped by its process's shutdown ({@code states.run.interrupted}). */
    private static final String SHUTDOWN = "shutdown";

    private final Store store;
    private final Clock clock;
    private final CamelContext camel;
    private final Map<String, SyncJob> jobs;
    private final Duration leaseTtl;
    private final String nodeId;
    private final boolean startSchedules;
    private final boolean clustered;
    private final PullStage pull;
    private final IdentitySettings identity;
    private final ScoreStage score;
    private final PushStage push;
    private final EventStage eventStage;
    private final ChangeEvents changeEvents;
    private final EventSettings events;
    private final ScoringService scoring;
    private final Map<String, RunContext> active = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<RunRecord>> completions = new ConcurrentHashMap<>();
    private volatile ProducerTemplate template;
    private volatile boolean stopping;
    private final SyncListener listener;
    private final Stages stages = new Stages();
    private volatile boolean schedulesStarted;
    private final Duration progressEvery;
    private java.util.concurrent.ScheduledExecutorService heartbeat;
    /** In a cluster: the runs' pulls shared with the other instances, and the thread that helps with theirs. */
    private final io.leadsync.routes.internal.SharedPull sharedPull;
    private java.util.concurrent.ScheduledExecutorService helper;

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
        this.clustered = builder.clustered;
        this.events = builder.events;
        this.pull = new PullStage(store, clock, leaseTtl, builder.identity, stream -> events.takes(stream.source()));
        this.eventStage = new EventStage(store, clock, pull, events.maxAttempts());
        this.changeEvents = new ChangeEvents(store, clock, events, List.copyOf(jobs.values()), this::runEvents,
                () -> camel.getStatus().isStarted() && !stopping);
        this.score = new ScoreStage(store, clock, scoring, builder.challenger, builder.identity.survivorship());
        this.identity = builder.identity;
        this.push = new PushStage(store, clock);
        this.listener = builder.listener;
        this.progressEvery = builder.progressEvery;
        this.sharedPull = clustered ? new io.leadsync.routes.internal.SharedPull(store, clock, nodeId, leaseTtl,
                this::template) : null;
    }

    /**
     * Where change events enter this engine's pipeline: stored in the inbox at once, then, a debounce window later,
     * stored, resolved, scored and pushed by an event run of the job that reads their source (trigger
     * {@code events}). When events are switched off ({@link Builder#events}), globally or for a change's source, it
     * refuses the batch with an {@link IllegalStateException} naming the setting, and the scheduled runs find the
     * changes.
     */
    public ChangeIntake changes() {
        return changeEvents;
    }

    /** How this engine takes change events. */
    public EventSettings events() {
        return events;
    }

    /**
     * Runs an event run of a job on a batch of changes and waits for it: the job's slot and lease as any run, a run
     * recorded with trigger {@code events}. False, with nothing recorded, when a run of the job is under way (the
     * changes then wait for the next event run).
     */
    private boolean runEvents(String job, EventBatch batch) {
        Object begun = begin(job, EventStage.STAGE, false, false);
        if (begun instanceof RunRequest) {
            return false;
        }
        RunContext run = (RunContext) begun;
        run.stats().state("run", "mode", EventStage.STAGE);
        LOG.info("Run {} of job {} started (events: {} changes)", run.runId(), job, batch.entries().size());
        try {
            template().send("direct:events-" + job, exchange -> {
                exchange.setProperty(RunContext.PROPERTY, run);
                exchange.setProperty(EventBatch.PROPERTY, batch);
            });
        } finally {
            complete(run);
        }
        return true;
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
        camel.addRoutes(new SyncRoutes(stages, jobs.values(), clustered));
        schedulesStarted = startSchedules;
        for (SyncJob job : jobs.values()) {
            JobSchedule schedule = schedule(job.name());
            if (schedule.schedule() != null) {
                // in a cluster the shared trigger holds the pause, and the scheduler's standby holds the fires
                camel.addRoutes(SyncRoutes.schedule(stages, job.name(), schedule.schedule(),
                        clustered || startSchedules && !schedule.paused()));
            }
        }
        if (!clustered) {
            // in a cluster the heartbeat finds runs left by a stopped instance and resumes them (recoverLeftRuns)
            for (String job : jobs.keySet()) {
                closeLeftRuns(job, "startup");
            }
        }
        heartbeat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "leadsync-lease-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(100, leaseTtl.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::beat, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (clustered) {
            helper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "leadsync-cluster-helper");
                thread.setDaemon(true);
                return thread;
            });
            helper.scheduleWithFixedDelay(this::help, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
        changeEvents.start();
    }

    /** Keeps the lease of every run under way; a run whose lease was taken is asked to stop. */
    private void beat() {
        // a process that holds its schedules (a command run beside the cluster) takes no part in the cluster's work
        if (clustered && schedulesStarted) {
            recoverLeftRuns();
            try {
                sharedPull.beat();
            } catch (RuntimeException e) {
                LOG.warn("Could not renew the claim of a shared stream: {}", e.getMessage());
            }
        }
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
     * In a cluster: a job with a run left RUNNING whose lease expired (or whose holder was a process on this host that
     * is gone) is taken over here: its lease taken, the dead run closed ABORTED, and a recovery run started at once
     * that resumes from the saved cursors. Several instances may look at once; the lease lets one of them start.
     */
    private void recoverLeftRuns() {
        if (!camel.isStarted()) {
            return;
        }
        for (String job : jobs.keySet()) {
            if (stopping || active.containsKey(job)) {
                continue;
            }
            try {
                Instant now = clock.instant();
                List<RunRecord> left = store.inTransaction(tx -> tx.runs().runningOf(job));
                if (left.isEmpty()) {
                    // a run its instance stopped gracefully (a rolling update) is resumed at once too
                    left = store.inTransaction(tx -> tx.runs().recent(job, 1)).stream()
                            .filter(run -> stoppedByShutdown(run) && !run.trigger().startsWith("dry-run")).toList();
                    if (left.isEmpty()) {
                        continue;
                    }
                }
                Optional<JobLockRepository.Lease> lease = store.inTransaction(tx -> tx.jobLocks().lease(job));
                if (lease.isPresent() && !lease.get().expiredAt(now) && !ownerGone(lease.get())) {
                    continue;
                }
                RunRecord dead = left.get(0);
                if (dead.trigger() != null && dead.trigger().startsWith("dry-run")) {
                    closeLeftRuns(job, "probe");   // a dry run changed nothing: closed ABORTED, nothing to resume
                    continue;
                }
                Object begun = begin(job, "recovery of run " + dead.runId() + " (" + dead.node() + ")", false, false);
                if (begun instanceof RunContext run) {
                    LOG.warn("Run {} of job {} was left by {}, which stopped; run {} resumes its work here",
                            dead.runId(), job, dead.node(), run.runId());
                    launch(run, job, false, run.trigger());
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not look for runs of job {} left by a stopped instance: {}", job, e.getMessage());
            }
        }
    }

    /** In a cluster: pulls the open streams of other instances' runs here, one after the other, while there are any. */
    private void help() {
        try {
            while (!stopping && schedulesStarted && camel.isStarted() && sharedPull.helpOnce(jobs)) {
                // the next one
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not help with another instance's run: {}", e.getMessage());
        }
    }

    /** Whether a run ended ABORTED because its process was stopping (see {@link #shutdown}). */
    private static boolean stoppedByShutdown(RunRecord run) {
        if (run.status() != RunStatus.ABORTED || run.statsJson() == null) {
            return false;
        }
        try {
            return SHUTDOWN.equals(JSON.readTree(run.statsJson()).path("states").path("run").path("interrupted")
                    .asText(null));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** Takes and releases a job's lease, closing runs a stopped process left RUNNING. */
    private void closeLeftRuns(String job, String what) {
        String probe = nodeId + "/" + what + "-" + UUID.randomUUID();
        Instant now = clock.instant();
        if (acquire(job, probe, now, Duration.ofSeconds(30))) {
            store.useTransaction(tx -> tx.jobLocks().release(job, probe));
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
        if (clustered) {
            try {
                // take no more fires: the other instances of the cluster take them
                quartz().standby();
            } catch (Exception e) {
                LOG.debug("putting Quartz in standby", e);
            }
        }
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
        running.forEach(run -> {
            run.stats().state("run", "interrupted", SHUTDOWN);   // in a cluster another instance resumes it at once
            run.requestStop("the process is stopping");
        });
        if (sharedPull != null) {
            sharedPull.stop("the process is stopping");
        }
        changeEvents.stop(grace);
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
                try {
                    abandon(run, grace);
                } catch (RuntimeException e) {
                    // the store is out of reach: the other runs are still abandoned and the engine still stops; the
                    // run stays RUNNING with its lease, which the next start takes at once (this process is gone)
                    LOG.warn("Run {} of job {} could not be recorded ABORTED ({}); the next start of the job closes"
                            + " it", run.runId(), run.job().name(), e.getMessage());
                }
            }
        }
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        if (helper != null) {
            helper.shutdown();
            try {
                // a stream pulled for another instance stops at its next page and is given back
                helper.awaitTermination(Math.max(1, grace.toSeconds()), java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            helper.shutdownNow();
        }
        if (clustered) {
            try {
                // leaves the cluster: its triggers and their rows stay for the other instances
                quartz().shutdown(true);   // its runs ended above: this waits for Quartz's own threads only
            } catch (Exception e) {
                LOG.debug("stopping Quartz", e);
            }
        }
        return running.size();
    }

    /** Records a run that did not reach a safe point in time as ABORTED, releases its lease, wakes its thread. */
    private void abandon(RunContext run, Duration grace) {
        run.workers().forEach(Thread::interrupt);
        Instant now = clock.instant();
        run.recordCalls();
        try {
            closeSession(run);
        } catch (RuntimeException e) {
            LOG.debug("closing the dry run session of run {}", run.runId(), e);
        }
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
    public synchronized void startSchedules() throws Exception {
        schedulesStarted = true;
        if (clustered) {
            quartz().start();
            return;
        }
        for (SyncJob job : jobs.values()) {
            JobSchedule schedule = schedule(job.name());
            if (schedule.schedule() != null && !schedule.paused()) {
                camel.getRouteController().startRoute(SyncRoutes.scheduleRouteId(job.name()));
            }
        }
    }

    /**
     * A job's schedule as in force: its configured cron, or the one set at run time ({@link #reschedule}), and
     * whether its trigger is paused.
     *
     * @param configured   the cron of the job's configuration, or null
     * @param schedule     the cron in force, or null when the job runs on demand only
     * @param paused       whether the trigger is paused ({@link #pause})
     * @param active       whether the trigger fires: a schedule, not paused, and triggers started
     * @param nextFireTime when it fires next, or null when it does not
     * @param changedAt    when the schedule or pause was last changed at run time, or null
     * @param changedBy    who changed it
     */
    public record JobSchedule(String job, String configured, String schedule, boolean paused, boolean active,
                              Instant nextFireTime, Instant changedAt, String changedBy) {
    }

    /** The schedule of a configured job; see {@link JobSchedule}. */
    public JobSchedule schedule(String job) {
        SyncJob definition = requireJob(job);
        Optional<io.leadsync.store.JobScheduleRepository.Override> override = store.inTransaction(tx ->
                tx.jobSchedules().get(job));
        String cron = override.isPresent() ? override.get().schedule() : definition.schedule();
        boolean paused = override.map(io.leadsync.store.JobScheduleRepository.Override::paused).orElse(false);
        // in a cluster the shared trigger fires on whichever instance is up, this one's standby or not
        boolean active = cron != null && !paused && (schedulesStarted || clustered) && !stopping;
        Instant next = null;
        if (active && clustered) {
            next = sharedNextFireTime(job);
        } else if (active) {
            try {
                java.util.Date date = new org.quartz.CronExpression(cron).getNextValidTimeAfter(
                        java.util.Date.from(clock.instant()));
                next = date == null ? null : date.toInstant();
            } catch (java.text.ParseException e) {
                next = null;
            }
        }
        return new JobSchedule(job, definition.schedule(), cron, paused, active, next,
                override.map(io.leadsync.store.JobScheduleRepository.Override::updatedAt).orElse(null),
                override.map(io.leadsync.store.JobScheduleRepository.Override::updatedBy).orElse(null));
    }

    /**
     * Changes a job's schedule at once and keeps it in the store (it outlives a restart and beats the configured
     * one; other processes sharing the store take it at their next start).
     *
     * @param cron a Quartz cron expression, or null to run the job on demand only
     * @throws IllegalArgumentException when the cron is not valid, naming what is wrong
     */
    public synchronized JobSchedule reschedule(String job, String cron, String by) throws Exception {
        requireJob(job);
        String normalized = cron == null || cron.isBlank() ? null : cron.strip();
        if (normalized != null) {
            try {
                new org.quartz.CronExpression(normalized);
            } catch (java.text.ParseException e) {
                throw new IllegalArgumentException("'" + normalized + "' is not a valid Quartz cron expression ("
                        + e.getMessage() + "); expected six or seven fields, e.g. \"0 */15 * * * ?\"");
            }
        }
        JobSchedule before = schedule(job);
        store.useTransaction(tx -> tx.jobSchedules().save(new io.leadsync.store.JobScheduleRepository.Override(job,
                normalized, before.paused(), clock.instant(), by)));
        String routeId = SyncRoutes.scheduleRouteId(job);
        if (camel.getRoute(routeId) != null) {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
        if (clustered && normalized == null) {
            quartz().unscheduleJob(triggerKey(job));   // the shared trigger stops for every instance
        }
        if (normalized != null) {
            // in a cluster the route's start replaces the shared trigger's cron (Quartz's rescheduleJob): every
            // instance fires on the new one
            camel.addRoutes(SyncRoutes.schedule(stages, job, normalized, clustered || schedulesStarted
                    && !before.paused() && !stopping));
            if (clustered && before.paused()) {
                quartz().pauseTrigger(triggerKey(job));
            }
        }
        LOG.info("Job {}: schedule {} (was {}), set by {}", job, normalized == null ? "on demand only" : normalized,
                before.schedule() == null ? "on demand only" : before.schedule(), by);
        return schedule(job);
    }

    /** Pauses a job's cron trigger (kept in the store); runs asked for on demand still start. */
    public synchronized JobSchedule pause(String job, String by) throws Exception {
        return setPaused(job, true, by);
    }

    /** Resumes a paused cron trigger. */
    public synchronized JobSchedule resume(String job, String by) throws Exception {
        return setPaused(job, false, by);
    }

    private JobSchedule setPaused(String job, boolean paused, String by) throws Exception {
        JobSchedule before = schedule(job);
        store.useTransaction(tx -> tx.jobSchedules().save(new io.leadsync.store.JobScheduleRepository.Override(job,
                before.schedule(), paused, clock.instant(), by)));
        String routeId = SyncRoutes.scheduleRouteId(job);
        if (clustered) {
            // the shared trigger's state, in the JDBC store: paused or resumed on every instance
            if (paused) {
                quartz().pauseTrigger(triggerKey(job));
            } else {
                quartz().resumeTrigger(triggerKey(job));
            }
        } else if (camel.getRoute(routeId) != null) {
            if (paused) {
                camel.getRouteController().stopRoute(routeId);
            } else if (schedulesStarted && !stopping) {
                camel.getRouteController().startRoute(routeId);
            }
        }
        LOG.info("Job {}: trigger {} by {}", job, paused ? "paused" : "resumed", by);
        return schedule(job);
    }

    private org.quartz.Scheduler quartz() throws org.quartz.SchedulerException {
        return camel.getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class).getScheduler();
    }

    private static org.quartz.TriggerKey triggerKey(String job) {
        return org.quartz.TriggerKey.triggerKey(job, ClusterScheduler.TRIGGER_GROUP);
    }

    /** When the cluster's shared trigger of a job fires next, or null if it is not scheduled. */
    private Instant sharedNextFireTime(String job) {
        try {
            org.quartz.Trigger trigger = quartz().getTrigger(triggerKey(job));
            return trigger == null || trigger.getNextFireTime() == null ? null : trigger.getNextFireTime().toInstant();
        } catch (org.quartz.SchedulerException e) {
            LOG.debug("reading the trigger of {}", job, e);
            return null;
        }
    }

    private SyncJob requireJob(String job) {
        SyncJob definition = jobs.get(job);
        if (definition == null) {
            throw new IllegalArgumentException("no job named '" + job + "'; configured jobs are " + jobNames());
        }
        return definition;
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

    /**
     * The run of the job under way, in this process or in another sharing the store (the run its live lease holds).
     */
    public Optional<Long> runningRun(String job) {
        RunContext local = active.get(job);
        if (local != null) {
            return Optional.of(local.runId());
        }
        Instant now = clock.instant();
        return store.inTransaction(tx -> tx.jobLocks().lease(job).filter(lease -> !lease.expiredAt(now))
                .flatMap(lease -> tx.runs().running(job, lease.owner())).map(RunRecord::runId));
    }

    /** Runs a job now and waits for it; returns the finished run (SKIPPED if another run was under way). */
    public RunRecord runNow(String job, String trigger) {
        return runNow(job, trigger, false);
    }

    /**
     * Runs a job now, or dry-runs it, and waits for it. A dry run pulls and scores with the real stages in a store
     * session that is rolled back at its end, counts what the push would write and the calls that would take, and
     * writes nothing to a CRM or the store but its own run record.
     */
    public RunRecord runNow(String job, String trigger, boolean dryRun) {
        Started started = request(job, trigger, dryRun);
        if (started.completion() == null) {
            return runRecord(started.request().runId());
        }
        return started.completion().join();
    }

    /** Starts a job in the background; returns at once with the run's id. */
    public RunRequest trigger(String job, String trigger) {
        return request(job, trigger, false).request();
    }

    /** Starts a run or a dry run ({@link #runNow(String, String, boolean)}) in the background. */
    public RunRequest trigger(String job, String trigger, boolean dryRun) {
        return request(job, trigger, dryRun).request();
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

    private Started request(String job, String trigger, boolean dryRun) {
        Object begun = begin(job, trigger, dryRun, true);
        if (begun instanceof RunRequest skipped) {
            return new Started(skipped, null);
        }
        RunContext run = (RunContext) begun;
        CompletableFuture<RunRecord> completion = launch(run, job, dryRun, trigger);
        return new Started(new RunRequest(run.runId(), true, null, "run " + run.runId() + " of job " + job
                + (dryRun ? " started as a dry run" : " started")), completion);
    }

    /** Sends a begun run down its route in the background; the future of its finished record. */
    private CompletableFuture<RunRecord> launch(RunContext run, String job, boolean dryRun, String trigger) {
        CompletableFuture<RunRecord> completion = completions.get(run.runId());
        LOG.info("Run {} of job {} started ({}{})", run.runId(), job, trigger, dryRun ? ", dry run" : "");
        template().asyncSend("direct:run-" + job, exchange -> exchange.setProperty(RunContext.PROPERTY, run))
                .whenComplete((exchange, failure) -> complete(run));
        return completion;
    }

    /**
     * Takes the job's slot and lease and records the run; when it could not start, a {@link RunRequest} (recorded as
     * SKIPPED if {@code recordSkip}, else not recorded).
     */
    private Object begin(String job, String trigger, boolean dryRun, boolean recordSkip) {
        SyncJob definition = requireJob(job);
        Instant now = clock.instant();
        RunContext run;
        CompletableFuture<RunRecord> completion;
        synchronized (active) {
            if (stopping) {
                String message = "the process is stopping; this run was not started";
                if (!recordSkip) {
                    // an event or recovery run: its changes wait in the inbox for the next run, as when one is under way
                    LOG.debug("Job {} not started ({}): {}", job, trigger, message);
                    return new RunRequest(0, false, null, message);
                }
                return skipped(job, trigger, null, message, now);
            }
            RunContext running = active.get(job);
            if (running != null) {
                if (!recordSkip) {
                    return new RunRequest(0, false, running.runId(), "run " + running.runId() + " is under way");
                }
                return skipped(job, trigger, running.runId(), "run " + running.runId() + " of job " + job
                        + " is under way; this one was not started", now);
            }
            String owner = nodeId + "/" + UUID.randomUUID();
            LIVE_OWNERS.add(owner);
            if (!acquire(job, owner, now, leaseTtl)) {
                LIVE_OWNERS.remove(owner);
                if (!recordSkip) {
                    return new RunRequest(0, false, null, "job " + job + " is running elsewhere");
                }
                String holder = store.inTransaction(tx -> tx.jobLocks().holder(job, now)).orElse("another process");
                return skipped(job, trigger, null, "job " + job + " is running on " + holder
                        + "; this run was not started", now);
            }
            long runId = store.inTransaction(tx -> tx.runs().start(job, trigger, owner, now));
            run = new RunContext(runId, definition, trigger, owner, now, dryRun);
            if (dryRun) {
                run.stats().state("run", "mode", "dry-run");
            }
            active.put(job, run);
            completion = new CompletableFuture<>();
            completions.put(runId, completion);
        }
        return run;
    }

    private void complete(RunContext run) {
        CompletableFuture<RunRecord> completion = completions.remove(run.runId());
        if (completion != null) {
            try {
                completion.complete(runRecord(run.runId()));
            } catch (RuntimeException e) {
                // the store is out of reach: whoever waits for the run learns why instead of waiting for good
                completion.completeExceptionally(e);
                throw e;
            }
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

    /**
     * What a replay of dead letters did.
     *
     * @param runId    the replay's run (its counts, calls and new dead letters), or the skipped run
     * @param started  false when another run of the job was under way (nothing was replayed)
     * @param outcomes per letter id: what happened to it (resolved, failed again as a new letter, left open and why)
     * @param resolved the letters resolved as replayed
     */
    public record Replay(long runId, boolean started, String status, Map<Long, String> outcomes,
                         List<Long> resolved, String message) {
    }

    /**
     * Replays dead letters of a job as a run of their own (the job's lease held, so no other run of it overlaps): a
     * refused push marks its record for a push again, a refused task goes back to the outbox, a profile the model
     * could not score is scored again; then the score and push stages run as in a sync. A letter whose record goes
     * through is resolved as replayed; one that fails again is resolved with the new letter named (which holds the
     * new reason); one whose stage failed as a whole stays open. A record refused at pull is not replayed: it is
     * read again when the vendor changes it.
     */
    public Replay replay(String job, List<io.leadsync.store.DeadLetter> letters, String by) {
        SyncJob definition = requireJob(job);
        Object begun = begin(job, "replay:" + by, false, true);
        if (begun instanceof RunRequest skipped) {
            return new Replay(skipped.runId(), false, "SKIPPED", Map.of(), List.of(), skipped.message());
        }
        RunContext run = (RunContext) begun;
        run.stats().state("run", "mode", "replay");
        LOG.info("Run {} of job {} started (replay of {} dead letters, {})", run.runId(), job, letters.size(), by);
        Map<Long, String> outcomes = new LinkedHashMap<>();
        List<io.leadsync.store.DeadLetter> replayed = new java.util.ArrayList<>();
        java.util.Set<String> sinks = new java.util.LinkedHashSet<>();
        boolean[] rescore = {false};
        try {
            Instant now = clock.instant();
            store.useTransaction(tx -> {
                for (io.leadsync.store.DeadLetter given : letters) {
                    io.leadsync.store.DeadLetter letter = tx.deadLetters().get(given.id()).orElse(given);
                    if (!letter.open()) {
                        outcomes.put(letter.id(), "not replayed: it is " + letter.status().toLowerCase(java.util.Locale.ROOT));
                        continue;
                    }
                    switch (letter.stage()) {
                        case "push" -> {
                            if (letter.recordId() != null && tx.pushLedger().markRecordPending(letter.source(),
                                    letter.recordId())) {
                                sinks.add(letter.source());
                                replayed.add(letter);
                            } else {
                                outcomes.put(letter.id(), "not replayed: no profile links " + letter.source() + ":"
                                        + letter.recordId() + " any more (deleted or merged); discard it");
                            }
                        }
                        case "task" -> {
                            if (letter.recordId() != null && tx.tasks().retryFailed(letter.source(), letter.recordId(),
                                    now) > 0) {
                                sinks.add(letter.source());
                                replayed.add(letter);
                            } else {
                                outcomes.put(letter.id(), "not replayed: the task outbox holds no refused task of "
                                        + letter.source() + ":" + letter.recordId() + "; discard it");
                            }
                        }
                        case "score" -> {
                            if (letter.recordId() != null && tx.profiles().exists(letter.recordId())) {
                                tx.profiles().markChanged(List.of(letter.recordId()), now);
                                rescore[0] = true;
                                replayed.add(letter);
                            } else {
                                outcomes.put(letter.id(), "not replayed: profile " + letter.recordId()
                                        + " no longer exists; discard it");
                            }
                        }
                        default -> outcomes.put(letter.id(), "not replayed: a record refused at " + letter.stage()
                                + " is read again when " + letter.source() + " changes it (its modification time"
                                + " moves); correct it there, then discard this letter");
                    }
                }
            });
            if (rescore[0]) {
                runStage(run, "score", () -> stages.score(run));
            }
            for (SinkConnector sink : definition.sinks()) {
                String name = sink.descriptor().name();
                if (rescore[0] || sinks.contains(name)) {
                    runStage(run, "push " + name, () -> stages.push(run, sink));
                }
            }
        } finally {
            stages.finish(run);
            complete(run);
        }
        RunRecord record = runRecord(run.runId());
        List<io.leadsync.store.DeadLetter> fresh = store.inTransaction(tx -> tx.deadLetters().forRun(run.runId()));
        List<Long> resolved = new java.util.ArrayList<>();
        Instant now = clock.instant();
        for (io.leadsync.store.DeadLetter letter : replayed) {
            String stage = letter.stage().equals("score") ? "score" : "push " + letter.source();
            String stageState = run.stats().state("stages", stage);
            if (stageState != null) {
                outcomes.put(letter.id(), "not replayed: the " + stage + " stage " + stageState.toLowerCase(
                        java.util.Locale.ROOT) + " (see run " + run.runId() + "); it stays open");
                continue;
            }
            Optional<io.leadsync.store.DeadLetter> again = fresh.stream()
                    .filter(f -> f.stage().equals(letter.stage()) && f.source().equals(letter.source())
                            && Objects.equals(f.recordId(), letter.recordId()))
                    .findFirst();
            String resolution = again.map(f -> "replayed in run " + run.runId() + " and refused again: " + f.reason()
                    + " (dead letter " + f.id() + ")").orElse("replayed in run " + run.runId() + ": went through");
            if (store.inTransaction(tx -> tx.deadLetters().resolve(letter.id(), io.leadsync.store.DeadLetter.REPLAYED,
                    by, resolution, now))) {
                resolved.add(letter.id());
            }
            outcomes.put(letter.id(), resolution);
        }
        return new Replay(run.runId(), true, record.status().name(), outcomes, resolved, record.message());
    }

    /** Runs a stage outside the routes, recording its failure on the run as the routes do. */
    private void runStage(RunContext run, String stage, Runnable work) {
        try {
            work.run();
        } catch (io.leadsync.connector.QuotaExhaustedException e) {
            run.paused(stage, e);
        } catch (RuntimeException e) {
            if (run.stopRequested()) {
                return;
            }
            run.failed(stage, e);
            LOG.warn("run {}: {} failed: {}", run.runId(), stage, e.toString());
        }
    }

    /** The stages, as the routes call them. */
    private final class Stages implements SyncRoutes.Stages {
        @Override
        public void runScheduled(String job, Instant scheduledFireTime) {
            // the fire's scheduled time names it: each fire of the cluster's trigger is one run, on one instance
            runNow(job, scheduledFireTime == null ? "schedule" : "schedule " + scheduledFireTime);
        }

        /**
         * Runs a stage's work with the run's ids in the log (MDC {@code job} and {@code run}); a dry run's work joins
         * its store session, rolled back when the run finishes.
         */
        private <T> T within(RunContext run, java.util.function.Supplier<T> work) {
            org.slf4j.MDC.put("job", run.job().name());
            org.slf4j.MDC.put("run", Long.toString(run.runId()));
            if (!run.dryRun()) {
                return work.get();
            }
            Store.RollbackSession session = run.session();
            if (session == null) {
                session = store.openRollbackSession();
                run.session(session);
            }
            return session.run(work);
        }

        @Override
        public Stream<Page<SourceRecord>> openPull(RunContext run, SourceConnector source, StreamId stream) {
            run.checkpoint();
            return within(run, () -> {
                Cursor from = store.inTransaction(tx -> tx.cursors().load(stream)).orElse(null);
                run.readFrom(stream, from);
                if (run.job().completeness().check() && from == null) {
                    // a first load is the long read: the vendor's count gives its progress as x of y
                    expect(run, source, stream, null);
                }
                return pull.open(source, stream);
            });
        }

        @Override
        public void pullShared(RunContext run) {
            within(run, () -> {
                sharedPull.pullAll(run);
                return null;
            });
        }

        @Override
        public void storePages(RunContext run, StreamId stream, List<Page<SourceRecord>> pages) {
            run.checkpoint();
            within(run, () -> {
                pull.store(run, stream, pages);
                return null;
            });
            if (!run.helper()) {   // a stream pulled for another instance's run reports to its owner at its end
                saveProgress(run);
            }
            logProgress(run, stream);
        }

        @Override
        public void pulled(RunContext run, SourceConnector source, StreamId stream) {
            if (run.job().completeness().check()) {
                within(run, () -> {
                    completeness(run, source, stream);
                    return null;
                });
                if (!run.helper()) {
                    saveProgress(run);
                }
            }
        }

        @Override
        public void score(RunContext run) {
            run.checkpoint();
            within(run, () -> {
                score.run(run);
                return null;
            });
            saveProgress(run);
        }

        @Override
        public void push(RunContext run, SinkConnector sink) {
            run.checkpoint();
            within(run, () -> {
                push.run(run, sink, scoring.taskThreshold().isPresent());
                return null;
            });
            saveProgress(run);
        }

        @Override
        public void storeChanges(RunContext run, EventBatch batch) {
            run.checkpoint();
            within(run, () -> {
                eventStage.run(run, batch);
                return null;
            });
            saveProgress(run);
        }

        @Override
        public void finish(RunContext run) {
            try {
                Instant now = clock.instant();
                run.recordCalls();
                run.stats().time("total", Duration.between(run.startedAt(), now));
                long deadLetters;
                if (run.dryRun()) {
                    deadLetters = within(run, () -> store.inTransaction(tx -> (long) tx.deadLetters()
                            .forRun(run.runId()).size()));
                    closeSession(run);
                } else {
                    deadLetters = store.inTransaction(tx -> (long) tx.deadLetters().forRun(run.runId()).size());
                }
                RunStatus status = run.stopRequested() ? RunStatus.ABORTED : run.isPaused() ? RunStatus.PAUSED
                        : run.hasFailed() ? RunStatus.FAILED
                        : !run.dryRun() && (deadLetters > 0 || run.stats().total("push", "retryLater") > 0)
                        ? RunStatus.PARTIAL : RunStatus.SUCCEEDED;
                String summary = (run.stopRequested() ? "stopped at a safe point: " + run.stopReason() + "; " : "")
                        + RunSummary.describe(run.stats(), deadLetters);
                // the end and the lease's release in one transaction: once the run shows as ended, the job is free,
                // so a fire that comes as the run ends (on this instance or another) is not skipped for a run that
                // is over (ClusterIT saw one 33 ms after the end was recorded, before the lease was released)
                boolean recorded = store.inTransaction(tx -> {
                    boolean finished = tx.runs().finish(run.runId(), status, summary, json(run.stats()), now);
                    tx.jobLocks().release(run.job().name(), run.leaseOwner());
                    return finished;
                });
                LIVE_OWNERS.remove(run.leaseOwner());
                active.remove(run.job().name(), run);
                LOG.info("Run {} of job {} {} in {} ms: {}", run.runId(), run.job().name(),
                        recorded ? status : "ended (already closed as ABORTED)",
                        Duration.between(run.startedAt(), now).toMillis(), summary);
                tell(() -> listener.finished(runRecord(run.runId()), run.stats()));
            } finally {
                closeSession(run);
                store.useTransaction(tx -> tx.jobLocks().release(run.job().name(), run.leaseOwner()));
                LIVE_OWNERS.remove(run.leaseOwner());
                active.remove(run.job().name(), run);
                org.slf4j.MDC.remove("job");
                org.slf4j.MDC.remove("run");
            }
        }

        private void saveProgress(RunContext run) {
            store.useTransaction(tx -> tx.runs().progress(run.runId(), json(run.stats())));
            tell(() -> listener.progress(run.runId(), run.job().name(), run.stats()));
        }
    }

    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("A sync listener failed: {}", e.toString());
        }
    }

    private static void closeSession(RunContext run) {
        Store.RollbackSession session = run.session();
        if (session != null) {
            run.session(null);
            session.close();
        }
    }

    /**
     * Asks the vendor how many records a first load will bring (the y of its progress), if it can say; a failed count
     * is logged and the read goes on.
     */
    private void expect(RunContext run, SourceConnector source, StreamId stream, Cursor from) {
        try {
            source.count(stream, from, null).ifPresent(count -> {
                run.expected(stream, count.records());
                run.stats().add("completeness", stream.toString(), "expected", count.records());
                run.stats().add("completeness", stream.toString(), "expectedReadCalls", count.readCalls());
            });
        } catch (RuntimeException e) {
            LOG.info("run {}: {} could not be counted before its read: {}", run.runId(), stream,
                    io.leadsync.connector.Secrets.mask(String.valueOf(e.getMessage())));
        }
    }

    /** Logs a progress line of a long read: x of y records, the rate, and the time left when y is known. */
    private void logProgress(RunContext run, StreamId stream) {
        long pulled = run.stats().get("pull", stream.toString(), "received");
        RunContext.Progress due = run.progressDue(progressEvery, pulled);
        if (due == null) {
            return;
        }
        double seconds = Math.max(0.001, due.nanos() / 1e9);
        double rate = Math.max(0, pulled - due.pulledBefore()) / seconds;
        java.util.OptionalLong expected = run.expected(stream);
        if (expected.isPresent() && expected.getAsLong() > 0) {
            long total = Math.max(expected.getAsLong(), pulled);
            long left = total - pulled;
            LOG.info("run {} of job {}: pull {} {} of {} records ({}%), {} records/s{}", run.runId(),
                    run.job().name(), stream, pulled, total, pulled * 100 / total, Math.round(rate),
                    rate > 0 ? ", about " + Math.round(left / rate) + " s left" : "");
        } else {
            LOG.info("run {} of job {}: pull {} {} records so far, {} records/s", run.runId(), run.job().name(),
                    stream, pulled, Math.round(rate));
        }
    }

    /**
     * Compares the vendor's own count of the window a stream's read covered with the records the store holds for that
     * window; a gap (the vendor counts more than the store holds and the dead letters and the records the connector
     * skips by design explain) is flagged on the run and, if the job says so, the window is read again once and
     * counted again.
     */
    private void completeness(RunContext run, SourceConnector source, StreamId stream) {
        String scope = stream.toString();
        RunStats stats = run.stats();
        Cursor from = run.readFrom(stream).orElse(null);
        boolean reread = false;
        while (true) {
            Cursor to = store.inTransaction(tx -> tx.cursors().load(stream)).orElse(null);
            Optional<io.leadsync.connector.VendorCount> counted;
            try {
                counted = source.count(stream, from, to);
            } catch (RuntimeException e) {
                stats.state("completeness/" + scope, "status", "UNCOUNTED");
                stats.state("completeness/" + scope, "reason", "the count failed: "
                        + io.leadsync.connector.Secrets.mask(String.valueOf(e.getMessage())));
                return;
            }
            if (counted.isEmpty()) {
                stats.state("completeness/" + scope, "status", "UNCOUNTED");
                stats.state("completeness/" + scope, "reason", source.descriptor().type()
                        + " gives no count of this stream");
                return;
            }
            io.leadsync.connector.VendorCount count = counted.get();
            long held = store.inTransaction(tx -> tx.operations().storedInWindow(stream, count.from(), count.to()));
            long rejected = stats.get("pull", scope, "rejected");
            long missing = Math.max(0, count.records() - count.skipped() - held - rejected);
            if (missing > 0 && !reread && run.job().completeness().rereadGaps()) {
                reread = true;
                LOG.warn("run {}: {} shows a gap ({} counts {}, {} skipped by design, the store holds {}, {} rejected);"
                        + " reading the window again", run.runId(), stream, count.method(), count.records(),
                        count.skipped(), held, rejected);
                stats.add("completeness", scope, "rereads", 1);
                try (Stream<Page<SourceRecord>> pages = source.read(stream, from == null ? null
                        : source.upgrade(from))) {
                    pages.forEach(page -> {
                        run.checkpoint();
                        pull.store(run, stream, page);
                    });
                }
                continue;
            }
            stats.add("completeness", scope, "vendor", count.records());
            if (count.skipped() > 0) {
                stats.add("completeness", scope, "skipped", count.skipped());
            }
            stats.add("completeness", scope, "stored", held);
            stats.add("completeness", scope, "rejected", rejected);
            stats.add("completeness", scope, "missing", missing);
            String state = "completeness/" + scope;
            stats.state(state, "method", count.method());
            stats.state(state, "from", count.from() == null ? "the beginning" : count.from().toString());
            stats.state(state, "to", count.to().toString());
            stats.state(state, "status", missing > 0 ? "GAP" : "COMPLETE");
            if (missing > 0) {
                String problem = "completeness " + scope + ": " + count.method() + " counts " + count.records()
                        + " records modified from " + (count.from() == null ? "the beginning" : count.from())
                        + " to " + count.to() + (count.skipped() > 0 ? ", " + count.skipped() + " skipped by design"
                        : "") + ", the store holds " + held + " and " + rejected
                        + " were refused: " + missing + " missing" + (reread ? " after reading the window again"
                        : " (set sync.jobs." + run.job().name() + ".completeness.reread-gaps: true to read it again)");
                stats.problem(problem);
                LOG.warn("run {}: {}", run.runId(), problem);
            }
            return;
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
        private boolean clustered;
        private SyncListener listener = SyncListener.NONE;
        private Duration progressEvery = Duration.ofSeconds(10);
        private EventSettings events = EventSettings.defaults();

        /** How change events are taken (default {@link EventSettings#defaults()}: on, a 1 s debounce window). */
        public Builder events(EventSettings settings) {
            this.events = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Told of each run's progress and end (metrics). */
        public Builder listener(SyncListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** How often a long read logs a progress line (default 10 s). */
        public Builder progressEvery(Duration every) {
            this.progressEvery = every;
            return this;
        }

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

        /**
         * Whether the engine is one instance of a cluster on a shared PostgreSQL: its cron triggers are the Quartz
         * cluster's ({@link ClusterScheduler#install} must have set up the Camel context's {@code quartz} component),
         * it recovers the runs of instances that died, and it pulls streams of the other instances' runs (default false:
         * one process, Quartz's RAM store). An engine whose schedules are held ({@link #startSchedules(boolean)}: a
         * command run beside the cluster) does neither until {@link SyncEngine#startSchedules()}.
         */
        public Builder clustered(boolean clustered) {
            this.clustered = clustered;
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
