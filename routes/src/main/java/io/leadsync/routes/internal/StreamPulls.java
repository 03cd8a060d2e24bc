package io.leadsync.routes.internal;

import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.StreamId;
import io.leadsync.routes.SyncJob;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * The order in which a run of one instance pulls its streams. Every stream that may carry persons
 * ({@link SourceConnector#carriesPersons}) is pulled on the run's thread, one at a time in the job's order, so identity
 * resolution meets persons in the same order on every run. A source's streams of activities are pulled in a lane of
 * their own, in order, from the moment that source's persons are stored: beside the next sources' persons and the
 * other sources' lanes (an activity finds the profile of its own source's person; one that names its person only by
 * an email held by a later source's person is attached when that person comes, as in an incremental run). The lanes of
 * a source without persons start when every person stream is done. Two vendors' answer times and rate-limit waits
 * (HubSpot's searches for its engagements, the longest) then overlap instead of adding up, and the store's work of
 * two lanes uses two cores. A lane's thread carries the run (a shutdown interrupts it); a stream
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
        List<Source> sources = new ArrayList<>();
        for (SourceConnector source : job.sources()) {
            String name = source.descriptor().name();
            Source lanes = new Source(new ArrayList<>(), new ArrayList<>());
            for (String stream : source.descriptor().streams()) {
                (source.carriesPersons(stream) ? lanes.persons() : lanes.activities()).add(new StreamId(name, stream));
            }
            sources.add(lanes);
        }
        long laneCount = sources.stream().filter(source -> !source.activities().isEmpty()).count();
        int lastWithPersons = -1;
        for (int i = 0; i < sources.size(); i++) {
            if (!sources.get(i).persons().isEmpty()) {
                lastWithPersons = i;
            }
        }
        List<Future<?>> running = new ArrayList<>();
        List<List<StreamId>> afterPersons = new ArrayList<>();
        long started = 0;
        try {
            for (int i = 0; i < sources.size(); i++) {
                Source source = sources.get(i);
                source.persons().forEach(stream -> pull.accept(run, stream));
                if (source.activities().isEmpty()) {
                    continue;
                }
                if (source.persons().isEmpty() || (i >= lastWithPersons && laneCount == 1)) {
                    // no persons of its own to wait for: it waits for everyone's (an activity finds its person's
                    // profile as when every person stream went first); a lone lane with nothing left beside it goes
                    // on this thread
                    afterPersons.add(source.activities());
                } else {
                    if (running.isEmpty()) {
                        run.parallel(true);
                        started = System.nanoTime();
                    }
                    running.add(lanes.submit(() -> run.lane(() -> pullInOrder(run, source.activities(), pull))));
                }
            }
            if (running.isEmpty() && afterPersons.size() <= 1) {
                afterPersons.forEach(lane -> pullInOrder(run, lane, pull));
                return;
            }
            if (running.isEmpty()) {
                run.parallel(true);
                started = System.nanoTime();
            }
            for (List<StreamId> lane : afterPersons) {
                running.add(lanes.submit(() -> run.lane(() -> pullInOrder(run, lane, pull))));
            }
            awaitAll(run, running, "pull");
        } catch (RuntimeException | Error e) {
            // a person stream failed outside its route: the lanes end before the run goes on
            awaitAll(run, running, "pull");
            throw e;
        } finally {
            if (!running.isEmpty()) {
                run.parallel(false);
                run.stats().time("pull", java.time.Duration.ofNanos(System.nanoTime() - started));
            }
        }
    }

    /** A source's streams that may carry persons and those of activities, each in the connector's order. */
    private record Source(List<StreamId> persons, List<StreamId> activities) {
    }

    private static void pullInOrder(RunContext run, List<StreamId> lane, BiConsumer<RunContext, StreamId> pull) {
        for (StreamId stream : lane) {
            if (!run.stopRequested()) {
                pull.accept(run, stream);
            }
        }
    }

    /**
     * Waits for every lane. Interrupted (a shutdown abandoning the run, which interrupts the lanes too), it stops the
     * lanes, waits until they have left (a lane stuck in a call holds it, as the call would on the run's own thread)
     * and returns with the interrupt kept: the run's next safe point ends it.
     */
    static void awaitAll(RunContext run, List<Future<?>> running, String stage) {
        for (Future<?> lane : running) {
            try {
                lane.get();
            } catch (InterruptedException e) {
                running.forEach(other -> other.cancel(true));
                run.awaitLanes();
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                run.failed(stage, e.getCause());
            }
        }
    }
}
