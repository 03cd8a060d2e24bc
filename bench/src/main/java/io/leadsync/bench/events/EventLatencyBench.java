package io.leadsync.bench.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.bench.ServiceProcess;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.sandbox.Sandbox;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.sandbox.hubspot.HubSpotWebhookSender;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The latency of the event path as it ships: the service runs as its own JVM ({@code leadsync.jar serve}, through
 * {@link ServiceProcess}) with its three change-event receivers set up as an admin sets them up, the simulators run
 * in this JVM, and a steady stream of changes is made at the vendors and delivered by the vendors' own means:
 * <ul>
 *   <li>{@code salesforce-cdc}: a Salesforce lead's or contact's title becomes senior in the Salesforce simulator
 *       (its record hook, as a user's edit); the simulator publishes the change event on its Pub/Sub API, the
 *       service's Salesforce connector receives it over gRPC ({@code cdc.enabled}, plaintext to the simulator), the
 *       event run reads the record by id and writes its score back to the simulator;</li>
 *   <li>{@code hubspot-webhook}: a HubSpot contact's title becomes senior in the HubSpot simulator; the simulator's
 *       webhook sender POSTs signed {@code contact.propertyChange} batches to the service's
 *       {@code /webhooks/hubspot/hubspot-main} (client secret configured), which checks them and reads the contact
 *       back by id;</li>
 *   <li>{@code segment-track}: a {@code Requested Demo} {@code track} call for a HubSpot contact's email, POSTed to
 *       the service's Segment-compatible {@code /v1/batch} with the intake's write key.</li>
 * </ul>
 * A change counts as landed when the record's score field in the CRM simulator where the change was made differs
 * from its score before (each record is changed once, by a change the default model scores; the bench polls every
 * 20 ms). It reports p50, p95, p99 and the largest latency per source and overall, the changes that never landed,
 * the event runs, the CRM write and read calls per change, then runs a scheduled sync and reports what it found
 * that the events had missed (expected 0) and the write calls it made (expected 0).
 *
 * <pre>
 * mvn -q -DskipTests package
 * java -cp bench/target/leadsync-bench.jar io.leadsync.bench.events.EventLatencyBench --rate 50 --seconds 30 \
 *      --contacts 6000 [--debounce 1s] [--jar app/target/leadsync.jar] [--work target/event-latency-bench]
 * </pre>
 */
public final class EventLatencyBench {
    private static final Duration POLL = Duration.ofMillis(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENIOR = "Senior decision maker";

    /** One vendor-side change the bench made and is waiting to see land as a score in the CRM. */
    record Probe(String kind, String label, Supplier<String> score, String scoreBefore, long madeAtNanos) {
    }

    /** One kind of change: makes the next one at the vendor (null when it has no target left). */
    interface ChangeSource {
        String kind();

        Probe next(int sequence);
    }

    /** A CRM record the bench may change: its type (Lead, Contact; contacts for HubSpot), id, email and score. */
    record Target(String type, String id, String email, String score) {
    }

    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Sends the Segment calls, so that a slow answer does not hold the stream of changes. */
    private final java.util.concurrent.ExecutorService sends = Executors.newFixedThreadPool(4);
    /** Segment calls answered other than 200 or not answered. */
    private final AtomicInteger refused = new AtomicInteger();

    EventLatencyBench(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int rate = 50;
        int seconds = 30;
        int contacts = 6000;
        Duration debounce = Duration.ofSeconds(1);
        Path jar = Path.of("app/target/leadsync.jar");
        Path work = Path.of("target/event-latency-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--debounce" -> debounce = ConnectorSettings.parseDuration(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: EventLatencyBench [--rate 50] [--seconds 30] [--contacts 6000]"
                            + " [--debounce 1s] [--jar app/target/leadsync.jar] [--work target/event-latency-bench]");
                    System.exit(2);
                }
            }
        }
        if (!Files.isRegularFile(Path.of("config/scoring/default-model.yml"))) {
            System.err.println("run it from the repository root (config/scoring/default-model.yml not found)");
            System.exit(2);
        }
        if (!Files.isRegularFile(jar)) {
            System.err.println(jar + " is missing: build it first (mvn -q -DskipTests package)");
            System.exit(2);
        }
        System.exit(new EventLatencyBench(System.out).run(rate, seconds, contacts, debounce, jar.toAbsolutePath(),
                work.toAbsolutePath()));
    }

    int run(int rate, int seconds, int contacts, Duration debounce, Path jar, Path work) throws Exception {
        deleteRecursively(work);
        Files.createDirectories(work);
        Path repo = Path.of("").toAbsolutePath();
        String clientSecret = randomHex(16);
        String writeKey = randomHex(24);
        try (Sandbox sandbox = Sandbox.start(new Sandbox.Settings(0, 0, 0, 7, contacts, true))) {
            SalesforceSimulator salesforce = sandbox.salesforce();
            ServiceProcess.Events events = new ServiceProcess.Events(clientSecret, salesforce.pubSub().host(),
                    salesforce.pubSub().port(), writeKey, debounce);
            ServiceProcess.Options options = new ServiceProcess.Options(List.of("-Xmx1g", "-XX:+UseSerialGC"), null,
                    200, null).withEvents(events);
            // the generated product events stop: the only changes after the first sync are the bench's own
            sandbox.mixpanel().quietFrom(Instant.now());
            try (ServiceProcess service = new ServiceProcess(jar, repo, work.resolve("service"), sandbox, options)) {
                service.start();
                long started = System.nanoTime();
                JsonNode first = service.runAndWait();
                out.printf("first sync of %d HubSpot contacts, %d Salesforce leads and %d contacts: %s in %.1f s%n"
                                + "  %s%n", sandbox.contacts(), sandbox.leads(), sandbox.salesforceContacts(),
                        first.path("status").asText(), (System.nanoTime() - started) / 1e9,
                        first.path("message").asText());
                // the HubSpot app's webhook subscription, as an admin registers it (retries a second apart here)
                sandbox.hubspot().webhooks().configure(HubSpotWebhookSender.Settings.of(
                        service.url("/webhooks/hubspot/hubspot-main"), clientSecret)
                        .withFirstRetryDelay(Duration.ofSeconds(1)));
                waitForQuiet(service, salesforce);
                return drive(sandbox, service, writeKey, rate, seconds);
            }
        }
    }

    /** Waits until the change events of the first sync's own writes (Salesforce tasks, echoes) are worked off. */
    private void waitForQuiet(ServiceProcess service, SalesforceSimulator salesforce) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int stable = 0;
        long lastRuns = -1;
        int lastRequests = -1;
        while (stable < 3 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            List<JsonNode> runs = runs(service);
            boolean running = runs.stream().anyMatch(run -> run.path("status").asText().equals("RUNNING"));
            int requests = salesforce.requests().size();
            stable = !running && runs.size() == lastRuns && requests == lastRequests ? stable + 1 : 0;
            lastRuns = runs.size();
            lastRequests = requests;
        }
    }

    private int drive(Sandbox sandbox, ServiceProcess service, String writeKey, int rate, int seconds)
            throws Exception {
        HubSpotSimulator hubspot = sandbox.hubspot();
        SalesforceSimulator salesforce = sandbox.salesforce();
        Set<String> used = new HashSet<>();
        // each kind changes a record once, in a way the default model scores: a senior title, a demo request (a
        // score of 0 may hide negative points the change does not outweigh: those records are left out); no person
        // is the target of two changes
        List<List<Target>> byType = new ArrayList<>();
        for (String type : List.of("Lead", "Contact")) {
            byType.add(salesforce.records(type).stream()
                    .filter(r -> r.get("Email") != null && r.get("Lead_Score__c") != null)
                    .filter(r -> score(r.get("Lead_Score__c")) >= 1 && score(r.get("Lead_Score__c")) <= 75)
                    .filter(r -> !String.valueOf(r.get("Score_Reasons__c")).contains(SENIOR))
                    .map(r -> new Target(type, (String) r.get("Id"), r.get("Email").toString().toLowerCase(Locale.ROOT),
                            r.get("Lead_Score__c").toString()))
                    .sorted(Comparator.comparing(Target::id)).toList());
        }
        // leads and contacts in turn
        List<Target> salesforceTargets = new ArrayList<>();
        for (int i = 0; i < Math.max(byType.get(0).size(), byType.get(1).size()); i++) {
            for (List<Target> ofType : byType) {
                if (i < ofType.size()) {
                    salesforceTargets.add(ofType.get(i));
                }
            }
        }
        List<Target> hubspotTargets = hubspot.contacts().stream()
                .filter(c -> c.properties().get("email") != null && c.properties().get("leadsync_score") != null)
                .map(c -> new Target("contacts", c.id(), c.properties().get("email").toLowerCase(Locale.ROOT),
                        c.properties().get("leadsync_score") + "|" + c.properties().getOrDefault("leadsync_reasons", "")))
                .sorted(Comparator.comparing(Target::id)).toList();
        int perKind = (rate * seconds + 2) / 3;
        List<Target> titled = pick(salesforceTargets, used, perKind, t -> true);
        List<Target> hubspotTitled = pick(hubspotTargets, used, perKind, t -> scoreOf(t) >= 1 && scoreOf(t) <= 75
                && !t.score().contains(SENIOR));
        List<Target> demo = pick(hubspotTargets, used, perKind, t -> scoreOf(t) >= 1 && scoreOf(t) <= 70
                && !t.score().contains("Requested a demo"));
        List<ChangeSource> kinds = List.of(new SalesforceTitleChange(salesforce, titled.iterator()),
                new HubSpotTitleChange(hubspot, hubspotTitled.iterator()),
                new SegmentTrack(service, writeKey, hubspot, demo.iterator()));
        int total = Math.min(rate * seconds, 3 * Math.min(titled.size(), Math.min(hubspotTitled.size(), demo.size())));
        if (total < rate * seconds) {
            out.printf("only %d, %d and %d records qualify for the three kinds of change: %d changes instead of %d"
                    + " (more --contacts)%n", titled.size(), hubspotTitled.size(), demo.size(), total, rate * seconds);
        }
        out.printf("driving %d changes at %d a second for %d s, in turn: %s%n", total, rate, seconds,
                String.join(", ", kinds.stream().map(ChangeSource::kind).toList()));

        hubspot.clearRequests();
        int salesforceRequestsBefore = salesforce.requests().size();
        int deliveriesBefore = hubspot.webhooks().deliveries().size();
        long lastRunBefore = runs(service).stream().mapToLong(run -> run.path("runId").asLong()).max().orElse(0);
        ConcurrentLinkedQueue<Probe> waiting = new ConcurrentLinkedQueue<>();
        Map<String, List<Long>> latencies = new LinkedHashMap<>();
        kinds.forEach(kind -> latencies.put(kind.kind(), new CopyOnWriteArrayList<>()));
        AtomicInteger made = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
        driver.scheduleAtFixedRate(() -> {
            int sequence = made.get();
            if (sequence >= total) {
                return;
            }
            try {
                Probe probe = kinds.get(sequence % kinds.size()).next(sequence);
                if (probe != null) {
                    waiting.add(probe);
                }
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                out.println("a change could not be made: " + e);
            }
            made.incrementAndGet();
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);

        long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 60).toNanos();
        while (System.nanoTime() < deadline && (made.get() < total || !waiting.isEmpty())) {
            Iterator<Probe> pending = waiting.iterator();
            while (pending.hasNext()) {
                Probe probe = pending.next();
                String score = probe.score().get();
                if (score != null && !score.equals(probe.scoreBefore())) {
                    latencies.get(probe.kind()).add((System.nanoTime() - probe.madeAtNanos()) / 1_000_000);
                    pending.remove();
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        driver.shutdownNow();
        sends.shutdown();
        sends.awaitTermination(30, TimeUnit.SECONDS);
        int changes = made.get();
        // wait for the event run under way, so the runs and calls are counted whole
        long quiet = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (runs(service).stream().anyMatch(run -> run.path("status").asText().equals("RUNNING"))
                && System.nanoTime() < quiet) {
            Thread.sleep(200);
        }
        long hubspotWrites = hubspotWrites(hubspot);
        long hubspotReads = hubspot.requestCount("POST", "/crm/v3/objects/contacts/batch/read");
        List<SalesforceSimulator.RecordedRequest> salesforceRequests = salesforce.requests();
        List<SalesforceSimulator.RecordedRequest> during = salesforceRequests.subList(salesforceRequestsBefore,
                salesforceRequests.size());
        long salesforceWrites = during.stream().filter(EventLatencyBench::isSalesforceWrite).count();
        List<SalesforceSimulator.RecordedRequest> queries = during.stream()
                .filter(r -> r.method().equals("GET") && r.path().contains("/query")).toList();
        long salesforceReads = queries.size();
        Map<String, Long> readsByObject = new java.util.TreeMap<>();
        for (SalesforceSimulator.RecordedRequest query : queries) {
            java.util.regex.Matcher from = java.util.regex.Pattern.compile("(?i)\\bFROM\\s+(\\w+)")
                    .matcher(java.net.URLDecoder.decode(String.valueOf(query.query()), StandardCharsets.UTF_8));
            readsByObject.merge(from.find() ? from.group(1) : "(more)", 1L, Long::sum);
        }
        List<JsonNode> eventRuns = runs(service).stream()
                .filter(run -> run.path("runId").asLong() > lastRunBefore && run.path("trigger").asText().equals("events"))
                .toList();
        List<HubSpotWebhookSender.Delivery> deliveries = hubspot.webhooks().deliveries();
        deliveries = deliveries.subList(deliveriesBefore, deliveries.size());

        out.printf("%nchanges made: %d (%d could not be made or were refused), landed as a score in the CRM: %d,"
                        + " never landed: %d%n", changes, failed.get() + refused.get(),
                latencies.values().stream().mapToInt(List::size).sum(), waiting.size());
        for (Probe probe : waiting) {
            out.printf("  never landed: %s %s, score %s before, %s now%n", probe.kind(), probe.label(),
                    probe.scoreBefore(), probe.score().get());
        }
        List<Long> all = new ArrayList<>();
        out.printf("%-16s %8s %8s %8s %8s %8s%n", "latency (ms)", "changes", "p50", "p95", "p99", "max");
        latencies.forEach((kind, values) -> {
            all.addAll(values);
            line(kind, values);
        });
        line("all", all);
        out.printf("event runs: %d (%.1f changes a run)%n", eventRuns.size(),
                eventRuns.isEmpty() ? 0.0 : (double) changes / eventRuns.size());
        Map<String, Long> stageMillis = new LinkedHashMap<>();
        for (JsonNode run : eventRuns) {
            run.path("timingsMillis").fields().forEachRemaining(stage ->
                    stageMillis.merge(stage.getKey(), stage.getValue().asLong(), Long::sum));
        }
        out.printf("time per event run (ms, mean): %s%n", String.join(", ", stageMillis.entrySet().stream()
                .map(stage -> stage.getKey() + " " + stage.getValue() / Math.max(1, eventRuns.size())).toList()));
        out.printf("HubSpot webhook requests: %d (%d answered other than 2xx)%n", deliveries.size(),
                deliveries.stream().filter(d -> d.status() < 200 || d.status() > 299).count());
        out.printf(Locale.ROOT, "write calls: HubSpot %d (contacts batch/update, tasks batch/create), Salesforce %d"
                        + " (composite sObject collections, tasks); %.3f per change%n", hubspotWrites, salesforceWrites,
                (double) (hubspotWrites + salesforceWrites) / changes);
        out.printf(Locale.ROOT, "read calls: HubSpot %d (contacts batch/read), Salesforce %d (SOQL queries by id: %s);"
                        + " %.3f per change%n", hubspotReads, salesforceReads, readsByObject.toString()
                        .replaceAll("[{}]", ""),
                (double) (hubspotReads + salesforceReads) / changes);

        long hubspotWritesBefore = hubspotWrites(hubspot);
        int salesforceBefore = salesforce.requests().size();
        JsonNode scheduled = service.runAndWait();
        List<SalesforceSimulator.RecordedRequest> after = salesforce.requests();
        long scheduledWrites = hubspotWrites(hubspot) - hubspotWritesBefore + after.subList(salesforceBefore,
                after.size()).stream().filter(EventLatencyBench::isSalesforceWrite).count();
        out.printf("%nscheduled sync after the events: %s, %d write calls%n  %s%n", scheduled.path("status").asText(),
                scheduledWrites, scheduled.path("message").asText());
        boolean noneMissed = scheduled.path("message").asText().contains(" 0 new or changed records missed");
        return waiting.isEmpty() && failed.get() == 0 && refused.get() == 0 && noneMissed
                && scheduledWrites == 0 ? 0 : 1;
    }

    private static long hubspotWrites(HubSpotSimulator hubspot) {
        return hubspot.requestCount("POST", "/crm/v3/objects/contacts/batch/update")
                + hubspot.requestCount("POST", "/crm/v3/objects/tasks/batch/create");
    }

    private static boolean isSalesforceWrite(SalesforceSimulator.RecordedRequest request) {
        return !request.method().equals("GET") && request.path().contains("/services/data/");
    }

    /** Up to {@code count} targets that match and whose person no other change targets. */
    private static List<Target> pick(List<Target> candidates, Set<String> used, int count,
                                     java.util.function.Predicate<Target> matches) {
        List<Target> picked = new ArrayList<>();
        for (Target target : candidates) {
            if (picked.size() == count) {
                break;
            }
            if (matches.test(target) && used.add(target.email())) {
                picked.add(target);
            }
        }
        return picked;
    }

    private static int scoreOf(Target target) {
        return score(target.score().split("\\|", 2)[0]);
    }

    private static int score(Object value) {
        return (int) Math.round(Double.parseDouble(value.toString()));
    }

    private List<JsonNode> runs(ServiceProcess service) throws IOException, InterruptedException {
        List<JsonNode> runs = new ArrayList<>();
        JSON.readTree(service.get("/api/runs?job=full-sync&limit=500")).forEach(runs::add);
        return runs;
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

    /**
     * A Salesforce lead's or contact's title becomes senior (the model's "Senior decision maker"), edited in the
     * simulator as a user's edit: the simulator publishes the change event on its Pub/Sub API.
     */
    static final class SalesforceTitleChange implements ChangeSource {
        private final SalesforceSimulator salesforce;
        private final Iterator<Target> targets;

        SalesforceTitleChange(SalesforceSimulator salesforce, Iterator<Target> targets) {
            this.salesforce = salesforce;
            this.targets = targets;
        }

        @Override
        public String kind() {
            return "salesforce-cdc";
        }

        @Override
        public Probe next(int sequence) {
            if (!targets.hasNext()) {
                return null;
            }
            Target target = targets.next();
            long made = System.nanoTime();
            salesforce.update(target.type(), target.id(), Map.of("Title", "VP of Sales"));
            return new Probe(kind(), target.type() + " " + target.id(), () -> salesforce.record(target.type(),
                    target.id()).map(r -> r.get("Lead_Score__c")).map(Object::toString).orElse(null),
                    target.score(), made);
        }
    }

    /**
     * A HubSpot contact's title becomes senior in the simulator: its webhook sender delivers the
     * {@code contact.propertyChange} to the service, signed.
     */
    static final class HubSpotTitleChange implements ChangeSource {
        private final HubSpotSimulator hubspot;
        private final Iterator<Target> targets;

        HubSpotTitleChange(HubSpotSimulator hubspot, Iterator<Target> targets) {
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
            return hubspotProbe(kind(), hubspot, target, made);
        }
    }

    private static Probe hubspotProbe(String kind, HubSpotSimulator hubspot, Target target, long made) {
        return new Probe(kind, "contact " + target.id(), () -> hubspot.contact(target.id())
                .map(c -> c.properties().get("leadsync_score")).orElse(null),
                target.score().split("\\|", 2)[0], made);
    }

    /**
     * A {@code Requested Demo} product event for a HubSpot contact's email, sent as a Segment library sends it: a
     * {@code batch} call to the service's {@code /v1/batch} with the write key (HTTP Basic); the score lands on the HubSpot contact
     * of that email.
     */
    final class SegmentTrack implements ChangeSource {
        private final ServiceProcess service;
        private final String authorization;
        private final Iterator<Target> targets;
        private final HubSpotSimulator hubspot;

        SegmentTrack(ServiceProcess service, String writeKey, HubSpotSimulator hubspot, Iterator<Target> targets) {
            this.service = service;
            this.authorization = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":")
                    .getBytes(StandardCharsets.UTF_8));
            this.targets = targets;
            this.hubspot = hubspot;
        }

        @Override
        public String kind() {
            return "segment-track";
        }

        @Override
        public Probe next(int sequence) {
            if (!targets.hasNext()) {
                return null;
            }
            Target target = targets.next();
            long made = System.nanoTime();
            String body = """
                    {"batch": [{"type": "track", "event": "Requested Demo", "userId": "%s", "messageId": "bench-%d",
                      "timestamp": "%s", "context": {"traits": {"email": "%s"}}}]}"""
                    .formatted(target.email(), sequence, Instant.now(), target.email());
            HttpRequest request = HttpRequest.newBuilder(service.url("/v1/batch")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            sends.execute(() -> {
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        refused.incrementAndGet();
                        out.println("/v1/batch answered " + response.statusCode() + ": " + response.body());
                    }
                } catch (IOException | InterruptedException e) {
                    refused.incrementAndGet();
                    out.println("/v1/batch failed: " + e);
                }
            });
            return hubspotProbe(kind(), hubspot, target, made);
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
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
