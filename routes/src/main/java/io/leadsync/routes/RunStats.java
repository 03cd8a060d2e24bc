package io.leadsync.routes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts and timings of one run, by stage ({@code pull}, {@code score}, {@code push}) and scope (a stream such as
 * {@code hubspot-main/contacts}, a sink such as {@code hubspot-main}, or {@code all}), the vendor calls of each connector
 * (stage {@code calls}: attempts, retries, rate-limit answers...) and states at the end (a vendor's circuit). Stored
 * with the run as JSON and returned by {@code GET /api/runs}.
 */
public final class RunStats {
    private final Map<String, Map<String, Map<String, Long>>> counts = new LinkedHashMap<>();
    private final Map<String, Long> timingsMillis = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Map<String, String>> states = new LinkedHashMap<>();

    public synchronized void add(String stage, String scope, String counter, long delta) {
        counts.computeIfAbsent(stage, s -> new LinkedHashMap<>()).computeIfAbsent(scope, s -> new LinkedHashMap<>())
                .merge(counter, delta, Long::sum);
    }

    public synchronized long get(String stage, String scope, String counter) {
        return counts.getOrDefault(stage, Map.of()).getOrDefault(scope, Map.of()).getOrDefault(counter, 0L);
    }

    /** A counter summed over every scope of a stage. */
    public synchronized long total(String stage, String counter) {
        return counts.getOrDefault(stage, Map.of()).values().stream()
                .mapToLong(scope -> scope.getOrDefault(counter, 0L)).sum();
    }

    public synchronized void time(String stage, Duration duration) {
        timingsMillis.merge(stage, duration.toMillis(), Long::sum);
    }

    /** A state at the run's end, such as a vendor's circuit ({@code calls}/{@code hubspot-main}/{@code circuit}). */
    public synchronized void state(String scope, String name, String value) {
        states.computeIfAbsent(scope, s -> new LinkedHashMap<>()).put(name, value);
    }

    public synchronized String state(String scope, String name) {
        return states.getOrDefault(scope, Map.of()).get(name);
    }

    /** Every state of a scope, in the order set. */
    public synchronized Map<String, String> states(String scope) {
        return Map.copyOf(states.getOrDefault(scope, Map.of()));
    }

    public synchronized void problem(String text) {
        problems.add(text);
    }

    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Adds the counts, states and problems of another part of the same run, as {@link #toMap()} gives them (the streams
     * another instance of a cluster pulled): counts are summed, states and problems added; timings are left out (they
     * overlap this instance's).
     */
    @SuppressWarnings("unchecked")
    public synchronized void merge(Map<String, Object> part) {
        if (part.get("counts") instanceof Map<?, ?> stages) {
            ((Map<String, Object>) stages).forEach((stage, scopes) -> ((Map<String, Object>) scopes).forEach(
                    (scope, counters) -> ((Map<String, Object>) counters).forEach((counter, value) ->
                            add(stage, scope, counter, ((Number) value).longValue()))));
        }
        if (part.get("states") instanceof Map<?, ?> scopes) {
            ((Map<String, Object>) scopes).forEach((scope, values) -> ((Map<String, Object>) values).forEach(
                    (name, value) -> state(scope, name, String.valueOf(value))));
        }
        if (part.get("problems") instanceof List<?> list) {
            list.forEach(problem -> problems.add(String.valueOf(problem)));
        }
    }

    /**
     * A copy as nested maps: {@code {counts:{stage:{scope:{counter:n}}}, timingsMillis:{stage:ms}, problems:[...],
     * states:{scope:{name:value}}}}.
     */
    public synchronized Map<String, Object> toMap() {
        Map<String, Object> copy = new LinkedHashMap<>();
        Map<String, Object> countsCopy = new LinkedHashMap<>();
        counts.forEach((stage, scopes) -> {
            Map<String, Object> scopesCopy = new LinkedHashMap<>();
            scopes.forEach((scope, counters) -> scopesCopy.put(scope, new LinkedHashMap<>(counters)));
            countsCopy.put(stage, scopesCopy);
        });
        copy.put("counts", countsCopy);
        copy.put("timingsMillis", new LinkedHashMap<>(timingsMillis));
        copy.put("problems", List.copyOf(problems));
        Map<String, Object> statesCopy = new LinkedHashMap<>();
        states.forEach((scope, values) -> statesCopy.put(scope, new LinkedHashMap<>(values)));
        copy.put("states", statesCopy);
        return copy;
    }
}
