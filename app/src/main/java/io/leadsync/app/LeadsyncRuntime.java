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

    public LeadsyncRuntime(SyncEngine engine, CamelContext camel, LeadsyncConfig config) throws Exception {
        this.camel = camel;
        engine.start();
        camel.start();
        LOG.info("leadsync started: jobs {}, connectors {}, database {}", engine.jobNames(),
                config.connectors().keySet(), config.database().url().replaceAll(";.*", ""));
    }

    @PreDestroy
    void stop() {
        camel.stop();
    }
}
