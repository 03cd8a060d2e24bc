package io.leadsync.bench.faults;

import io.leadsync.bench.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.sandbox.Sandbox;
import io.leadsync.sandbox.faults.FaultInjector;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.faults.RequestHook;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The fault-injection suite: the real service, as a separate JVM on an H2 file, syncs HubSpot, Salesforce and Mixpanel
 * simulators (in this JVM) while faults are injected: {@code kill -9} at precise points of the pull, score and push
 * stages (a simulator hook kills the service when a given request arrives, or after its write took effect but before
 * the answer left), a storm of rate-limit answers, unreadable and cut-short pages, expired tokens, a CRM that is down,
 * a batch that fails in part. After each trial the service is started again (on the same database) and syncs until a
 * run completes; then the simulators' state and the database are checked ({@link Invariants}) and a trial passes only
 * if nothing was lost, no task exists twice, nothing is left PENDING or RUNNING and the bad records are dead letters.
 *
 * <pre>
 * java -cp bench/target/leadsync-bench.jar io.leadsync.bench.faults.FaultSuite [--quick] [--contacts 300]
 *      [--jar app/target/leadsync.jar] [--work target/fault-suite]
 * </pre>
 */
public final class FaultSuite {
    /** Bad records seeded in every trial's Mixpanel export: a line that is not JSON, an event without a person. */
    static final int BAD_RECORDS = 2;

    private final Path jar;
    private final Path repo;
    private final Path work;
    private final int contacts;
    private final PrintStream out;
    private long referenceCalls;
    private long referenceWrites;
    private int exportCalls;

    FaultSuite(Path jar, Path work, int contacts, PrintStream out) {
        this.jar = jar.toAbsolutePath().normalize();
        this.repo = this.jar.getParent().getParent().getParent();
        this.work = work;
        this.contacts = contacts;
        this.out = out;
    }

    /** One trial's outcome. */
    record TrialResult(String name, String stage, String fault, boolean passed, String reachedStatus,
                       String finalStatus, int runsToRecover, long calls, Invariants.Result checks, Duration took,
                       String note) {
    }

    /** A trial: a name, the stage it aims at, and what it does to the sandbox and the service. */
    record Trial(String name, String stage, String fault, Scenario scenario) {
    }

    @FunctionalInterface
    interface Scenario {
        /** Injects the fault and drives the service until the fault has happened; returns a note for the table. */
        String run(Sandbox sandbox, ServiceProcess service) throws Exception;
    }

    // ------------------------------------------------------------------ the trials

    /** A {@code kill -9} when the Nth request matching method and path reaches a phase (BEFORE: the vendor never saw it). */
    static Trial kill(String name, String stage, Function<Sandbox, FaultInjector> simulator, String method,
                      String path, int nth, RequestHook.Phase phase) {
        String fault = "kill -9 " + (phase == RequestHook.Phase.BEFORE ? "before" : "after") + " " + method + " "
                + path + " #" + nth;
        return new Trial(name, stage, fault, (sandbox, service) -> {
            RequestHook hook = simulator.apply(sandbox).onRequest(method, path, nth, phase, request -> {
                if (phase == RequestHook.Phase.BEFORE) {
                    request.dropConnection();
                }
                service.kill();
            });
            service.trigger();
            if (!hook.awaitFired(Duration.ofMinutes(5))) {
                throw new IllegalStateException("the kill point was never reached (" + hook.seen()
                        + " matching requests)");
            }
            return "killed";
        });
    }

    /** A {@code kill -9} a while after the pull's last request (Mixpanel's last export day): during score or push. */
    Trial killAfterPull(String name, long delayMillis) {
        return new Trial(name, "score", "kill -9 " + delayMillis + " ms after the last pull call", (sandbox, service) -> {
            RequestHook hook = sandbox.mixpanel().faults().onRequest("GET", "/api/2.0/export", exportCalls,
                    RequestHook.Phase.AFTER, request -> {
                        Thread killer = new Thread(() -> {
                            try {
                                Thread.sleep(delayMillis);
                                service.kill();
                            } catch (InterruptedException ignored) {
                                Thread.currentThread().interrupt();
                            }
                        });
                        killer.start();
                    });
            service.trigger();
            if (!hook.awaitFired(Duration.ofMinutes(5))) {
                throw new IllegalStateException("the last export call never came");
            }
            for (int i = 0; i < 100 && service.alive(); i++) {
                Thread.sleep(100);
            }
            return "killed";
        });
    }

