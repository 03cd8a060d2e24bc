package io.leadsync.app.api;

import io.leadsync.app.ApiAccess;
import io.leadsync.store.Store;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/runs}: the latest runs with their status, counts per stage and stream, timings, problems and
 * completeness per stream; {@code GET /api/runs/{id}} one run; {@code GET /api/runs/{id}/dead-letters} what it could
 * not handle and why.
 */
@Controller("/api/runs")
@Secured(ApiAccess.READ)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RunsController {
    private final Store store;

    public RunsController(Store store) {
        this.store = store;
    }

    @Get
    public List<Map<String, Object>> runs(@QueryValue @Nullable String job, @QueryValue(defaultValue = "20") int limit) {
        if (limit < 1 || limit > 500) {
            throw ApiProblem.badInput("limit", "limit must be between 1 and 500 but is " + limit);
        }
        return store.inTransaction(tx -> tx.runs().recent(job, limit)).stream().map(RunViews::run).toList();
    }

    @Get("/{id}")
    public Map<String, Object> run(@PathVariable long id) {
        return store.inTransaction(tx -> tx.runs().get(id)).map(RunViews::run)
                .orElseThrow(() -> ApiProblem.notFound("no run " + id));
    }

    @Get("/{id}/dead-letters")
    public List<Map<String, Object>> deadLetters(@PathVariable long id) {
        if (store.inTransaction(tx -> tx.runs().get(id)).isEmpty()) {
            throw ApiProblem.notFound("no run " + id);
        }
        return store.inTransaction(tx -> tx.deadLetters().forRun(id)).stream().map(RunViews::deadLetter).toList();
    }
}
