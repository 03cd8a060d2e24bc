package io.leadsync.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.app.LeadsyncConfig;
import io.leadsync.app.internal.Connectors;
import io.leadsync.connector.CallStats;
import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.Secrets;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.VendorCount;
import io.leadsync.routes.SyncEngine;
import io.leadsync.store.RunRecord;
import io.leadsync.store.RunStatus;
import io.leadsync.store.Store;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured connectors as an operator sees them: type, streams, status (the circuit of its vendor calls and the
 * last check), last successful run, and API usage against the daily allowance with a forecast of the next run's calls.
 * Usage is read from the runs' own call counts ({@code counts.calls.<connector>} of each run's stats), never counted
 * a second time.
 */
@Singleton
public class ConnectorOps {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many recent runs the average calls per run is taken over. */
    private static final int RECENT_RUNS = 10;

    private final Connectors connectors;
    private final LeadsyncConfig config;
    private final SyncEngine engine;
    private final Store store;
    private final Clock clock;
    private final Map<String, Check> checks = new ConcurrentHashMap<>();

    public ConnectorOps(Connectors connectors, LeadsyncConfig config, SyncEngine engine, Store store, Clock clock) {
        this.connectors = connectors;
        this.config = config;
        this.engine = engine;
        this.store = store;
        this.clock = clock;
    }

    /** A check's outcome and when it ran. */
    public record Check(String connector, boolean ok, String message, Instant checkedAt) {
    }

    /**
     * A connector's calls today against its allowance.
     *
     * @param usedToday      vendor calls of today's runs (UTC day), from their stats
     * @param dailyAllowance the allowance ({@code sync.connectors.<name>.daily-call-budget}), or null when not set
     * @param nextRun        the next run's forecast calls: reading what waits at the vendor plus pushing what waits in
     *                       the store, at the batch sizes; null when it cannot be told
     * @param averagePerRun  average calls of the connector's recent runs
     * @param projectedDaily the calls a day of the schedules of the jobs using it would take at that average
     * @param warnings       a schedule that would exhaust the allowance, today's use past it
     */
    public record Budget(String connector, long usedToday, Long dailyAllowance, Long nextRun,
                         Map<String, Long> nextRunDetail, long averagePerRun, long projectedDaily,
                         List<String> warnings) {
    }

