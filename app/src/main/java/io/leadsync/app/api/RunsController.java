package io.leadsync.app.api;

import io.leadsync.store.Store;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.security.annotation.Secured;
import io.leadsync.app.ApiAccess;

import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/runs}: the latest runs with their status, counts per stage and timings;
 * {@code GET /api/runs/{id}} one run; {@code GET /api/runs/{id}/dead-letters} what it could not handle and why.
 */
@Controller("/api/runs")
@Secured(ApiAccess.READ)
public class RunsController {
    private final Store store;

    public RunsController(Store store) {
        this.store = store;
    }

    @Get
    public List<Map<String, Object>> runs(@QueryValue @Nullable String job, @QueryValue(defaultValue = "20") int limit) {
        int bounded = Math.max(1, Math.min(limit, 500));
        return store.inTransaction(tx -> tx.runs().recent(job, bounded)).stream().map(RunViews::run).toList();
    }

    @Get("/{id}")
    public HttpResponse<Map<String, Object>> run(@PathVariable long id) {
        return store.inTransaction(tx -> tx.runs().get(id)).map(RunViews::run).map(HttpResponse::ok)
                .orElseGet(() -> HttpResponse.notFound(Map.of("message", "no run " + id)));
    }

    @Get("/{id}/dead-letters")
    public List<Map<String, Object>> deadLetters(@PathVariable long id) {
        return store.inTransaction(tx -> tx.deadLetters().forRun(id)).stream().map(RunViews::deadLetter).toList();
    }
}
