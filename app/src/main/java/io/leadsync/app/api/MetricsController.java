package io.leadsync.app.api;

import io.leadsync.app.ApiAccess;
import io.leadsync.app.ops.ConnectorOps;
import io.leadsync.app.ops.LeadsyncMetrics;
import io.leadsync.store.Store;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.time.Clock;

/**
 * {@code GET /metrics}: every metric in Prometheus' text format (see {@link LeadsyncMetrics}), behind a read token
 * (Prometheus sends it with {@code authorization: {credentials: ...}} in its scrape config).
 */
@Controller("/metrics")
@Secured(ApiAccess.READ)
@ExecuteOn(TaskExecutors.BLOCKING)
public class MetricsController {
    private final LeadsyncMetrics metrics;
    private final Store store;
    private final ConnectorOps connectors;
    private final Clock clock;

    public MetricsController(LeadsyncMetrics metrics, Store store, ConnectorOps connectors, Clock clock) {
        this.metrics = metrics;
        this.store = store;
        this.connectors = connectors;
        this.clock = clock;
    }

    @Get
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public String scrape() {
        metrics.refresh(store, connectors, clock);
        return metrics.scrape();
    }
}
