package io.leadsync.app.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.store.DeadLetter;
import io.leadsync.store.RunRecord;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON views of runs and dead letters for the API and the command line. */
public final class RunViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunViews() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> run(RunRecord run) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("runId", run.runId());
        view.put("job", run.job());
        view.put("trigger", run.trigger());
        view.put("node", run.node());
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
        Map<String, Object> states = stats.get("states") instanceof Map<?, ?> map
                ? (Map<String, Object>) map : Map.of();
        view.put("mode", states.get("run") instanceof Map<?, ?> mode && mode.get("mode") != null ? mode.get("mode")
                : "sync");
        view.put("completeness", completeness(stats, states));
        return view;
    }

    public static Map<String, Object> deadLetter(DeadLetter letter) {
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
        view.put("status", letter.status());
        view.put("resolvedAt", letter.resolvedAt() == null ? null : letter.resolvedAt().toString());
        view.put("resolvedBy", letter.resolvedBy());
        view.put("resolution", letter.resolution());
        return view;
    }

    /**
     * Per stream: the vendor's count of the window read, what the store holds for it, what was refused, what is
     * missing, and the status (COMPLETE, GAP, UNCOUNTED with the reason).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> completeness(Map<String, Object> stats, Map<String, Object> states) {
        Map<String, Object> result = new java.util.TreeMap<>();
        Object counts = stats.get("counts") instanceof Map<?, ?> c ? ((Map<String, Object>) c).get("completeness")
                : null;
        if (counts instanceof Map<?, ?> streams) {
            streams.forEach((stream, values) -> result.put(String.valueOf(stream),
                    new LinkedHashMap<>((Map<String, Object>) values)));
        }
        states.forEach((scope, values) -> {
            if (scope.startsWith("completeness/") && values instanceof Map<?, ?> map) {
                Map<String, Object> entry = (Map<String, Object>) result.computeIfAbsent(
                        scope.substring("completeness/".length()), k -> new LinkedHashMap<>());
                entry.putAll((Map<String, Object>) map);
            }
        });
        return result;
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