    List<Trial> killTrials() {
        List<Trial> trials = new ArrayList<>();
        Function<Sandbox, FaultInjector> hubspot = s -> s.hubspot().faults();
        Function<Sandbox, FaultInjector> salesforce = s -> s.salesforce().faults();
        Function<Sandbox, FaultInjector> mixpanel = s -> s.mixpanel().faults();
        RequestHook.Phase before = RequestHook.Phase.BEFORE;
        RequestHook.Phase after = RequestHook.Phase.AFTER;
        // pull
        trials.add(kill("pull: HubSpot contacts page 2, before", "pull", hubspot, "GET", "/crm/v3/objects/contacts$", 2, before));
        trials.add(kill("pull: HubSpot contacts page 3, after", "pull", hubspot, "GET", "/crm/v3/objects/contacts$", 3, after));
        trials.add(kill("pull: HubSpot emails list page 2, after", "pull", hubspot, "GET", "/crm/v3/objects/emails$", 2, after));
        trials.add(kill("pull: HubSpot meetings list page 1, before", "pull", hubspot, "GET", "/crm/v3/objects/meetings$", 1, before));
        trials.add(kill("pull: HubSpot calls list page 1, after", "pull", hubspot, "GET", "/crm/v3/objects/calls$", 1, after));
        trials.add(kill("pull: HubSpot email events, after", "pull", hubspot, "GET", "/email/public/v1/events", 1, after));
        trials.add(kill("pull: Salesforce leads query, after", "pull", salesforce, "GET", "/services/data/*/query", 1, after));
        trials.add(kill("pull: Salesforce events query, before", "pull", salesforce, "GET", "/services/data/*/query", 4, before));
        trials.add(kill("pull: Mixpanel profiles, after", "pull", mixpanel, "POST", "/api/query/engage", 1, after));
        trials.add(kill("pull: Mixpanel export day 3, after", "pull", mixpanel, "GET", "/api/2.0/export", 3, after));
        trials.add(kill("pull: Mixpanel export day 9, before", "pull", mixpanel, "GET", "/api/2.0/export", 9, before));
        // score
        trials.add(killAfterPull("score: 200 ms after the pull", 200));
        trials.add(killAfterPull("score: 700 ms after the pull", 700));
        trials.add(killAfterPull("score: 1500 ms after the pull", 1500));
        // push
        trials.add(kill("push: HubSpot properties, after", "push", hubspot, "POST", "/crm/v3/properties/contacts", 1, after));
        trials.add(kill("push: HubSpot batch update 1, before", "push", hubspot, "POST", "/crm/v3/objects/contacts/batch/update", 1, before));
        trials.add(kill("push: HubSpot batch update 2, after", "push", hubspot, "POST", "/crm/v3/objects/contacts/batch/update", 2, after));
        trials.add(kill("push: HubSpot tasks batch, before", "push", hubspot, "POST", "/crm/v3/objects/tasks/batch/create", 1, before));
        trials.add(kill("push: HubSpot tasks batch, after", "push", hubspot, "POST", "/crm/v3/objects/tasks/batch/create", 1, after));
        trials.add(kill("push: Salesforce scores, before", "push", salesforce, "PATCH", "/services/data/*/composite/sobjects", 1, before));
        trials.add(kill("push: Salesforce scores, after", "push", salesforce, "PATCH", "/services/data/*/composite/sobjects", 1, after));
        trials.add(kill("push: Salesforce tasks, after", "push", salesforce, "POST", "/services/data/*/composite/sobjects", 1, after));
        trials.add(kill("push: Salesforce tasks, before", "push", salesforce, "POST", "/services/data/*/composite/sobjects", 1, before));
        return trials;
    }

    /** A fault plan on the simulators, then one run; the faults are cleared before recovery. */
    static Trial faulted(String name, String stage, String fault, java.util.function.Consumer<Sandbox> faults) {
        return new Trial(name, stage, fault, (sandbox, service) -> {
            faults.accept(sandbox);
            JsonNode run = service.runAndWait();
            return run.path("status").asText() + ": " + abbreviate(run.path("message").asText(), 160);
        });
    }

