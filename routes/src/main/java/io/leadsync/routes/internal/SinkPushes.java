package io.leadsync.routes.internal;

import io.leadsync.connector.SinkConnector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * The pushes of a run to its sinks, each sink beside the others: two CRMs' answer times and rate-limit waits overlap
 * instead of adding up (each sink has its own push ledger, task outbox and rate limiter, so nothing orders them). The
 * first sink is pushed on the run's thread, the others in lanes of the run ({@link RunContext#lane}: a shutdown
 * interrupts them too); a push that fails is recorded by its route and the others go on. A dry run pushes one sink
 * after the other on its own thread (its store session is one connection).
 */
final class SinkPushes {
    private final ExecutorService lanes;

    /** @param lanes the threads of the lanes (Camel's, shut down with it) */
    SinkPushes(ExecutorService lanes) {
        this.lanes = lanes;
    }

    void pushAll(RunContext run, List<SinkConnector> sinks, BiConsumer<RunContext, SinkConnector> push) {
        if (run.dryRun() || sinks.size() <= 1) {
            sinks.forEach(sink -> push.accept(run, sink));
            return;
        }
        run.parallel(true);
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        try {
            for (SinkConnector sink : sinks.subList(1, sinks.size())) {
                running.add(lanes.submit(() -> run.lane(() -> {
                    if (!run.stopRequested()) {
                        push.accept(run, sink);
                    }
                })));
            }
            push.accept(run, sinks.get(0));
        } finally {
            StreamPulls.awaitAll(run, running, "push");
            run.parallel(false);
            run.stats().time("push", java.time.Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
