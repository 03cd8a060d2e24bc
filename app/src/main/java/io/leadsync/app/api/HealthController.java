package io.leadsync.app.api;

import io.leadsync.routes.SyncEngine;
import io.leadsync.store.Store;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.http.annotation.Get;
import org.apache.camel.CamelContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health}: UP when the Camel context runs and the database answers; 503 otherwise. */
@Controller("/health")
@Secured(SecurityRule.IS_ANONYMOUS)
public class HealthController {
    private final CamelContext camel;
    private final Store store;
    private final SyncEngine engine;

    public HealthController(CamelContext camel, Store store, SyncEngine engine) {
        this.camel = camel;
        this.store = store;
        this.engine = engine;
    }

    @Get
    public HttpResponse<Map<String, Object>> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean camelUp = camel.isStarted();
        String database;
        try {
            store.inTransaction(tx -> tx.runs().recent(null, 1));
            database = "UP";
        } catch (RuntimeException e) {
            database = "DOWN: " + io.leadsync.connector.Secrets.mask(e.getMessage());
        }
        boolean up = camelUp && "UP".equals(database);
        body.put("status", up ? "UP" : "DOWN");
        body.put("camel", camel.getStatus().name());
        body.put("database", database);
        body.put("jobs", engine.jobNames());
        return HttpResponse.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