    List<Trial> faultTrials() {
        return List.of(
                faulted("malformed and cut-short pages", "pull", "10% of HubSpot and Salesforce reads unreadable, 20%"
                        + " of Mixpanel exports cut short", sandbox -> {
                    sandbox.hubspot().faults().add(FaultRule.malformed().withMethod("GET").withShare(0.1),
                            FaultRule.truncated().withPath("/crm/v3/objects/*/search").withShare(0.1),
                            FaultRule.truncated().withMethod("GET").withPath("/crm/v3/objects/*$").withShare(0.1));
                    sandbox.salesforce().faults().add(FaultRule.malformed().on("GET", "/services/data/*/query")
                            .withShare(0.1));
                    sandbox.mixpanel().faults().add(FaultRule.truncated().on("GET", "/api/2.0/export")
                            .withShare(0.2));
                }),
                faulted("expired tokens", "pull", "Salesforce sessions expire after 5 calls; HubSpot's token expires"
                        + " after 20 calls (until rotated)", sandbox -> {
                    sandbox.salesforce().faults().add(FaultRule.expireToken().withSkip(5).withCount(1));
                    sandbox.hubspot().faults().add(FaultRule.expireToken().withSkip(20).withCount(1));
                }),
                faulted("a dead CRM", "push", "HubSpot accepts no write (connections closed)", sandbox ->
                        sandbox.hubspot().faults().add(FaultRule.dead().withMethod("POST")
                                .withPath("/crm/v3/objects/**/batch/**"))),
                faulted("a batch that fails in part", "push", "30% of HubSpot batch updates refuse 10% of their"
                        + " records; 20% of Salesforce records locked", sandbox -> {
                    sandbox.hubspot().faults().add(FaultRule.partialBatch(0.1)
                            .on("POST", "/crm/v3/objects/contacts/batch/update").withShare(0.3));
                    sandbox.salesforce().faults().add(FaultRule.partialBatch(0.2)
                            .on("PATCH", "/services/data/*/composite/sobjects"));
                }));
    }

    /**
     * {@code SIGTERM} while a call hangs (HubSpot takes ten minutes to answer a page of the emails list): the process
     * must end within the shutdown grace, record its run ABORTED and free the job, so the restarted service runs at once.
     */
    static Trial sigtermDuringAHungCall() {
        return sigtermWhileHanging("SIGTERM during a hung call", "pull", "a page of the emails list", "GET",
                "/crm/v3/objects/emails$");
    }

    /**
     * {@code SIGTERM} while a push batch hangs (HubSpot takes ten minutes to answer the first batch update): the same,
     * and the next run writes what the abandoned batch may or may not have written, once.
     */
    static Trial sigtermDuringAHungPush() {
        return sigtermWhileHanging("SIGTERM during a hung push", "push", "a contacts batch update", "POST",
                "/crm/v3/objects/contacts/batch/update");
    }

    private static Trial sigtermWhileHanging(String name, String stage, String what, String method, String path) {
        return new Trial(name, stage, "HubSpot answers " + what + " after 10 minutes; SIGTERM while it hangs",
                (sandbox, service) -> {
            sandbox.hubspot().faults().add(FaultRule.slow(Duration.ofMinutes(10)).on(method, path).withCount(1));
            RequestHook hook = sandbox.hubspot().faults().onRequest(method, path, 1, RequestHook.Phase.BEFORE,
                    request -> { });
            service.trigger();
            if (!hook.awaitFired(Duration.ofMinutes(5))) {
                throw new IllegalStateException("the call to hang (" + method + " " + path + ") never came");
            }
            Thread.sleep(500);
            Duration took = service.stop();
            if (took.toSeconds() > 30) {
                throw new IllegalStateException("SIGTERM took " + took.toSeconds() + " s with a 5 s grace; "
                        + service.slowStopThreads());
            }
            return "stopped in " + took.toMillis() + " ms";
        });
    }

