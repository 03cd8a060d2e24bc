package io.leadsync.routes.internal;

import io.leadsync.connector.Page;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.routes.SyncJob;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * The Camel routes of every configured job:
 * <pre>
 * quartz://leadsync/&lt;job&gt;?cron=...   schedule-&lt;job&gt;     starts a run on the job's cron ({@link #schedule})
 * direct:run-&lt;job&gt;                  run-&lt;job&gt;          pull each stream, score and push the sinks beside it
 *                                                        (each sink beside the others, {@link SinkPushes}), record
 *                                                        the run
 * direct:pull-&lt;source&gt;-&lt;stream&gt;     pull-&lt;source&gt;-&lt;stream&gt;  pages split in streaming mode, stored with their cursor
 *                                                                 while the next are read ({@link ReadAhead}), those
 *                                                                 already read stored together ({@link PageGroups})
 * direct:score-changed-profiles      score-changed-profiles
 * direct:push-&lt;sink&gt;                 push-&lt;sink&gt;
 * direct:events-&lt;job&gt;               events-&lt;job&gt;       an event run: store-changes-&lt;job&gt; stores the records of
 *                                                        its changes ({@link EventStage}), then score and push as above
 * </pre>
 * A stage that fails is recorded on the run and the next stages still run (what was stored is still scored and
 * pushed); the run then ends FAILED (or PAUSED when a vendor's budget is spent).
 */
public final class SyncRoutes extends RouteBuilder {
    static final String STARTED = "leadsync.stageStarted";
    static final String PAGES = "leadsync.pages";
    static final String READ_AHEAD = "leadsync.readAhead";

    /** What the routes call; implemented by the engine. */
    public interface Stages {
        /** A fire of the job's cron trigger, with the time Quartz scheduled it for. */
        void runScheduled(String job, java.time.Instant scheduledFireTime);

        /** A stream's read ended without failing: its completeness is checked. */
        void pulled(RunContext run, SourceConnector source, StreamId stream);

        Stream<Page<SourceRecord>> openPull(RunContext run, SourceConnector source, StreamId stream);

        /** The pull of every stream of a run, shared with the other instances of a cluster ({@link SharedPull}). */
        void pullShared(RunContext run);

        void storePages(RunContext run, StreamId stream, List<Page<SourceRecord>> pages);

        void score(RunContext run);

        void push(RunContext run, SinkConnector sink);

        /** Stores the records of an event run's changes ({@link EventStage}). */
        void storeChanges(RunContext run, EventBatch batch);

        void finish(RunContext run);
    }

    private final Stages stages;
    private final Collection<SyncJob> jobs;
    private final boolean shared;

    public SyncRoutes(Stages stages, Collection<SyncJob> jobs) {
        this(stages, jobs, false);
    }

    /**
     * @param shared whether a run's pulls are shared with the other instances of a cluster: the run route then calls
     *               {@link Stages#pullShared} instead of each pull route in turn (which the instances still use)
     */
    public SyncRoutes(Stages stages, Collection<SyncJob> jobs, boolean shared) {
        this.stages = stages;
        this.jobs = jobs;
        this.shared = shared;
    }

    /** The id of the route that starts a job's runs on its cron. */
    public static String scheduleRouteId(String job) {
        return "schedule-" + job;
    }

    /**
     * The route that starts a job's runs on a Quartz cron: {@code quartz://leadsync/<job>?cron=...}, id
     * {@link #scheduleRouteId}. Added, replaced (a new schedule) and stopped (paused) by the engine. Stateful: a fire
     * never starts while the job's previous fire is running (in a cluster, on any instance); a missed fire fires once
     * now ({@code misfireInstruction=1}, see {@link io.leadsync.routes.ClusterScheduler}).
     *
     * @param start whether it starts with the Camel context (or when added to a started one)
     */
    public static RouteBuilder schedule(Stages stages, String job, String cron, boolean start) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("quartz://" + io.leadsync.routes.ClusterScheduler.TRIGGER_GROUP + "/" + job + "?cron="
                        + cron.strip().replace(' ', '+') + "&stateful=true&trigger.misfireInstruction=1")
                        .routeId(scheduleRouteId(job))
                        .autoStartup(start)
                        .process(exchange -> {
                            java.util.Date fire = exchange.getMessage().getHeader("scheduledFireTime",
                                    java.util.Date.class);
                            stages.runScheduled(job, fire == null ? null : fire.toInstant());
                        });
            }
        };
    }

    /**
     * Pages already read are stored together, with the last one's cursor, up to about this many records
     * ({@link PageGroups}); pages are read ahead while those waiting hold fewer than twice as many.
     */
    static final int GROUP_RECORDS = 2_000;

    /** The threads that read each stream's next page while the current one is stored (Camel's, shut down with it). */
    private ExecutorService readers;
    /** The order of a run's stream pulls, its activity streams in lanes beside each other (Camel's threads). */
    private StreamPulls streamPulls;
    /** The threads of the lanes: streams pulled beside each other, pushes beside each other and the score stage. */
    private ExecutorService lanes;
    /** The pushes of a run to its sinks, beside each other (the same threads). */
    private SinkPushes sinkPushes;
    private volatile ProducerTemplate template;

    /** Pulls one stream of a run through its pull route, on the calling thread. */
    private void pullHere(RunContext run, StreamId stream) {
        sendHere(run, "direct:" + pullRouteId(stream));
    }

    /** Pushes a run's scores and tasks to one sink through its push route, on the calling thread. */
    private void pushHere(RunContext run, SinkConnector sink) {
        sendHere(run, "direct:" + pushRouteId(sink));
    }

    private void sendHere(RunContext run, String endpoint) {
        ProducerTemplate current = template;
        if (current == null) {
            synchronized (this) {
                if (template == null) {
                    template = getContext().createProducerTemplate();
                }
                current = template;
            }
        }
        current.send(endpoint, exchange -> exchange.setProperty(RunContext.PROPERTY, run));
    }

    static String pushRouteId(SinkConnector sink) {
        return "push-" + sink.descriptor().name();
    }

    static String pullRouteId(StreamId stream) {
        return "pull-" + stream.source() + "-" + stream.stream();
    }

    @Override
    public void configure() {
        errorHandler(noErrorHandler());
        readers = getContext().getExecutorServiceManager().newCachedThreadPool(this, "leadsync-read-ahead");
        lanes = getContext().getExecutorServiceManager().newCachedThreadPool(this, "leadsync-lane");
        streamPulls = new StreamPulls(lanes);
        sinkPushes = new SinkPushes(lanes);

        from("direct:score-changed-profiles").routeId("score-changed-profiles")
                .doTry()
                    .process(this::startTimer)
                    .process(exchange -> stages.score(run(exchange)))
                .doCatch(Exception.class)
                    .process(exchange -> failed(exchange, "score"))
                .doFinally()
                    .process(exchange -> stopTimer(exchange, "score"))
                .end();

        Set<String> pullRoutes = new HashSet<>();
        Set<String> pushRoutes = new HashSet<>();
        for (SyncJob job : jobs) {
            RouteDefinition run = from("direct:run-" + job.name()).routeId("run-" + job.name());
            var attempt = run.doTry();
            for (SourceConnector source : job.sources()) {
                for (String stream : source.descriptor().streams()) {
                    StreamId streamId = new StreamId(source.descriptor().name(), stream);
                    String routeId = pullRouteId(streamId);
                    if (pullRoutes.add(routeId)) {
                        pullRoute(routeId, source, streamId);
                    }
                }
            }
            if (shared) {
                attempt.process(exchange -> stages.pullShared(run(exchange)));
            } else {
                attempt.process(exchange -> streamPulls.pullAll(run(exchange), this::pullHere));
            }
            for (SinkConnector sink : job.sinks()) {
                if (pushRoutes.add(pushRouteId(sink))) {
                    pushRoute(pushRouteId(sink), sink);
                }
            }
            scoreAndPush(attempt, job);
            attempt.doFinally().process(exchange -> stages.finish(run(exchange))).end();
            eventRoute(job);
        }
    }

    /** {@code direct:events-<job>}: an event run stores its changes' records, then scores and pushes as a run does. */
    private void eventRoute(SyncJob job) {
        from("direct:store-changes-" + job.name()).routeId("store-changes-" + job.name())
                .doTry()
                    .process(this::startTimer)
                    .process(exchange -> stages.storeChanges(run(exchange),
                            exchange.getProperty(EventBatch.PROPERTY, EventBatch.class)))
                .doCatch(Exception.class)
                    .process(exchange -> failed(exchange, EventStage.STAGE))
                .doFinally()
                    .process(exchange -> stopTimer(exchange, EventStage.STAGE))
                .end();
        var attempt = from("direct:events-" + job.name()).routeId("events-" + job.name()).doTry();
        attempt.to("direct:store-changes-" + job.name());
        scoreAndPush(attempt, job);
        attempt.doFinally().process(exchange -> stages.finish(run(exchange))).end();
    }

    /**
     * Scores the changed profiles, and pushes to the job's sinks, one beside the other ({@link SinkPushes}), while
     * the score stage goes on: each push sends the changes of the scores committed so far in full batches, then the
     * rest once the stage has ended ({@link PushStage}). A dry run scores, then pushes, on its own thread.
     */
    private void scoreAndPush(org.apache.camel.model.TryDefinition attempt, SyncJob job) {
        List<SinkConnector> sinks = List.copyOf(job.sinks());
        attempt.process(exchange -> {
            RunContext run = run(exchange);
            if (run.dryRun() || sinks.isEmpty()) {
                sendHere(run, "direct:score-changed-profiles");
                sinkPushes.pushAll(run, sinks, this::pushHere);
                return;
            }
            run.scoringStarted();
            java.util.concurrent.Future<?> pushes;
            try {
                pushes = lanes.submit(() -> run.lane(() -> sinkPushes.pushAll(run, sinks, this::pushHere)));
            } catch (RuntimeException e) {
                run.scoringDone();
                throw e;
            }
            try {
                sendHere(run, "direct:score-changed-profiles");
            } finally {
                run.scoringDone();
                StreamPulls.awaitAll(run, List.of(pushes), "push");
            }
        });
    }

    @SuppressWarnings("unchecked")
    private void pullRoute(String routeId, SourceConnector source, StreamId stream) {
        from("direct:" + routeId).routeId(routeId)
                .doTry()
                    .process(this::startTimer)
                    .process(exchange -> {
                        Stream<Page<SourceRecord>> pages = stages.openPull(run(exchange), source, stream);
                        exchange.setProperty(PAGES, pages);
                        ReadAhead<Page<SourceRecord>> ahead = new ReadAhead<>(pages.iterator(), readers,
                                Page::size, 2 * GROUP_RECORDS);
                        exchange.setProperty(READ_AHEAD, ahead);
                        exchange.getMessage().setBody(new InOrderFailures<>(new PageGroups<>(ahead, GROUP_RECORDS)));
                    })
                    .split(body()).streaming().stopOnException()
                        .process(exchange -> {
                            Object item = exchange.getMessage().getBody();
                            if (item instanceof InOrderFailures.Failure failure) {
                                throw failure.cause();
                            }
                            stages.storePages(run(exchange), stream, (List<Page<SourceRecord>>) item);
                        })
                    .end()
                    .process(exchange -> stages.pulled(run(exchange), source, stream))
                .endDoTry()
                .doCatch(Exception.class)
                    .process(exchange -> failed(exchange, "pull " + stream))
                .doFinally()
                    .process(exchange -> {
                        ReadAhead<?> ahead = exchange.getProperty(READ_AHEAD, ReadAhead.class);
                        if (ahead != null) {
                            ahead.close();
                        }
                        Stream<?> pages = exchange.getProperty(PAGES, Stream.class);
                        if (pages != null) {
                            pages.close();
                        }
                        // beside other lanes a stream's time is not the stage's: StreamPulls times the lanes' wall
                        stopTimer(exchange, run(exchange).parallel() ? "pull lanes" : "pull");
                    })
                .end();
    }

    private void pushRoute(String routeId, SinkConnector sink) {
        from("direct:" + routeId).routeId(routeId)
                .doTry()
                    .process(this::startTimer)
                    .process(exchange -> stages.push(run(exchange), sink))
                .doCatch(Exception.class)
                    .process(exchange -> failed(exchange, "push " + sink.descriptor().name()))
                .doFinally()
                    // beside another sink's push a sink's time is not the stage's: SinkPushes times their wall
                    .process(exchange -> stopTimer(exchange, run(exchange).parallel() ? "push lanes" : "push"))
                .end();
    }

    private static RunContext run(Exchange exchange) {
        return exchange.getProperty(RunContext.PROPERTY, RunContext.class);
    }

    private void startTimer(Exchange exchange) {
        exchange.setProperty(STARTED, System.nanoTime());
    }

    private void stopTimer(Exchange exchange, String stage) {
        Long started = exchange.getProperty(STARTED, Long.class);
        if (started != null) {
            run(exchange).stats().time(stage, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static void failed(Exchange exchange, String stage) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Throwable cause = Failures.meaningful(caught);
        if (cause instanceof RunStoppedException || run(exchange).stopRequested()) {
            org.slf4j.LoggerFactory.getLogger(SyncRoutes.class).info("run {}: {} stopped: {}", run(exchange).runId(),
                    stage, run(exchange).stopReason());
            return;
        }
        if (cause instanceof io.leadsync.connector.QuotaExhaustedException) {
            run(exchange).paused(stage, cause);
        } else {
            run(exchange).failed(stage, cause);
        }
        org.slf4j.LoggerFactory.getLogger(SyncRoutes.class).warn("run {}: {} failed: {}", run(exchange).runId(), stage,
                RunContext.describe(cause), cause);
    }
}
