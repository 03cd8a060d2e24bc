package io.leadsync.app.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.store.DeadLetter;
import io.leadsync.store.RunRecord;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON views of runs and dead letters for the API. */
final class RunViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunViews() {
    }

    static Map<String, Object> run(RunRecord run) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("runId", run.runId());
        view.put("job", run.job());
        view.put("trigger", run.trigger());
        view.put("status", run.status().name());
        view.put("startedAt", run.startedAt().toString());
        view.put("finishedAt", run.finishedAt() == null ? null : run.finishedAt().toString());
        view.put("durationMillis", run.finishedAt() == null ? null
                : Duration.between(run.startedAt(), run.finishedAt()).toMillis());
        view.put("message", run.message());
        Map<String, Object> stats = stats(run.statsJson());
        view.put("counts", stats.getOrDefault("counts", Map.of()));
        view.put("timingsMillis", stats.getOrDefault("timingsMillis", Map.of()));
        view.put("problems", stats.getOrDefault("problems", java.util.List.of()));
        return view;
    }

    static Map<String, Object> deadLetter(DeadLetter letter) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", letter.id());
        view.put("runId", letter.runId());
        view.put("stage", letter.stage());
        view.put("source", letter.source());
        view.put("stream", letter.stream());
        view.put("recordId", letter.recordId());
        view.put("reason", letter.reason());
        view.put("payload", letter.payload());
        view.put("createdAt", letter.createdAt().toString());
        return view;
    }

    private static Map<String, Object> stats(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<>() { });
        } catch (Exception e) {
            return Map.of("problems", java.util.List.of("stats unreadable: " + e.getMessage()));
        }
    }
}