    /** A storm of rate-limit answers on every vendor during one run from scratch. */
    Trial storm(double share) {
        return new Trial("a " + Math.round(share * 100) + "% rate-limit storm", "all",
                Math.round(share * 100) + "% of calls: HubSpot 429, Mixpanel 429, Salesforce ConcurrentPerOrgLongTxn",
                (sandbox, service) -> {
                    sandbox.hubspot().faults().add(FaultRule.rateLimit().withShare(share));
                    sandbox.mixpanel().faults().add(FaultRule.rateLimit().withShare(share));
                    sandbox.salesforce().faults().add(FaultRule.rateLimit().withParam("policy", "concurrent")
                            .withPath("/services/data/").withShare(share));
                    JsonNode run = service.runAndWait();
                    return run.path("status").asText() + " in one run";
                });
    }

    // ------------------------------------------------------------------ running

    static Sandbox sandbox(int contacts) {
        Sandbox sandbox = Sandbox.start(new Sandbox.Settings(0, 0, 0, 7, contacts, false));
        Instant yesterday = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
        sandbox.mixpanel().addRawLine("{\"event\":\"Viewed Pricing\",\"properties\":{\"time\":17", yesterday);
        sandbox.mixpanel().addRawLine("{\"event\":\"Viewed Pricing\",\"properties\":{\"time\":1764000000,"
                + "\"$insert_id\":\"orphan-1\"}}", yesterday);
        return sandbox;
    }

    private static long calls(Sandbox sandbox) {
        return sandbox.hubspot().faults().stats().requests() + sandbox.salesforce().faults().stats().requests()
                + sandbox.mixpanel().faults().stats().requests();
    }

    private static long writes(Sandbox sandbox) {
        return sandbox.hubspot().faults().stats().writes() + sandbox.salesforce().faults().stats().writes();
    }

    /** The fault-free run: its scores are the reference, its calls the yardstick of the storm. */
    TrialResult referenceRun() throws Exception {
        long started = System.nanoTime();
        Path dir = work.resolve("reference");
        try (Sandbox sandbox = sandbox(contacts); ServiceProcess service = new ServiceProcess(jar, repo, dir, sandbox)) {
            service.start();
            JsonNode run = service.runAndWait();
            referenceCalls = calls(sandbox);
            referenceWrites = writes(sandbox);
            exportCalls = (int) sandbox.mixpanel().faults().stats().route("GET /api/2.0/export");
            service.stop();
            Invariants.Result checks = Invariants.check(sandbox, service.database());
            boolean passed = checks.holds(BAD_RECORDS) && isComplete(run);
            return new TrialResult("fault-free reference", "all", "none", passed, run.path("status").asText(),
                    run.path("status").asText(), 1, referenceCalls, checks,
                    Duration.ofNanos(System.nanoTime() - started), referenceWrites + " write calls, " + exportCalls
                    + " export calls");
        }
    }

