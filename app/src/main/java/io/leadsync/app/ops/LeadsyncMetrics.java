package io.leadsync.app.ops;

import io.leadsync.connector.CallStats;
import io.leadsync.routes.RunStats;
import io.leadsync.routes.SyncListener;
import io.leadsync.store.RunRecord;
import io.leadsync.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * leadsync's metrics in a Prometheus registry (scraped at {@code GET /metrics}):
 * <ul>
 * <li>{@code leadsync_records_total{stage,scope,outcome}}: records per stage and stream (pull received, stored,
 *     unchanged, re-seen, rejected; score profiles, changed, failed; push written, failed, already current; tasks),
 *     counted as each run saves its progress; dry runs are left out</li>
 * <li>{@code leadsync_vendor_calls_total{connector,kind}}: calls to each vendor by kind (attempts, retries,
 *     rate_limited for 429s and Salesforce's limits, server_errors, transport_failures, malformed, circuit_rejected),
 *     read from the connectors' own counts</li>
 * <li>{@code leadsync_circuit_state{connector,state}}: 1 for the state each vendor's circuit breaker is in</li>
 * <li>{@code leadsync_api_calls_today{connector}}, {@code leadsync_api_daily_allowance{connector}}: the budget</li>
 * <li>{@code leadsync_run_duration_seconds{job,status}}, {@code leadsync_runs_total{job,status}}</li>
 * <li>{@code leadsync_push_lag_seconds{sink}}: age of the oldest changed score still waiting for its push</li>
 * <li>{@code leadsync_dead_letters{stage,source}}: open dead letters</li>
 * <li>{@code leadsync_identity_total{outcome}}: profiles created, records merged into an existing profile
 *     (linked_to_existing, probable_matches), possible matches kept for review; {@code
 *     leadsync_identity_reviews_waiting}</li>
 * <li>{@code leadsync_completeness_missing_records{stream}}: records the vendor counts that the store lacks, as of
 *     the stream's last checked read</li>
 * </ul>
 * plus the JVM's memory, GC, threads, CPU and uptime.
 */
public final class LeadsyncMetrics implements SyncListener {
    private static final List<String> STAGES = List.of("pull", "score", "push");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Long, Map<String, Long>> seen = new ConcurrentHashMap<>();
    private final Map<String, Double> missing = new ConcurrentHashMap<>();
    private final MultiGauge deadLetters;
    private final MultiGauge pushLag;
    private final MultiGauge budgetUsed;
    private final MultiGauge budgetAllowance;
    private final MultiGauge circuits;
    private final MultiGauge completeness;
    private volatile double reviewsWaiting;
    /** The connectors' counts the call counters read: Micrometer holds them only weakly, so this class holds them. */
    private final List<Object> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    public LeadsyncMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        deadLetters = MultiGauge.builder("leadsync.dead.letters").description("open dead letters").register(registry);
        pushLag = MultiGauge.builder("leadsync.push.lag").baseUnit("seconds")
                .description("age of the oldest changed score waiting for its push").register(registry);
        budgetUsed = MultiGauge.builder("leadsync.api.calls.today").description("vendor calls of today's runs")
                .register(registry);
        budgetAllowance = MultiGauge.builder("leadsync.api.daily.allowance")
                .description("daily allowance of vendor calls (daily-call-budget)").register(registry);
        circuits = MultiGauge.builder("leadsync.circuit.state")
                .description("1 for the state each vendor's circuit breaker is in").register(registry);
        completeness = MultiGauge.builder("leadsync.completeness.missing.records")
                .description("records the vendor counts that the store lacks, as of the last checked read")
                .register(registry);
        Gauge.builder("leadsync.identity.reviews.waiting", this, m -> m.reviewsWaiting)
                .description("possible identity matches waiting for review").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Counts the vendor calls of a connector from its own counts (the connectors count each call once). */
    public void bindConnector(String name, String type, java.util.function.Supplier<java.util.Optional<CallStats>> stats) {
        held.add(stats);
        Map<String, ToDoubleFunction<java.util.function.Supplier<java.util.Optional<CallStats>>>> kinds = Map.of(
                "attempts", s -> s.get().map(CallStats::attempts).orElse(0L),
                "retries", s -> s.get().map(CallStats::retries).orElse(0L),
                "rate_limited", s -> s.get().map(CallStats::rateLimited).orElse(0L),
                "server_errors", s -> s.get().map(CallStats::serverErrors).orElse(0L),
                "transport_failures", s -> s.get().map(CallStats::transportFailures).orElse(0L),
                "malformed", s -> s.get().map(CallStats::malformed).orElse(0L),
                "circuit_rejected", s -> s.get().map(CallStats::rejected).orElse(0L));
        kinds.forEach((kind, read) -> FunctionCounter.builder("leadsync.vendor.calls", stats, read)
                .description("calls to the vendor, by kind").tags("connector", name, "vendor", type, "kind", kind)
                .register(registry));
    }

    @Override
    public void progress(long runId, String job, RunStats stats) {
        count(runId, job, stats);
    }

    @Override
    public void finished(RunRecord run, RunStats stats) {
        count(run.runId(), run.job(), stats);
        seen.remove(run.runId());
        String status = run.status().name();
        Counter.builder("leadsync.runs").description("runs ended, by job and status").tags("job", run.job(),
                "status", status).register(registry).increment();
        if (run.finishedAt() != null) {
            Timer.builder("leadsync.run.duration").description("how long runs take").tags("job", run.job(),
                    "status", status).register(registry).record(Duration.between(run.startedAt(), run.finishedAt()));
        }
        Map<String, Object> states = stats.toMap();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> counts = (Map<String, Map<String, Object>>) states.get("counts");
        @SuppressWarnings("unchecked")
        Map<String, Object> checked = (Map<String, Object>) counts.getOrDefault("completeness", Map.of());
        checked.forEach((stream, values) -> {
            Object value = ((Map<?, ?>) values).get("missing");
            if (value instanceof Number number) {
                missing.put(stream, number.doubleValue());
            }
        });
    }

    /** Adds what a run counted since it was last seen. */
    private synchronized void count(long runId, String job, RunStats stats) {
        if ("dry-run".equals(stats.state("run", "mode"))) {
            return;
        }
        Map<String, Long> before = seen.computeIfAbsent(runId, id -> new ConcurrentHashMap<>());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Long>>> counts =
                (Map<String, Map<String, Map<String, Long>>>) (Map<?, ?>) stats.toMap().get("counts");
        for (String stage : STAGES) {
            counts.getOrDefault(stage, Map.of()).forEach((scope, counters) -> counters.forEach((counter, value) -> {
                if (counter.startsWith("model:")) {
                    return;
                }
                String key = stage + "|" + scope + "|" + counter;
                long delta = value - before.getOrDefault(key, 0L);
                if (delta > 0) {
                    Counter.builder("leadsync.records").description("records per stage and stream, by outcome")
                            .tags("stage", stage, "scope", scope, "outcome", snake(counter), "job", job)
                            .register(registry).increment(delta);
                }
                before.put(key, value);
            }));
        }
        counts.getOrDefault("identity", Map.of()).forEach((scope, counters) -> counters.forEach((counter, value) -> {
            String key = "identity|" + counter;
            long delta = value - before.getOrDefault(key, 0L);
            if (delta > 0) {
                Counter.builder("leadsync.identity").description("identity resolution: profiles created, records"
                        + " merged into a profile, possible matches kept for review").tags("outcome", snake(counter))
                        .register(registry).increment(delta);
            }
            before.put(key, value);
        }));
    }

    /**
     * Updates the gauges read from the store and the connectors (dead letters, push lag, budget, circuits, reviews);
     * called before each scrape.
     */
    public void refresh(Store store, ConnectorOps connectors, Clock clock) {
        List<MultiGauge.Row<?>> letters = new ArrayList<>();
        store.inTransaction(tx -> tx.deadLetters().countOpenBy()).forEach((key, count) -> {
            String[] parts = key.split("/", 2);
            letters.add(MultiGauge.Row.of(Tags.of("stage", parts[0], "source", parts[1]), count));
        });
        deadLetters.register(letters, true);
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        List<MultiGauge.Row<?>> used = new ArrayList<>();
        List<MultiGauge.Row<?>> allowances = new ArrayList<>();
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        for (String name : connectors.names()) {
            double lag = store.inTransaction(tx -> tx.operations().oldestPendingPush(name))
                    .map(oldest -> Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0))
                    .orElse(0.0);
            lags.add(MultiGauge.Row.of(Tags.of("sink", name), lag));
            ConnectorOps.Budget budget = connectors.budget(name, false);
            used.add(MultiGauge.Row.of(Tags.of("connector", name), budget.usedToday()));
            if (budget.dailyAllowance() != null) {
                allowances.add(MultiGauge.Row.of(Tags.of("connector", name), budget.dailyAllowance()));
            }
            String circuit = connectors.callStats(name).map(CallStats::circuit).orElse(null);
            if (circuit != null) {
                for (String state : List.of("CLOSED", "OPEN", "HALF_OPEN")) {
                    states.add(MultiGauge.Row.of(Tags.of("connector", name, "state", state),
                            state.equals(circuit) ? 1 : 0));
                }
            }
        }
        pushLag.register(lags, true);
        budgetUsed.register(used, true);
        budgetAllowance.register(allowances, true);
        circuits.register(states, true);
        List<MultiGauge.Row<?>> gaps = new ArrayList<>();
        missing.forEach((stream, value) -> gaps.add(MultiGauge.Row.of(Tags.of("stream", stream), value)));
        completeness.register(gaps, true);
        reviewsWaiting = store.inTransaction(tx -> tx.operations().reviewsWaiting());
    }

    /** Prometheus' text format of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