    /** Every configured connector: names, type, streams, status, last success, budget (without a forecast). */
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> views = new ArrayList<>();
        for (String name : names()) {
            views.add(view(name, false));
        }
        return views;
    }

    /** One connector; {@code forecast} asks the vendor what waits (one count call per countable stream). */
    public Optional<Map<String, Object>> get(String name, boolean forecast) {
        return names().contains(name) ? Optional.of(view(name, forecast)) : Optional.empty();
    }

    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>(config.connectors().keySet());
        return names;
    }

    private Map<String, Object> view(String name, boolean forecast) {
        Optional<SourceConnector> source = connectors.source(name);
        Optional<SinkConnector> sink = connectors.sink(name);
        ConnectorDescriptor descriptor = source.map(SourceConnector::descriptor)
                .orElseGet(() -> sink.orElseThrow().descriptor());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("type", descriptor.type());
        view.put("reads", source.isPresent());
        view.put("writes", sink.isPresent());
        view.put("streams", source.map(s -> s.descriptor().streams()).orElse(List.of()));
        view.put("jobs", jobsUsing(name));
        String circuit = callStats(name).map(CallStats::circuit).orElse(null);
        Check check = checks.get(name);
        view.put("status", status(circuit, check));
        view.put("circuit", circuit);
        view.put("lastCheck", check);
        view.put("lastSuccess", lastSuccess(name).map(Instant::toString).orElse(null));
        view.put("budget", budget(name, forecast));
        return view;
    }

    /** UP, DOWN (circuit open, or the last check failed), or UNKNOWN (never called nor checked). */
    public static String status(String circuit, Check check) {
        if ("OPEN".equals(circuit)) {
            return "DOWN";
        }
        if (check != null) {
            return check.ok() ? "UP" : "DOWN";
        }
        return circuit == null ? "UNKNOWN" : "UP";
    }

    /** Checks credentials and reachability now (a cheap call to the vendor); the outcome is kept for the list. */
    public Check check(String name) {
        Optional<SourceConnector> source = connectors.source(name);
        Optional<SinkConnector> sink = connectors.sink(name);
        CheckResult result;
        try {
            result = source.isPresent() ? source.get().check() : sink.orElseThrow().check();
        } catch (RuntimeException e) {
            result = CheckResult.failure(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        Check check = new Check(name, result.ok(), Secrets.mask(result.message()), clock.instant());
        checks.put(name, check);
        return check;
    }

    /** The last check of a connector, if one ran in this process. */
    public Optional<Check> lastCheck(String name) {
        return Optional.ofNullable(checks.get(name));
    }

    public Optional<CallStats> callStats(String name) {
        Optional<CallStats> stats = connectors.source(name).flatMap(SourceConnector::callStats);
        return stats.isPresent() ? stats : connectors.sink(name).flatMap(SinkConnector::callStats);
    }

    private List<String> jobsUsing(String name) {
        return engine.jobNames().stream().filter(job -> config.jobs().get(job) != null
                && config.jobs().get(job).connectors().contains(name)).toList();
    }

    private Optional<Instant> lastSuccess(String name) {
        List<String> jobs = jobsUsing(name);
        return store.inTransaction(tx -> tx.runs().recent(null, 200)).stream()
                .filter(run -> jobs.contains(run.job()) && run.finishedAt() != null
                        && (run.status() == RunStatus.SUCCEEDED || run.status() == RunStatus.PARTIAL)
                        && !"dry-run".equals(mode(run)))
                .map(RunRecord::finishedAt).findFirst();
    }

    /** Every connector's budget, with a forecast of the next run when {@code forecast}. */
    public List<Budget> budgets(boolean forecast) {
        return names().stream().map(name -> budget(name, forecast)).toList();
    }

    /** A connector's budget; see {@link Budget}. */
    public Budget budget(String name, boolean forecast) {
        Instant dayStart = clock.instant().truncatedTo(ChronoUnit.DAYS);
        List<RunRecord> runs = store.inTransaction(tx -> tx.runs().recent(null, 500));
        long usedToday = 0;
        List<Long> recent = new ArrayList<>();
        for (RunRecord run : runs) {
            long calls = calls(run, name);
            if (calls < 0) {
                continue;
            }
            if (!run.startedAt().isBefore(dayStart)) {
                usedToday += calls;
            }
            // a scheduled run's average: dry runs write nothing, event runs are small and come on their own
            if (recent.size() < RECENT_RUNS && run.finishedAt() != null && !"dry-run".equals(mode(run))
                    && !"events".equals(mode(run))) {
                recent.add(calls);
            }
        }
        long average = recent.isEmpty() ? 0 : Math.round(recent.stream().mapToLong(Long::longValue).average()
                .orElse(0));
        long runsPerDay = 0;
        for (String job : jobsUsing(name)) {
            runsPerDay += firesPerDay(engine.schedule(job).schedule(), engine.schedule(job).paused());
        }
        long projected = runsPerDay * average;
        Long allowance = config.dailyCallBudgets().get(name);
        Map<String, Long> detail = forecast ? forecast(name) : null;
        Long next = detail == null ? null : detail.values().stream().mapToLong(Long::longValue).sum();
        List<String> warnings = new ArrayList<>();
        if (allowance != null) {
            if (usedToday >= allowance) {
                warnings.add(name + " has used " + usedToday + " calls today, its whole daily allowance of "
                        + allowance);
            } else if (next != null && usedToday + next > allowance) {
                warnings.add("the next run would need about " + next + " calls of " + name + ", more than the "
                        + (allowance - usedToday) + " left today");
            }
            if (projected > allowance) {
                warnings.add("the schedules of " + jobsUsing(name) + " run " + runsPerDay + " times a day at about "
                        + average + " calls each: " + projected + " calls a day, past the daily allowance of "
                        + allowance + " (sync.connectors." + name + ".daily-call-budget)");
            }
        }
        return new Budget(name, usedToday, allowance, next, detail, average, projected, warnings);
    }

    /**
     * The next run's calls of a connector: for each stream it reads, the calls to read what the vendor counts since
     * the saved cursor; for its sink, the records marked for a push at the sink's batch size, plus the tasks waiting.
     * A stream the vendor cannot count is forecast at its calls in the last run.
     */
    private Map<String, Long> forecast(String name) {
        Map<String, Long> detail = new LinkedHashMap<>();
        connectors.source(name).ifPresent(source -> {
            for (String stream : source.descriptor().streams()) {
                StreamId id = new StreamId(name, stream);
                Cursor cursor = store.inTransaction(tx -> tx.cursors().load(id)).orElse(null);
                long calls;
                try {
                    calls = source.count(id, cursor, null).map(VendorCount::readCalls).orElse(-1L);
                } catch (RuntimeException e) {
                    calls = -1;
                }
                if (calls < 0) {
                    calls = lastRunReadCalls(id);
                }
                detail.put("read " + stream, calls);
            }
        });
        connectors.sink(name).ifPresent(sink -> {
            long pending = store.inTransaction(tx -> tx.pushLedger().countPending(name));
            long batch = sink.maxBatchSize();
            detail.put("push", (pending + batch - 1) / batch);
            if (sink.supportsTasks()) {
                long tasks = store.inTransaction(tx -> (long) tx.tasks().pending(name, 100_000).size());
                detail.put("tasks", (tasks + batch - 1) / batch);
            }
        });
        return detail;
    }

    /** The read calls of a stream in its last run: its pages (a page a call, the best guess without a count). */
    private long lastRunReadCalls(StreamId stream) {
        for (RunRecord run : store.inTransaction(tx -> tx.runs().recent(null, 50))) {
            JsonNode pages = stats(run).path("counts").path("pull").path(stream.toString()).path("pages");
            if (pages.canConvertToLong()) {
                return pages.asLong();
            }
        }
        return 0;
    }

    /** How many times a day a cron fires, counted over the next 24 hours (0 when paused or on demand only). */
    static long firesPerDay(String cron, boolean paused) {
        if (cron == null || paused) {
            return 0;
        }
        try {
            org.quartz.CronExpression expression = new org.quartz.CronExpression(cron);
            java.util.Date at = new java.util.Date();
            java.util.Date end = new java.util.Date(at.getTime() + Duration.ofDays(1).toMillis());
            long fires = 0;
            while (fires < 100_000) {
                at = expression.getNextValidTimeAfter(at);
                if (at == null || at.after(end)) {
                    break;
                }
                fires++;
            }
            return fires;
        } catch (java.text.ParseException e) {
            return 0;
        }
    }

    /** A run's calls to a connector (attempts, from its stats), or -1 if it made none. */
    static long calls(RunRecord run, String connector) {
        JsonNode attempts = stats(run).path("counts").path("calls").path(connector).path("attempts");
        return attempts.canConvertToLong() ? attempts.asLong() : -1;
    }

    static String mode(RunRecord run) {
        return stats(run).path("states").path("run").path("mode").asText(null);
    }

    static JsonNode stats(RunRecord run) {
        if (run.statsJson() == null || run.statsJson().isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(run.statsJson());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}
