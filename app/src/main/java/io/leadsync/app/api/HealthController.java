package io.leadsync.app.api;

import io.leadsync.app.ops.ConnectorOps;
import io.leadsync.connector.Secrets;
import io.leadsync.routes.SyncEngine;
import io.leadsync.store.Store;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import org.apache.camel.CamelContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health}: UP when the Camel context runs and the database answers; 503 otherwise (liveness).
 * {@code GET /health/readiness}: each dependency, the database and every connector (its circuit breaker and last
 * check), UP or DOWN; 503 when the database or every connector is down. Both answer anyone, and name no secret.
 */
@Controller("/health")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class HealthController {
    private final CamelContext camel;
    private final Store store;
    private final SyncEngine engine;
    private final ConnectorOps connectors;

    public HealthController(CamelContext camel, Store store, SyncEngine engine, ConnectorOps connectors) {
        this.camel = camel;
        this.store = store;
        this.engine = engine;
        this.connectors = connectors;
    }

    @Get
    public HttpResponse<Map<String, Object>> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean camelUp = camel.isStarted();
        String database = database();
        boolean up = camelUp && "UP".equals(database);
        body.put("status", up ? "UP" : "DOWN");
        body.put("camel", camel.getStatus().name());
        body.put("database", database);
        body.put("jobs", engine.jobNames());
        return HttpResponse.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    @Get("/readiness")
    public HttpResponse<Map<String, Object>> readiness() {
        Map<String, Object> dependencies = new LinkedHashMap<>();
        String database = database();
        dependencies.put("database", Map.of("status", "UP".equals(database) ? "UP" : "DOWN", "detail", database));
        dependencies.put("pipeline", Map.of("status", camel.isStarted() ? "UP" : "DOWN", "detail",
                camel.getStatus().name()));
        int connectorsDown = 0;
        for (String name : connectors.names()) {
            String circuit = connectors.callStats(name).map(io.leadsync.connector.CallStats::circuit).orElse(null);
            ConnectorOps.Check check = connectors.lastCheck(name).orElse(null);
            String status = ConnectorOps.status(circuit, check);
            if (status.equals("DOWN")) {
                connectorsDown++;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", status);
            entry.put("circuit", circuit);
            entry.put("lastCheck", check == null ? null : (check.ok() ? "ok" : "failed") + " at " + check.checkedAt());
            dependencies.put("connector:" + name, entry);
        }
        boolean ready = "UP".equals(database) && camel.isStarted()
                && (connectors.names().isEmpty() || connectorsDown < connectors.names().size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "UP" : "DOWN");
        body.put("dependencies", dependencies);
        return HttpResponse.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    private String database() {
        try {
            store.inTransaction(tx -> tx.runs().recent(null, 1));
            return "UP";
        } catch (RuntimeException e) {
            return "DOWN: " + Secrets.mask(e.getMessage());
        }
    }
}