    TrialResult run(Trial trial, int index) throws Exception {
        long started = System.nanoTime();
        Path dir = work.resolve(String.format("trial-%02d", index));
        try (Sandbox sandbox = sandbox(contacts); ServiceProcess service = new ServiceProcess(jar, repo, dir, sandbox)) {
            service.start();
            String reached;
            try {
                reached = trial.scenario().run(sandbox, service);
            } catch (Exception e) {
                service.kill();
                return new TrialResult(trial.name(), trial.stage(), trial.fault(), false, "not reached", "-", 0,
                        calls(sandbox), null, Duration.ofNanos(System.nanoTime() - started), e.getMessage());
            }
            long callsUnderFault = calls(sandbox);
            sandbox.hubspot().faults().clear();
            sandbox.salesforce().faults().clear();
            sandbox.mixpanel().faults().clear();
            sandbox.hubspot().faults().cancelHooks();
            sandbox.salesforce().faults().cancelHooks();
            sandbox.mixpanel().faults().cancelHooks();
            // no generated Mixpanel event comes due from here on: the sync "with nothing changed" after recovery must
            // find nothing new (an event of today coming due between the two runs made it write once in CI)
            sandbox.mixpanel().quietFrom(java.time.Instant.now());
            if (!service.alive()) {
                service.start();
            }
            // faults cleared: sync until a run completes. A vendor's circuit that opened under the fault stays open
            // 30 s, as an operator who fixed the CRM would see; then it lets calls through again.
            JsonNode run = null;
            int runs = 0;
            boolean storm = trial.name().contains("storm");
            boolean completedUnderFault = reached.startsWith("SUCCEEDED") || reached.startsWith("PARTIAL");
            boolean complete = false;
            try {
                while (!complete && runs < 4) {
                    if (run != null && run.path("message").asText().contains("circuit open")) {
                        Thread.sleep(31_000);
                    }
                    run = service.runAndWait();
                    runs++;
                    complete = isComplete(run);
                }
            } catch (IllegalStateException hung) {
                service.kill();
                return new TrialResult(trial.name(), trial.stage(), trial.fault(), false, reached, "HUNG", runs,
                        callsUnderFault, null, Duration.ofNanos(System.nanoTime() - started), hung.getMessage());
            }
            long writesBefore = writes(sandbox);
            JsonNode quiet = service.runAndWait();
            long quietWrites = writes(sandbox) - writesBefore;
            Duration stopping = service.stop();
            Invariants.Result checks = Invariants.check(sandbox, service.database());
            String output = service.output();
            List<String> notes = new ArrayList<>();
            notes.add(reached);
            if (quietWrites > 0) {
                notes.add("a sync with nothing changed wrote " + quietWrites + " calls (" + quiet.path("message").asText()
                        + "; stored per stream: " + storedPerStream(quiet) + ")");
            }
            if (output.contains(ServiceProcess.TOKEN)) {
                notes.add("the API token reached the log");
            }
            if (stopping.toSeconds() > 30) {
                notes.add("SIGTERM took " + stopping.toSeconds() + " s; " + service.slowStopThreads());
            }
            boolean passed = complete && checks.holds(BAD_RECORDS) && quietWrites == 0
                    && !output.contains(ServiceProcess.TOKEN) && isComplete(quiet);
            if (storm) {
                boolean withinBudget = callsUnderFault <= Math.round(1.5 * referenceCalls);
                notes.add(String.format("%d calls, %.2fx the fault-free run", callsUnderFault,
                        callsUnderFault / (double) referenceCalls));
                passed &= completedUnderFault && withinBudget;
            }
            return new TrialResult(trial.name(), trial.stage(), trial.fault(), passed, reached,
                    run.path("status").asText(), runs, callsUnderFault, checks,
                    Duration.ofNanos(System.nanoTime() - started), String.join("; ", notes));
        }
    }

    /** The streams of a run that stored records, with how many: what a sync that should find nothing found. */
    private static String storedPerStream(JsonNode run) {
        List<String> streams = new ArrayList<>();
        run.path("counts").path("pull").fields().forEachRemaining(stream -> {
            if (stream.getValue().path("stored").asLong() > 0) {
                streams.add(stream.getKey() + " " + stream.getValue().path("stored").asLong());
            }
        });
        return streams.isEmpty() ? "none" : String.join(", ", streams);
    }

    private static boolean isComplete(JsonNode run) {
        String status = run.path("status").asText();
        return status.equals("SUCCEEDED") || status.equals("PARTIAL");
    }

    List<TrialResult> runAll(List<Trial> trials) throws Exception {
        Files.createDirectories(work);
        List<TrialResult> results = new ArrayList<>();
        TrialResult baseline = referenceRun();
        results.add(baseline);
        print(baseline);
        int index = 1;
        for (Trial trial : trials) {
            TrialResult result = run(trial, index++);
            results.add(result);
            print(result);
        }
        return results;
    }

    long referenceCalls() {
        return referenceCalls;
    }

    private void print(TrialResult result) {
        Invariants.Result c = result.checks();
        out.printf("%-4s %-42s %-6s records %4s lost %s refused %s unread %s | tasks %s/%s dup %s lost %s |"
                        + " pending %s running %s | bad records %s/%d | calls %5d | runs to recover %d | %3d s | %s%n",
                result.passed() ? "PASS" : "FAIL", abbreviate(result.name(), 42), result.stage(),
                c == null ? "-" : c.records(), c == null ? "-" : c.lost(), c == null ? "-" : c.refused(),
                c == null ? "-" : c.unread(), c == null ? "-" : c.tasksInCrm(), c == null ? "-" : c.tasksExpected(),
                c == null ? "-" : c.duplicateTasks(), c == null ? "-" : c.lostTasks(),
                c == null ? "-" : c.pendingLeft(), c == null ? "-" : c.runningLeft(),
                c == null ? "-" : c.badRecords(), BAD_RECORDS, result.calls(), result.runsToRecover(),
                result.took().toSeconds(), result.note());
        if (c != null && !c.problems().isEmpty()) {
            c.problems().forEach(problem -> out.println("       " + problem));
        }
    }

