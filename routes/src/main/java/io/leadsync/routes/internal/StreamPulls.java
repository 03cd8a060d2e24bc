package io.leadsync.routes.internal;

import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.StreamId;
import io.leadsync.routes.SyncJob;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * The order in which a run of one instance pulls its streams. First every stream that may carry persons
 * ({@link SourceConnector#carriesPersons}), one at a time in the job's order, so identity resolution meets persons in
 * the same order on every run; then the streams of activities, one lane per source pulling its streams in order,
 * the lanes beside each other. Two vendors' answer times and rate-limit waits then overlap instead of adding up, and
 * the store's work of two lanes uses two cores. A lane's thread carries the run (a shutdown interrupts it); a stream
 * that fails is recorded by its pull route and the other streams go on, as when pulled one after the other. A dry
 * run pulls every stream in the job's order on its own thread (its store session is one connection).
 */
public final class StreamPulls {
    private final ExecutorService lanes;

    /** @param lanes the threads of the lanes (Camel's, shut down with it) */
    public StreamPulls(ExecutorService lanes) {
        this.lanes = lanes;
    }

    /** The job's streams in the job's order (each source's in its connector's order). */
    static List<StreamId> streams(SyncJob job) {
        List<StreamId> streams = new ArrayList<>();
        for (SourceConnector source : job.sources()) {
            for (String stream : source.descriptor().streams()) {
                streams.add(new StreamId(source.descriptor().name(), stream));
            }
        }
        return streams;
    }

    /**
     * Pulls every stream of the run's job through {@code pull} (which stores the stream and records its failure).
     */
    public void pullAll(RunContext run, BiConsumer<RunContext, StreamId> pull) {
        SyncJob job = run.job();
        if (run.dryRun()) {
            streams(job).forEach(stream -> pull.accept(run, stream));
            return;
        }
        Map<String, List<StreamId>> activityLanes = new LinkedHashMap<>();
        for (SourceConnector source : job.sources()) {
            String name = source.descriptor().name();
            for (String stream : source.descriptor().streams()) {
                StreamId id = new StreamId(name, stream);
                if (source.carriesPersons(stream)) {
                    pull.accept(run, id);
                } else {
                    activityLanes.computeIfAbsent(name, n -> new ArrayList<>()).add(id);
                }
            }
        }
        if (activityLanes.size() <= 1) {
            activityLanes.values().forEach(lane -> lane.forEach(stream -> pull.accept(run, stream)));
            return;
        }
        run.parallel(true);
        long started = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (List<StreamId> lane : activityLanes.values()) {
                running.add(lanes.submit(() -> run.lane(() -> lane.forEach(stream -> {
                    if (!run.stopRequested()) {
                        pull.accept(run, stream);
                    }
                }))));
            }
            awaitAll(run, running);
        } finally {
            run.parallel(false);
            run.stats().time("pull", java.time.Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * Waits for every lane. Interrupted (a shutdown abandoning the run, which interrupts the lanes too), it stops the
     * lanes and returns with the interrupt kept: the run's next safe point ends it.
     */
    private static void awaitAll(RunContext run, List<Future<?>> running) {
        for (Future<?> lane : running) {
            try {
                lane.get();
            } catch (InterruptedException e) {
                running.forEach(other -> other.cancel(true));
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                run.failed("pull", e.getCause());
            }
        }
    }
}
