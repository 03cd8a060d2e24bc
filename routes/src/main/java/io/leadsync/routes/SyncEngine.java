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
 * processes sharing it wait too), refreshed with every stored page. A run asked for while another is under way is
 * recorded as SKIPPED and names the running one. Thread-safe.
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

    /** Adds the routes to the Camel context and closes runs left RUNNING by a process that stopped. */
    public void start() throws Exception {
        camel.addRoutes(new SyncRoutes(new Stages(), jobs.values(), startSchedules));
        for (String job : jobs.keySet()) {
            String probe = nodeId + "/startup-" + UUID.randomUUID();
            Instant now = clock.instant();
            if (store.tryAcquireJobLock(job, probe, now, Duration.ofSeconds(30))) {
                int abandoned = store.inTransaction(tx -> tx.runs().abandonRunning(job,
                        "the process running it stopped before the run finished; the next run resumes from the saved"
                                + " cursors", now));
                store.useTransaction(tx -> tx.jobLocks().release(job, probe));
                if (abandoned > 0) {
                    LOG.warn("Closed {} run(s) of job {} left running by a stopped process", abandoned, job);
                }
            }
        }
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
            RunContext running = active.get(job);
            if (running != null) {
                return new Started(skipped(job, trigger, running.runId(), "run " + running.runId() + " of job " + job
                        + " is under way; this one was not started", now), null);
            }
            String owner = nodeId + "/" + UUID.randomUUID();
            if (!store.tryAcquireJobLock(job, owner, now, leaseTtl)) {
                String holder = store.inTransaction(tx -> tx.jobLocks().holder(job, now)).orElse("another process");
                return new Started(skipped(job, trigger, null, "job " + job + " is running on " + holder
                        + "; this run was not started", now), null);
            }
            long runId = store.inTransaction(tx -> tx.runs().start(job, trigger, now));
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
        public Stream<Page<SourceRecord>> openPull(SourceConnector source, StreamId stream) {
            return pull.open(source, stream);
        }

        @Override
        public void storePage(RunContext run, StreamId stream, Page<SourceRecord> page) {
            pull.store(run, stream, page);
            saveProgress(run);
        }

        @Override
        public void score(RunContext run) {
            score.run(run);
            saveProgress(run);
        }

        @Override
        public void push(RunContext run, SinkConnector sink) {
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
                RunStatus status = run.isPaused() ? RunStatus.PAUSED : run.hasFailed() ? RunStatus.FAILED
                        : deadLetters > 0 ? RunStatus.PARTIAL : RunStatus.SUCCEEDED;
                String summary = RunSummary.describe(run.stats(), deadLetters);
                store.useTransaction(tx -> tx.runs().finish(run.runId(), status, summary, json(run.stats()), now));
                LOG.info("Run {} of job {} {} in {} ms: {}", run.runId(), run.job().name(), status,
                        Duration.between(run.startedAt(), now).toMillis(), summary);
            } finally {
                store.useTransaction(tx -> tx.jobLocks().release(run.job().name(), run.leaseOwner()));
                active.remove(run.job().name());
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
        private Duration leaseTtl = Duration.ofMinutes(10);
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

        /** How long a run's lease lasts without being refreshed (a stored page refreshes it). */
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