    /** A summary of the table: trials, faults, records checked, lost, duplicates, pending. */
    static Map<String, Object> summary(List<TrialResult> results, long referenceCalls) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("trials", results.size() - 1);
        summary.put("passed", results.stream().skip(1).filter(TrialResult::passed).count());
        summary.put("kill -9 points", results.stream().filter(r -> r.fault().startsWith("kill -9")).count());
        summary.put("records checked", results.stream().filter(r -> r.checks() != null)
                .mapToLong(r -> r.checks().records()).sum());
        summary.put("lost", results.stream().filter(r -> r.checks() != null).mapToLong(r -> r.checks().lost()).sum());
        summary.put("duplicate tasks", results.stream().filter(r -> r.checks() != null)
                .mapToLong(r -> r.checks().duplicateTasks()).sum());
        summary.put("lost tasks", results.stream().filter(r -> r.checks() != null)
                .mapToLong(r -> r.checks().lostTasks()).sum());
        summary.put("pending left", results.stream().filter(r -> r.checks() != null)
                .mapToLong(r -> r.checks().pendingLeft()).sum());
        results.stream().filter(r -> r.name().contains("storm")).forEach(storm -> summary.put(storm.name()
                + ": calls against the fault-free run", storm.calls() + " / " + referenceCalls + " = "
                + String.format("%.2f", storm.calls() / (double) referenceCalls)));
        return summary;
    }

    private static String abbreviate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("app/target/leadsync.jar");
        Path work = Path.of("target/fault-suite");
        int contacts = 300;
        boolean quick = false;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--quick" -> quick = true;
                case "--only" -> only = args[++i];
                default -> {
                    System.err.println("usage: FaultSuite [--quick] [--only <part of a trial's name>] [--contacts N]"
                            + " [--jar app/target/leadsync.jar] [--work target/fault-suite]");
                    System.exit(2);
                }
            }
        }
        if (!Files.isRegularFile(jar)) {
            System.err.println(jar + " is missing: build it first (mvn -q -DskipTests package)");
            System.exit(2);
        }
        FaultSuite suite = new FaultSuite(jar, work, contacts, System.out);
        List<Trial> trials = new ArrayList<>(quick ? suite.quickTrials() : suite.allTrials());
        if (only != null) {
            String part = only;
            trials.removeIf(trial -> !trial.name().contains(part));
        }
        long started = System.nanoTime();
        List<TrialResult> results = suite.runAll(trials);
        System.out.println();
        summary(results, suite.referenceCalls()).forEach((name, value) -> System.out.println(name + ": " + value));
        System.out.printf("took %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        System.exit(results.stream().allMatch(TrialResult::passed) ? 0 : 1);
    }

    /**
     * Every trial: 23 kill points, SIGTERM during a hung read and a hung push, the storm, unreadable pages, expired
     * tokens, a dead CRM, partial batches.
     */
    List<Trial> allTrials() {
        List<Trial> trials = new ArrayList<>(killTrials());
        trials.add(sigtermDuringAHungCall());
        trials.add(sigtermDuringAHungPush());
        trials.add(storm(0.2));
        trials.addAll(faultTrials());
        return trials;
    }

    /** The set `mvn verify` runs: a kill in each stage, SIGTERM during a hung call, the storm, unreadable pages. */
    List<Trial> quickTrials() {
        List<Trial> kills = killTrials();
        return List.of(kills.get(1), kills.get(12), kills.get(18), sigtermDuringAHungCall(), storm(0.2),
                faultTrials().get(0));
    }

    static Path defaultWork() throws IOException {
        return Files.createTempDirectory("fault-suite");
    }
}
