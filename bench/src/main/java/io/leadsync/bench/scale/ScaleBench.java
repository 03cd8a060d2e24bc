package io.leadsync.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.bench.ServiceProcess;
import io.leadsync.sandbox.Sandbox;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The sync at scale: the real service ({@code java -jar leadsync.jar serve}) as its own JVM, on H2 or on an embedded
 * PostgreSQL, against the three simulators in this JVM, seeded with N contacts (about 14 records each across the
 * vendors: HubSpot contacts and engagements, Salesforce leads, contacts, tasks, events and campaign members shared
 * with HubSpot for a quarter of the people, Mixpanel profiles and events), deterministic by seed.
 *
 * <p>For each N and database it runs, one after the other on the same store:
 * <ol>
 *   <li>the first full sync, simulators unthrottled (or with the vendors' rate limits on, {@code --throttled});</li>
 *   <li>a sync where nothing changed (zero write calls expected);</li>
 *   <li>an incremental sync after 1% of HubSpot contacts changed title and 1% gained an email event;</li>
 *   <li>a sync after a new model version (a mid-size company is worth 12 points instead of 10) is loaded;</li>
 * </ol>
 * and reports wall time, records/s, the CPU time of the service (with the PostgreSQL server's on PostgreSQL), each
 * stage's time, the service's peak heap (the most in use before a collection, from its GC log), the database size,
 * the simulators' share of CPU (this JVM's CPU time), and the write calls per vendor
 * beside the minimum (records written divided by the largest batch, tasks likewise) and beside what a per-record
 * integration would call (one call per record and per task).
 *
 * <pre>
 * java -cp bench/target/leadsync-bench.jar io.leadsync.bench.scale.ScaleBench --contacts 10000,100000 \
 *      --db h2,postgres [--throttled] [--jfr] [--heap 1g] [--instances 1,2] [--first-only]
 * </pre>
 *
 * <p>{@code --instances 2} (PostgreSQL only) runs the service as a cluster of that many instances, each its own JVM
 * ({@code leadsync.cluster.enabled}): the runs are asked of the first, and the others pull streams of them (shared work);
 * the CPU column then counts every instance. {@code --instances 1,2} runs both, one after the other, on fresh stores.
 */
public final class ScaleBench {
    /** HubSpot batch update and tasks batch/create take 100; Salesforce's composite sObject collections 200. */
    private static final Map<String, Integer> BATCH = Map.of("hubspot-main", 100, "salesforce-main", 200);
    /** A collection in the service's GC log: {@code Pause Young (Allocation Failure) 612M->98M(981M)}. */
    private static final Pattern GC = Pattern.compile("Pause .*? (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private final Path jar;
    private final Path repo;
    private final Path work;
    private final PrintStream out;
    private final boolean throttled;
    private final boolean jfr;
    private final String heap;
    private int instances = 1;
    private boolean firstOnly;

    ScaleBench(Path jar, Path work, boolean throttled, boolean jfr, String heap, PrintStream out) {
        this.jar = jar.toAbsolutePath().normalize();
        this.repo = this.jar.getParent().getParent().getParent();
        this.work = work.toAbsolutePath().normalize();
        this.throttled = throttled;
        this.jfr = jfr;
        this.heap = heap;
        this.out = out;
    }

    /** One scenario's figures. */
    record Result(String db, int contacts, String scenario, String status, long records, long wallMillis,
                  Map<String, Long> stageMillis, long serviceCpuMillis, long peakHeapMb, long dbMb, double simulatorCpuShare,
                  Map<String, long[]> writes, Map<String, Long> routes, String note) {
        String line() {
            StringBuilder calls = new StringBuilder();
            writes.forEach((vendor, w) -> calls.append(String.format(Locale.ROOT, " %s %d/%d (naive %d)",
                    vendor.replace("-main", ""), w[0], w[1], w[2])));
            return String.format(Locale.ROOT, "%-8s %8d %-12s %-9s %9d rec %8.1f s %8.0f rec/s | service cpu %7.1f s %7.0f rec/cpu-s | pull %6.1f s"
                            + " score %6.1f s push %6.1f s | heap %5d MB db %5d MB sim cpu %3.0f%% | write calls"
                            + " (leadsync/min):%s%s",
                    db, contacts, scenario, status, records, wallMillis / 1000.0,
                    wallMillis == 0 ? 0 : records * 1000.0 / wallMillis, serviceCpuMillis / 1000.0,
                    serviceCpuMillis == 0 ? 0 : records * 1000.0 / serviceCpuMillis, stageMillis.getOrDefault("pull", 0L) / 1000.0,
                    stageMillis.getOrDefault("score", 0L) / 1000.0, stageMillis.getOrDefault("push", 0L) / 1000.0,
                    peakHeapMb, dbMb, simulatorCpuShare * 100, calls, note.isEmpty() ? "" : " | " + note)
                    + "\n         calls by route: " + routes;
        }
    }

    List<Result> run(int contacts, String db) throws Exception {
        String label = instances > 1 ? db + "x" + instances : db;
        Path dir = work.resolve(label + "-" + contacts);
        deleteTree(dir);
        Files.createDirectories(dir);
        List<Result> results = new ArrayList<>();
        EmbeddedPostgres postgres = null;
        try {
            String url = null;
            if (db.equals("postgres")) {
                postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true)
                        .start();
                url = postgres.getJdbcUrl("postgres", "postgres");
            }
            long seedStarted = System.nanoTime();
            try (Sandbox sandbox = Sandbox.start(new Sandbox.Settings(0, 0, 0, 7, contacts, throttled))) {
                sandbox.mixpanel().quietFrom(Instant.now());
                out.printf(Locale.ROOT, "# %s N=%d: simulators seeded in %.1f s (%d HubSpot contacts, %d engagements,"
                                + " %d Salesforce leads, %d contacts, %d tasks, %d events, %d campaign members, %d"
                                + " Mixpanel profiles, %d events a day)%n", db, contacts,
                        (System.nanoTime() - seedStarted) / 1e9, sandbox.contacts(), sandbox.engagements(),
                        sandbox.leads(), sandbox.salesforceContacts(), sandbox.salesforceTasks(),
                        sandbox.salesforceEvents(), sandbox.campaignMembers(), sandbox.profiles(),
                        sandbox.eventsPerDay());
                List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseParallelGC",
                        "-Xlog:gc:file=" + dir.resolve("gc.log")));
                if (jfr) {
                    jvm.add("-XX:StartFlightRecording=filename=" + dir.resolve("service.jfr") + ",settings=profile");
                }
                Path model = dir.resolve("model.yml");
                Files.copy(repo.resolve("config/scoring/default-model.yml"), model);
                ServiceProcess.Options options = new ServiceProcess.Options(jvm, url, 200, model, cluster("node-1"));
                try (ServiceProcess service = new ServiceProcess(jar, repo, dir, sandbox, options)) {
                    service.start();
                    for (int i = 2; i <= instances; i++) {
                        List<String> otherJvm = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseParallelGC"));
                        ServiceProcess other = new ServiceProcess(jar, repo, dir.resolve("node-" + i), sandbox,
                                new ServiceProcess.Options(otherJvm, url, 200, model, cluster("node-" + i)));
                        others.add(other);
                        other.start();
                    }
                    results.add(scenario(service, sandbox, label, contacts, "first-sync", dir, url));
                    out.println(results.get(results.size() - 1).line());
                    if (firstOnly) {
                        service.stop();
                        return results;
                    }
                    results.add(scenario(service, sandbox, label, contacts, "no-change", dir, url));
                    out.println(results.get(results.size() - 1).line());
                    change(sandbox.hubspot(), contacts / 100);
                    results.add(scenario(service, sandbox, label, contacts, "1%-change", dir, url));
                    out.println(results.get(results.size() - 1).line());
                    changeModel(model);
                    service.post("/api/models/reload");
                    for (ServiceProcess other : others) {
                        other.post("/api/models/reload");
                    }
                    results.add(scenario(service, sandbox, label, contacts, "model-change", dir, url));
                    out.println(results.get(results.size() - 1).line());
                    service.stop();
                }
            }
        } finally {
            for (ServiceProcess other : others) {
                other.kill();
            }
            others.clear();
            if (postgres != null) {
                postgres.close();
            }
        }
        return results;
    }

    /** The other instances of a cluster run ({@code --instances}), beside the one the runs are asked of. */
    private final List<ServiceProcess> others = new ArrayList<>();

    /** With {@code --instances} above 1: this instance's place in the cluster (its cron never fires in a bench). */
    private ServiceProcess.Cluster cluster(String node) {
        return instances > 1 ? new ServiceProcess.Cluster(node, "0 0 3 1 1 ? 2099", Duration.ofSeconds(60),
                Duration.ofSeconds(5)) : null;
    }

    /** The CPU time of the instances beside the first. */
    private Duration othersCpu() {
        return others.stream().map(ServiceProcess::cpuTime).reduce(Duration.ZERO, Duration::plus);
    }

    private Result scenario(ServiceProcess service, Sandbox sandbox, String db, int contacts, String name, Path dir,
                            String url) throws Exception {
        Map<String, long[]> before = vendorCalls(sandbox);
        Map<String, Long> routesBefore = routes(sandbox);
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        long gcLinesBefore = gcLog(dir).size();
        Duration serviceCpuBefore = service.cpuTime().plus(postgresCpu()).plus(othersCpu());
        long started = System.nanoTime();
        JsonNode run = service.runAndPoll(Duration.ofHours(3), () -> { });
        long wall = System.nanoTime() - started;
        long serviceCpu = service.cpuTime().plus(postgresCpu()).plus(othersCpu()).minus(serviceCpuBefore).toMillis();
        Files.writeString(dir.resolve(name + "-run.json"), run.toPrettyString());
        long peakHeap = peakHeapMb(gcLog(dir).subList((int) gcLinesBefore, gcLog(dir).size()));
        long cpu = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() - cpuBefore;
        Map<String, long[]> after = vendorCalls(sandbox);
        Map<String, Long> routes = new java.util.TreeMap<>();
        routes(sandbox).forEach((route, n) -> {
            long delta = n - routesBefore.getOrDefault(route, 0L);
            if (delta > 0) {
                routes.put(route, delta);
            }
        });
        JsonNode counts = run.path("counts");
        long records = 0;
        for (var streams = counts.path("pull").fields(); streams.hasNext(); ) {
            records += streams.next().getValue().path("received").asLong();
        }
        Map<String, Long> stages = new LinkedHashMap<>();
        run.path("timingsMillis").fields().forEachRemaining(e -> stages.put(e.getKey(), e.getValue().asLong()));
        Map<String, long[]> writes = new LinkedHashMap<>();
        for (String vendor : BATCH.keySet().stream().sorted().toList()) {
            JsonNode push = counts.path("push").path(vendor);
            long written = push.path("written").asLong() + push.path("failed").asLong();
            long tasks = push.path("tasksCreated").asLong() + push.path("tasksFailed").asLong();
            int batch = BATCH.get(vendor);
            long minimum = ceil(written, batch) + ceil(tasks, batch);
            // the one-time definitions of leadsync's own fields (HubSpot contact properties) are not record writes
            String prefix = vendor.replace("-main", "") + " POST ";
            long definitions = routes.entrySet().stream().filter(r -> r.getKey().startsWith(prefix)
                    && r.getKey().contains("/properties/")).mapToLong(Map.Entry::getValue).sum();
            long actual = after.get(vendor)[1] - before.get(vendor)[1] - definitions;
            writes.put(vendor, new long[] {actual, minimum, written + tasks});
        }
        String note = run.path("status").asText().equals("SUCCEEDED") ? "" : run.path("message").asText();
        if (throttled) {
            double floor = apiFloorSeconds(routes);
            note = String.format(Locale.ROOT, "API floor %.1f s, wall %.2fx the floor", floor,
                    floor == 0 ? 0 : wall / 1e9 / floor) + (note.isEmpty() ? "" : "; " + note);
        }
        long cores = Runtime.getRuntime().availableProcessors();
        double simulatorShare = wall == 0 ? 0 : (double) cpu / (wall * (double) cores);
        return new Result(db, contacts, name, run.path("status").asText(), records, wall / 1_000_000, stages,
                serviceCpu, peakHeap, databaseMb(service, dir, url), simulatorShare, writes, routes,
                note);
    }

    /**
     * The CPU time of this machine's PostgreSQL server processes (the embedded server's work for the service counts
     * as the service's); zero on H2. Backends that end during a scenario are missed, but the service's pooled
     * connections live as long as it does.
     */
    private static Duration postgresCpu() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /** Per vendor: all requests and write requests the simulators answered so far. */
    private static Map<String, long[]> vendorCalls(Sandbox sandbox) {
        Map<String, long[]> calls = new LinkedHashMap<>();
        calls.put("hubspot-main", new long[] {sandbox.hubspot().faults().stats().requests(),
            sandbox.hubspot().faults().stats().writes()});
        calls.put("salesforce-main", new long[] {sandbox.salesforce().faults().stats().requests(),
            sandbox.salesforce().faults().stats().writes()});
        calls.put("mixpanel-main", new long[] {sandbox.mixpanel().faults().stats().requests(), 0});
        return calls;
    }

    /**
     * A new version of the model that gives a mid-size or larger company 12 points instead of 10: the scores of
     * those profiles move, and every record's model version changes (it is one of the fields written back).
     */
    private static void changeModel(Path model) throws IOException {
        String yaml = Files.readString(model);
        String changed = yaml.replaceFirst("(?m)^version: 4", "version: 5")
                .replaceFirst("(name: Mid-size or larger company\\s+field: numberofemployees\\s+at-least: 200\\s+points:) 10",
                        "$1 12");
        if (!changed.contains("version: 5") || !changed.matches("(?s).*at-least: 200\\s+points: 12.*")) {
            throw new IllegalStateException("the default model changed shape; update ScaleBench.changeModel");
        }
        Files.writeString(model, changed);
    }

    /**
     * The API floor of the calls a scenario made: the time the vendors' rate limits (the simulators' defaults, as
     * documented in crm-api-contracts.md) allow them at the least, for the slowest vendor: HubSpot 5 searches a second
     * and 190 other calls in ten seconds (two limits of their own: searches do not count in the ten-second window, so
     * a client may use both at once), Mixpanel 3 exports a second; Salesforce has only a daily allowance.
     */
    static double apiFloorSeconds(Map<String, Long> routes) {
        double hubspotSearch = 0;
        double hubspotOther = 0;
        double mixpanelExport = 0;
        for (Map.Entry<String, Long> route : routes.entrySet()) {
            if (route.getKey().startsWith("hubspot ")) {
                if (route.getKey().endsWith("/search")) {
                    hubspotSearch += route.getValue();
                } else {
                    hubspotOther += route.getValue();
                }
            } else if (route.getKey().startsWith("mixpanel GET /api/2.0/export")) {
                mixpanelExport += route.getValue();
            }
        }
        return Math.max(Math.max(hubspotSearch / 5, hubspotOther / 19.0), mixpanelExport / 3);
    }

    /** Requests by vendor, method and route ({@code "hubspot POST /crm/v3/objects/contacts/search"}). */
    private static Map<String, Long> routes(Sandbox sandbox) {
        Map<String, Long> routes = new LinkedHashMap<>();
        sandbox.hubspot().faults().stats().byRoute().forEach((route, n) -> routes.put("hubspot " + route, n));
        sandbox.salesforce().faults().stats().byRoute().forEach((route, n) -> routes.put("salesforce " + route, n));
        sandbox.mixpanel().faults().stats().byRoute().forEach((route, n) -> routes.put("mixpanel " + route, n));
        return routes;
    }

    /** Changes 1% of HubSpot contacts (a new job title) and gives as many an email event. */
    private static void change(HubSpotSimulator hubspot, int count) {
        List<HubSpotSimulator.SimulatedObject> contacts = hubspot.contacts();
        Instant now = Instant.now();
        for (int i = 0; i < count && i < contacts.size(); i++) {
            HubSpotSimulator.SimulatedObject contact = contacts.get((int) ((long) i * contacts.size() / count));
            hubspot.updateContact(contact.id(), Map.of("jobtitle", "VP Revenue Operations"));
            String email = contact.properties().get("email");
            if (email != null) {
                hubspot.addEmailEvent("CLICK", email, now, Map.of());
            }
        }
    }

    private static List<String> gcLog(Path dir) throws IOException {
        Path log = dir.resolve("gc.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** The most heap in use before any collection of the scenario (the peak the collector saw). */
    private static long peakHeapMb(List<String> lines) {
        long peak = 0;
        for (String line : lines) {
            Matcher gc = GC.matcher(line);
            if (gc.find()) {
                peak = Math.max(peak, Long.parseLong(gc.group(1)));
            }
        }
        return peak;
    }

    private static long databaseMb(ServiceProcess service, Path dir, String url) throws Exception {
        if (url == null) {
            Path file = Path.of(service.database() + ".mv.db");
            return Files.exists(file) ? Files.size(file) / (1024 * 1024) : 0;
        }
        try (Connection connection = DriverManager.getConnection(url);
             ResultSet row = connection.createStatement().executeQuery(
                     "select pg_database_size(current_database())")) {
            row.next();
            return row.getLong(1) / (1024 * 1024);
        }
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("app/target/leadsync.jar");
        Path work = Path.of("target/scale-bench");
        List<Integer> sizes = List.of(10_000);
        List<String> dbs = List.of("h2");
        boolean throttled = false;
        boolean jfr = false;
        String heap = "1g";
        List<Integer> instanceCounts = List.of(1);
        boolean firstOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--contacts" -> sizes = Stream.of(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--db" -> dbs = List.of(args[++i].split(","));
                case "--throttled" -> throttled = true;
                case "--jfr" -> jfr = true;
                case "--heap" -> heap = args[++i];
                case "--instances" -> instanceCounts = Stream.of(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--first-only" -> firstOnly = true;
                case "--jar" -> jar = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ScaleBench [--contacts 10000,100000] [--db h2,postgres] [--throttled]"
                            + " [--jfr] [--heap 1g] [--instances 1,2] [--first-only] [--jar app/target/leadsync.jar]"
                            + " [--work target/scale-bench]");
                    System.exit(2);
                }
            }
        }
        if (!Files.isRegularFile(jar)) {
            System.err.println(jar + " not found: build it first with mvn -q -DskipTests package");
            System.exit(2);
        }
        for (String db : dbs) {
            if (!db.equals("h2") && !db.equals("postgres")) {
                System.err.println("--db takes h2 and/or postgres, not " + db);
                System.exit(2);
            }
        }
        ScaleBench bench = new ScaleBench(jar, work, throttled, jfr, heap, System.out);
        System.out.printf(Locale.ROOT, "# leadsync scale bench: %d cores, simulators %s, service heap %s%n",
                Runtime.getRuntime().availableProcessors(), throttled ? "with the vendors' rate limits" : "unthrottled",
                heap);
        if (instanceCounts.stream().anyMatch(n -> n > 1) && dbs.contains("h2")) {
            System.err.println("--instances above 1 needs --db postgres: a cluster shares a PostgreSQL");
            System.exit(2);
        }
        bench.firstOnly = firstOnly;
        for (int contacts : sizes) {
            for (String db : dbs) {
                for (int count : instanceCounts) {
                    bench.instances = count;
                    bench.run(contacts, db);
                }
            }
        }
    }
}
