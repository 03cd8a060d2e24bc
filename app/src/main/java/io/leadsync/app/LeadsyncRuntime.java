package io.leadsync.app;

import io.leadsync.routes.SyncEngine;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the pipeline with the application and stops it with it. Created eagerly ({@link Context}), so an invalid
 * configuration stops start-up with the key that is wrong.
 */
@Context
public class LeadsyncRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(LeadsyncRuntime.class);

    private final CamelContext camel;
    private final SyncEngine engine;
    private final java.time.Duration grace;

    public LeadsyncRuntime(SyncEngine engine, CamelContext camel, LeadsyncConfig config) throws Exception {
        this.camel = camel;
        this.engine = engine;
        this.grace = config.runs().shutdownGrace();
        engine.start();
        camel.start();
        LOG.info("leadsync started: jobs {}, connectors {}, database {}", engine.jobNames(),
                config.connectors().keySet(), config.database().url().replaceAll(";.*", ""));
    }

    /**
     * Stops the runs under way at their next safe point (ABORTED, lease released; a call that does not return within
     * leadsync.runs.shutdown-grace is abandoned), then Camel.
     */
    @PreDestroy
    void stop() {
        int stopped = engine.shutdown(grace);
        if (stopped > 0) {
            LOG.info("Stopped {} run(s) under way; the next runs resume from the saved cursors", stopped);
        }
        // the runs had their grace already: Camel must not wait its own 45 s for an abandoned call
        camel.getShutdownStrategy().setTimeout(1);
        camel.getShutdownStrategy().setTimeUnit(java.util.concurrent.TimeUnit.SECONDS);
        camel.getShutdownStrategy().setSuppressLoggingOnTimeout(true);
        // nor its thread pools their 10 s each: a reader abandoned with the run may be sleeping between retries
        camel.getExecutorServiceManager().setShutdownAwaitTermination(1000);
        camel.stop();
    }
}
