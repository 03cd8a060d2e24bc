package io.leadsync.bench.events;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Change;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorFactory;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.PersonRef;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.routes.ChangeIntake;
import io.leadsync.routes.EventSettings;
import io.leadsync.routes.ModelScoringService;
import io.leadsync.routes.SyncEngine;
import io.leadsync.routes.SyncJob;
import io.leadsync.sandbox.Sandbox;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.store.DatabaseSettings;
import io.leadsync.store.RunRecord;
import io.leadsync.store.Store;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The latency of the event path: a steady stream of changes made in the simulators (the vendor side), delivered to
 * the engine's {@link ChangeIntake} as the receivers deliver them, and the time from each vendor-side change to its
 * score landing in the CRM simulator (the bench polls the simulator's state every 20 ms).
 *
 * <p>The pipeline is the one the service runs (the engine of the routes module on an H2 file, the HubSpot and
 * Mixpanel connectors built by their factories from the demo's settings, the default model); only the Micronaut
 * wiring around it is left out. The kinds of change ({@link ChangeSource}), alternating:
 * <ul>
 *   <li>{@code hubspot-webhook}: a HubSpot contact's title becomes senior; delivered as a HubSpot webhook's
 *       {@code contact.propertyChange} names it (a change naming the contact, read back by id);</li>
 *   <li>{@code product-event}: a {@code Requested Demo} product event, also recorded in the Mixpanel simulator;
 *       delivered as a Segment-compatible {@code track} call carries it (a change carrying the activity).</li>
 * </ul>
 * A new kind (the HubSpot simulator's own signed webhooks, Salesforce CDC) is one more {@link ChangeSource}: one
 * whose vendor delivers by itself returns no delivery and is only watched for its landing.
 *
 * <p>It reports p50, p95, p99 and the largest latency per kind and overall, the changes that never landed, the
 * event runs, the CRM write calls and read calls per change, then runs a scheduled sync and reports how many changes
 * it found that the events had missed (expected 0).
 *
 * <pre>
 * java -cp bench/target/leadsync-bench.jar io.leadsync.bench.events.EventLatencyBench --rate 50 --seconds 60 \
 *      --contacts 3000 [--debounce 1s]
 * </pre>
 */
public final class EventLatencyBench {
    private static final String HUBSPOT = "hubspot-main";
    private static final String MIXPANEL = "mixpanel-main";
    private static final Duration POLL = Duration.ofMillis(20);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** One vendor-side change the bench made and is waiting to see land as a score in the CRM. */
    public record Probe(String kind, String contactId, String scoreBefore, long madeAtNanos, List<Change> delivery) {
    }

    /** One kind of change: makes it at the vendor and says what a receiver hands the intake. */
    public interface ChangeSource {
        String kind();

        /**
         * Makes the next change at the vendor.
         *
         * @return the change to watch, with the changes to hand the intake (empty when the vendor delivers by
         *         itself), or null when this kind has no target left
         */
        Probe next(int sequence);
    }

    /** A contact the bench may change: its id, email and score after the first sync. */
    record Target(String id, String email, int score, String reasons) {
    }

    private final PrintStream out;

    EventLatencyBench(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int rate = 50;
        int seconds = 60;
        int contacts = 3000;
        Duration debounce = Duration.ofSeconds(1);
        Path work = Path.of("target/event-latency-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--debounce" -> debounce = ConnectorSettings.parseDuration(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: EventLatencyBench [--rate 50] [--seconds 60] [--contacts 3000]"
                            + " [--debounce 1s] [--work target/event-latency-bench]");
                    System.exit(2);
                }
            }
        }
        if (!Files.isRegularFile(Path.of("config/scoring/default-model.yml"))) {
            System.err.println("run it from the repository root (config/scoring/default-model.yml not found)");
            System.exit(2);
        }
        int status = new EventLatencyBench(System.out).run(rate, seconds, contacts, debounce, work);
        System.exit(status);
    }

    int run(int rate, int seconds, int contacts, Duration debounce, Path work) throws Exception {
        deleteRecursively(work);
        Files.createDirectories(work);
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        try (Sandbox sandbox = Sandbox.start(new Sandbox.Settings(0, 0, 0, 7, contacts, true));
             Store store = Store.open(DatabaseSettings.h2File(work.resolve("leadsync").toAbsolutePath().toString()))) {
            DefaultCamelContext camel = new DefaultCamelContext();
            ConnectorContext context = ConnectorContext.of(Clock.systemUTC(), camel);
            Map<String, ConnectorFactory> factories = new LinkedHashMap<>();
            ServiceLoader.load(ConnectorFactory.class).forEach(factory -> factories.put(factory.type(), factory));
            ConnectorSettings hubspotSettings = ConnectorSettings.of(HUBSPOT, "sync.connectors." + HUBSPOT, Map.of(
                    "type", "hubspot", "base-url", sandbox.hubspot().baseUrl().toString(), "token", "sandbox-token",
                    "read", Map.of("streams", List.of("contacts", "emails", "meetings", "calls"), "page-size", "200"),
                    "write", Map.of("tasks", Map.of("enabled", "true"))));
            ConnectorSettings mixpanelSettings = ConnectorSettings.of(MIXPANEL, "sync.connectors." + MIXPANEL,
                    Map.of("type", "mixpanel", "export-url", sandbox.mixpanel().baseUrl() + "/api/2.0",
                            "query-url", sandbox.mixpanel().baseUrl() + "/api/query", "project-id", "2195193",
                            "service-account-user", "leadsync-sa.mp-service-account",
                            "service-account-secret", "mp-sandbox-secret",
                            "read", Map.of("streams", List.of("profiles", "events"),
                                    "start-date", today.minus(Duration.ofDays(14)).toString().substring(0, 10),
                                    "events", List.of(Map.of("name", "Viewed Pricing", "type", "pricing_page_view"),
                                            Map.of("name", "Requested Demo", "type", "demo_request"),
                                            Map.of("name", "API Call", "type", "product_usage"),
                                            Map.of("name", "Feature Used", "type", "product_usage")))));
            SourceConnector hubspotSource = factories.get("hubspot").createSource(hubspotSettings, context);
            SinkConnector hubspotSink = factories.get("hubspot").createSink(hubspotSettings, context);
            SourceConnector mixpanelSource = factories.get("mixpanel").createSource(mixpanelSettings, context);
            SyncEngine engine = SyncEngine.builder().store(store).camel(camel)
                    .scoring(ModelScoringService.load(Path.of("config/scoring/default-model.yml")))
                    .events(EventSettings.defaults().withDebounce(debounce)).startSchedules(false)
                    .job(new SyncJob("full-sync", null, List.of(hubspotSource, mixpanelSource), List.of(hubspotSink),
                            SyncJob.TaskPolicy.defaults()))
                    .build();
            engine.start();
            camel.start();
            try {
                return drive(sandbox, store, engine, rate, seconds, contacts);
            } finally {
                engine.shutdown(Duration.ofSeconds(10));
                camel.stop();
                hubspotSource.close();
                hubspotSink.close();
                mixpanelSource.close();
            }
        }
    }

    private int drive(Sandbox sandbox, Store store, SyncEngine engine, int rate, int seconds, int contacts)
            throws Exception {
        // the generated product events stop: the only changes after the first sync are the bench's own
        sandbox.mixpanel().quietFrom(Instant.now());
        long started = System.nanoTime();
        RunRecord first = engine.runNow("full-sync", "bench");
        out.printf("first sync of %d contacts: %s in %.1f s%n  %s%n", contacts, first.status(),
                (System.nanoTime() - started) / 1e9, first.message());
        HubSpotSimulator hubspot = sandbox.hubspot();
        List<Target> targets = hubspot.contacts().stream()
                .filter(c -> c.properties().containsKey("leadsync_score") && c.properties().get("email") != null)
                .map(c -> new Target(c.id(), c.properties().get("email"),
                        Integer.parseInt(c.properties().get("leadsync_score")),
                        c.properties().getOrDefault("leadsync_reasons", "")))
                .sorted(Comparator.comparing(Target::id)).toList();
        // each kind changes a contact once, in a way the default model scores: a senior title, a demo request
        // (a score of 0 may hide negative points the change does not outweigh: those contacts are left out)
        List<Target> titled = targets.stream().filter(t -> t.score() >= 1 && t.score() <= 75
                && !t.reasons().contains("Senior decision maker")).toList();
        List<Target> demo = targets.stream().filter(t -> t.score() >= 1 && t.score() <= 70 && !t.reasons().contains("Requested a demo")
                && !titled.subList(0, Math.min(titled.size(), rate * seconds / 2 + 1)).contains(t)).toList();
        List<ChangeSource> kinds = List.of(new HubSpotPropertyChange(hubspot, titled.iterator()),
                new ProductEvent(sandbox, demo.iterator()));
        int total = Math.min(rate * seconds, 2 * Math.min(titled.size(), demo.size()));
        if (total < rate * seconds) {
            out.printf("only %d contacts qualify for each kind of change: %d changes instead of %d (more --contacts)%n",
                    Math.min(titled.size(), demo.size()), total, rate * seconds);
        }
        out.printf("driving %d changes at %d a second for %d s (%s), debounce %d ms%n", total, rate, seconds,
                String.join(" and ", kinds.stream().map(ChangeSource::kind).toList()),
                engine.events().debounce().toMillis());

        hubspot.clearRequests();
        long runsBefore = eventRuns(store).size();
        ConcurrentLinkedQueue<Probe> waiting = new ConcurrentLinkedQueue<>();
        Map<String, List<Long>> latencies = new LinkedHashMap<>();
        kinds.forEach(kind -> latencies.put(kind.kind(), new CopyOnWriteArrayList<>()));
        AtomicInteger made = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ChangeIntake intake = engine.changes();
        ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
        driver.scheduleAtFixedRate(() -> {
            int sequence = made.get();
            if (sequence >= total) {
                return;
            }
            Probe probe = kinds.get(sequence % kinds.size()).next(sequence);
            if (probe == null) {
                return;
            }
            made.incrementAndGet();
            waiting.add(probe);
            if (!probe.delivery().isEmpty()) {
                try {
                    intake.accept(probe.delivery());
                } catch (RuntimeException e) {
                    refused.incrementAndGet();
                }
            }
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);

        long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 60).toNanos();
        while (System.nanoTime() < deadline && (made.get() < total || !waiting.isEmpty())) {
            Iterator<Probe> pending = waiting.iterator();
            long now = System.nanoTime();
            while (pending.hasNext()) {
                Probe probe = pending.next();
                String score = hubspot.contact(probe.contactId()).map(c -> c.properties().get("leadsync_score"))
                        .orElse(null);
                if (score != null && !score.equals(probe.scoreBefore())) {
                    latencies.get(probe.kind()).add((now - probe.madeAtNanos()) / 1_000_000);
                    pending.remove();
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        driver.shutdownNow();
        int changes = made.get();
        long writes = hubspot.requestCount("POST", "/crm/v3/objects/contacts/batch/update")
                + hubspot.requestCount("POST", "/crm/v3/objects/tasks/batch/create");
        long reads = hubspot.requestCount("POST", "/crm/v3/objects/contacts/batch/read");
        // wait for the event run under way, so the runs are counted whole
        long quiet = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (engine.runningRun("full-sync").isPresent() && System.nanoTime() < quiet) {
            Thread.sleep(100);
        }
        List<RunRecord> runs = eventRuns(store);
        long eventRuns = runs.size() - runsBefore;

        out.printf("%nchanges made: %d (%d refused at the intake), landed as a score in the CRM: %d, never landed: %d%n",
                changes, refused.get(), changes - waiting.size(), waiting.size());
        for (Probe probe : waiting) {
            out.printf("  never landed: %s contact %s, score %s before, %s now%n", probe.kind(), probe.contactId(),
                    probe.scoreBefore(), hubspot.contact(probe.contactId()).map(c -> c.properties()
                            .get("leadsync_score")).orElse("(gone)"));
        }
        List<Long> all = new ArrayList<>();
        out.printf("%-16s %8s %8s %8s %8s %8s%n", "latency (ms)", "changes", "p50", "p95", "p99", "max");
        latencies.forEach((kind, values) -> {
            all.addAll(values);
            line(kind, values);
        });
        line("all", all);
        out.printf("event runs: %d (%.1f changes a run)%n", eventRuns, eventRuns == 0 ? 0.0 : (double) changes / eventRuns);
        Map<String, Long> stageMillis = new LinkedHashMap<>();
        for (RunRecord run : runs.subList(0, (int) eventRuns)) {
            JSON.readTree(run.statsJson()).path("timingsMillis").fields().forEachRemaining(stage ->
                    stageMillis.merge(stage.getKey(), stage.getValue().asLong(), Long::sum));
        }
        out.printf("time per event run (ms, mean): %s%n", String.join(", ", stageMillis.entrySet().stream()
                .map(stage -> stage.getKey() + " " + stage.getValue() / Math.max(1, eventRuns)).toList()));
        out.printf("HubSpot write calls (contacts batch/update, tasks batch/create): %d, %.3f per change;"
                + " read calls (contacts batch/read): %d, %.3f per change%n", writes, (double) writes / changes, reads,
                (double) reads / changes);

        RunRecord scheduled = engine.runNow("full-sync", "schedule");
        out.printf("%nscheduled sync after the events: %s%n  %s%n", scheduled.status(), scheduled.message());
        return waiting.isEmpty() && refused.get() == 0 ? 0 : 1;
    }

    private void line(String kind, List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        if (sorted.isEmpty()) {
            out.printf("%-16s %8d%n", kind, 0);
            return;
        }
        out.printf(Locale.ROOT, "%-16s %8d %8d %8d %8d %8d%n", kind, sorted.size(), percentile(sorted, 50),
                percentile(sorted, 95), percentile(sorted, 99), sorted.get(sorted.size() - 1));
    }

    static long percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static List<RunRecord> eventRuns(Store store) {
        return store.inTransaction(tx -> tx.runs().recent("full-sync", 100_000)).stream()
                .filter(run -> run.trigger().equals("events")).toList();
    }

    /**
     * A HubSpot contact's title becomes senior (the model's "Senior decision maker"), delivered as HubSpot's
     * {@code contact.propertyChange} webhook event names it: the pipeline reads the contact back by id.
     */
    static final class HubSpotPropertyChange implements ChangeSource {
        private final HubSpotSimulator hubspot;
        private final Iterator<Target> targets;

        HubSpotPropertyChange(HubSpotSimulator hubspot, Iterator<Target> targets) {
            this.hubspot = hubspot;
            this.targets = targets;
        }

        @Override
        public String kind() {
            return "hubspot-webhook";
        }

        @Override
        public Probe next(int sequence) {
            if (!targets.hasNext()) {
                return null;
            }
            Target target = targets.next();
            long made = System.nanoTime();
            hubspot.updateContact(target.id(), Map.of("jobtitle", "VP of Sales"));
            Instant changedAt = hubspot.contact(target.id()).orElseThrow().updatedAt();
            Change change = Change.of("hs-" + sequence, new StreamId(HUBSPOT, "contacts"), target.id(),
                    Change.Kind.UPSERTED, changedAt);
            return new Probe(kind(), target.id(), Integer.toString(target.score()), made, List.of(change));
        }
    }

    /**
     * A {@code Requested Demo} product event for a contact's email, recorded in the Mixpanel simulator (so the next
     * export has it too) and delivered as a Segment-compatible {@code track} call carries it: the whole activity, as
     * the Mixpanel connector maps the same event (same {@code $insert_id}), so the scheduled read recognises it.
     */
    static final class ProductEvent implements ChangeSource {
        private final Sandbox sandbox;
        private final Iterator<Target> targets;

        ProductEvent(Sandbox sandbox, Iterator<Target> targets) {
            this.sandbox = sandbox;
            this.targets = targets;
        }

        @Override
        public String kind() {
            return "product-event";
        }

        @Override
        public Probe next(int sequence) {
            if (!targets.hasNext()) {
                return null;
            }
            Target target = targets.next();
            long made = System.nanoTime();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String insertId = "bench-" + sequence;
            String distinctId = target.email();
            sandbox.mixpanel().addEvent("Requested Demo", distinctId, now, insertId, Map.of("$email", target.email()));
            StreamId events = new StreamId(MIXPANEL, "events");
            Activity activity = new Activity(new ExternalId(MIXPANEL, insertId), "demo_request", now,
                    new PersonRef(new ExternalId(MIXPANEL, distinctId), target.email()),
                    Map.of("event", "Requested Demo"));
            String raw = "{\"event\":\"Requested Demo\",\"properties\":{\"time\":" + now.getEpochSecond()
                    + ",\"distinct_id\":\"" + distinctId + "\",\"$insert_id\":\"" + insertId + "\",\"$email\":\""
                    + target.email() + "\"}}";
            Change change = Change.carrying(insertId, SourceRecord.of(events, activity, now, raw));
            return new Probe(kind(), target.id(), Integer.toString(target.score()), made, List.of(change));
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
