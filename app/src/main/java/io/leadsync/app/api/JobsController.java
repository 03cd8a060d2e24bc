package io.leadsync.app.api;

import io.leadsync.routes.SyncEngine;
import io.leadsync.store.RunRecord;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.security.annotation.Secured;
import io.leadsync.app.ApiAccess;

import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/jobs}: configured jobs; {@code POST /api/jobs/{name}/run}: runs a job now. Answers 202 with the
 * run's id (or 200 with the finished run when {@code ?wait=true}), 409 when a run of the job is under way, 404 for
 * an unknown job.
 */
@Controller("/api/jobs")
@Secured(ApiAccess.READ)
public class JobsController {
    private final SyncEngine engine;

    public JobsController(SyncEngine engine) {
        this.engine = engine;
    }

    @Get
    public List<Map<String, Object>> jobs() {
        return engine.jobNames().stream().map(name -> {
            var job = engine.job(name).orElseThrow();
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", name);
            view.put("schedule", job.schedule());
            view.put("sources", job.sources().stream().map(s -> s.descriptor().name()).toList());
            view.put("sinks", job.sinks().stream().map(s -> s.descriptor().name()).toList());
            view.put("runningRunId", engine.runningRun(name).orElse(null));
            return view;
        }).toList();
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/{name}/run")
    public HttpResponse<Map<String, Object>> run(@PathVariable String name,
                                                 @QueryValue(defaultValue = "false") boolean wait,
                                                 io.micronaut.security.authentication.Authentication caller)
            throws Exception {
        if (engine.job(name).isEmpty()) {
            return HttpResponse.notFound(Map.of("message", "no job named '" + name + "'; configured jobs are "
                    + engine.jobNames()));
        }
        // the run remembers who asked for it (the token's name, never the token)
        SyncEngine.RunRequest request = engine.trigger(name, "api:" + caller.getName());
        if (!request.started()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("runId", request.runId());
            body.put("status", "SKIPPED");
            body.put("runningRunId", request.runningRunId());
            body.put("message", request.message());
            return HttpResponse.status(HttpStatus.CONFLICT).body(body);
        }
        if (wait) {
            RunRecord finished = engine.await(request.runId(), Duration.ofHours(1));
            return HttpResponse.ok(RunViews.run(finished));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", request.runId());
        body.put("status", "RUNNING");
        body.put("message", request.message());
        body.put("location", "/api/runs/" + request.runId());
        return HttpResponse.accepted().body(body);
    }
}
