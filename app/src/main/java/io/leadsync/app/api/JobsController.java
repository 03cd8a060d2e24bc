package io.leadsync.app.api;

import io.leadsync.app.ApiAccess;
import io.leadsync.routes.SyncEngine;
import io.leadsync.store.RunRecord;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jobs: {@code GET /api/jobs} and {@code GET /api/jobs/{name}} (connectors, schedule in force, paused, next fire time,
 * run under way); {@code PUT /api/jobs/{name}/schedule} ({@code {"schedule": "0 0 * * * ?"}}, or null for on demand
 * only); {@code POST /api/jobs/{name}/pause} and {@code /resume} (the cron trigger); {@code POST
 * /api/jobs/{name}/run} (202 with the run's id, or 200 with the finished run when {@code ?wait=true}; 409 when a run
 * of the job is under way); {@code POST /api/jobs/{name}/dry-run} (pulls and scores, reports what would be written and
 * the calls it would cost, writes nothing; waits by default). Unknown jobs are 404.
 */
@Controller("/api/jobs")
@Secured(ApiAccess.READ)
@ExecuteOn(TaskExecutors.BLOCKING)
public class JobsController {
    private final SyncEngine engine;

    public JobsController(SyncEngine engine) {
        this.engine = engine;
    }

    /** A new schedule: a Quartz cron expression, or null to run the job on demand only. */
    @Introspected
    public record ScheduleChange(@Nullable String schedule) {
    }

    @Get
    public List<Map<String, Object>> jobs() {
        return engine.jobNames().stream().map(this::view).toList();
    }

    @Get("/{name}")
    public Map<String, Object> job(@PathVariable String name) {
        return view(known(name));
    }

    private Map<String, Object> view(String name) {
        var job = engine.job(name).orElseThrow();
        SyncEngine.JobSchedule schedule = engine.schedule(name);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("schedule", schedule.schedule());
        view.put("configuredSchedule", schedule.configured());
        view.put("paused", schedule.paused());
        view.put("active", schedule.active());
        view.put("nextFireTime", schedule.nextFireTime() == null ? null : schedule.nextFireTime().toString());
        view.put("scheduleChangedAt", schedule.changedAt() == null ? null : schedule.changedAt().toString());
        view.put("scheduleChangedBy", schedule.changedBy());
        view.put("sources", job.sources().stream().map(s -> s.descriptor().name()).toList());
        view.put("sinks", job.sinks().stream().map(s -> s.descriptor().name()).toList());
        view.put("completeness", Map.of("check", job.completeness().check(),
                "rereadGaps", job.completeness().rereadGaps()));
        view.put("runningRunId", engine.runningRun(name).orElse(null));
        return view;
    }

    @Secured(ApiAccess.ADMIN)
    @Put("/{name}/schedule")
    public Map<String, Object> schedule(@PathVariable String name, @Body ScheduleChange change,
                                        Authentication caller) throws Exception {
        known(name);
        try {
            engine.reschedule(name, change.schedule(), "api:" + caller.getName());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badInput("schedule", e.getMessage());
        }
        return view(name);
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/{name}/pause")
    public Map<String, Object> pause(@PathVariable String name, Authentication caller) throws Exception {
        engine.pause(known(name), "api:" + caller.getName());
        return view(name);
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/{name}/resume")
    public Map<String, Object> resume(@PathVariable String name, Authentication caller) throws Exception {
        engine.resume(known(name), "api:" + caller.getName());
        return view(name);
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/{name}/run")
    public HttpResponse<Map<String, Object>> run(@PathVariable String name,
                                                 @QueryValue(defaultValue = "false") boolean wait,
                                                 Authentication caller) throws Exception {
        return start(name, wait, false, caller);
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/{name}/dry-run")
    public HttpResponse<Map<String, Object>> dryRun(@PathVariable String name,
                                                    @QueryValue(defaultValue = "true") boolean wait,
                                                    Authentication caller) throws Exception {
        return start(name, wait, true, caller);
    }

    private HttpResponse<Map<String, Object>> start(String name, boolean wait, boolean dryRun, Authentication caller)
            throws Exception {
        known(name);
        // the run remembers who asked for it (the token's name, never the token)
        SyncEngine.RunRequest request = engine.trigger(name, (dryRun ? "dry-run:" : "") + "api:" + caller.getName(),
                dryRun);
        if (!request.started()) {
            Map<String, Object> body = new LinkedHashMap<>(ApiProblem.body(HttpStatus.CONFLICT, null,
                    request.message()));
            body.put("runId", request.runId());
            body.put("status", "SKIPPED");
            body.put("runningRunId", request.runningRunId());
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

    private String known(String name) {
        if (engine.job(name).isEmpty()) {
            throw ApiProblem.notFound("no job named '" + name + "'; configured jobs are " + engine.jobNames());
        }
        return name;
    }
}
