package io.leadsync.app.cli;

import io.leadsync.routes.SyncEngine;
import io.leadsync.sandbox.Sandbox;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.sandbox.mixpanel.MixpanelSimulator;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;
import io.leadsync.store.RunRecord;
import io.leadsync.store.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code leadsync demo}: the whole pipeline against the local sandbox. Starts seeded HubSpot and Mixpanel
 * simulators (Mixpanel's profiles share the HubSpot contacts' emails, its events are their product use), starts
 * the service on {@code config/demo.yml} pointed at them (embedded H2 under ./data/demo), runs the sync twice and
 * shows what was written: the first run pulls, scores and pushes; the second finds nothing changed and pushes
 * nothing. Then a contact changes in the simulators (a senior title in HubSpot, a demo request in the product),
 * delivered as change events through the {@code ChangeIntake}, and the demo shows its new score and task in the CRM
 * seconds later.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline against the local HubSpot sandbox, twice, and show the result.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--config", defaultValue = "config/demo.yml",
            description = "Config file (default: ${DEFAULT-VALUE}, which the demo points at its sandboxes).")
    Path config;

    @Option(names = "--job", description = "The job to run (default: the first configured job).")
    String job;

    @Option(names = "--contacts", defaultValue = "500", description = "Sandbox contacts to generate (default: ${DEFAULT-VALUE}).")
    int contacts;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port of the service; a free one if taken (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--sandbox-port", defaultValue = "8089", description = "Port of the HubSpot sandbox; a free one if taken (default: ${DEFAULT-VALUE}).")
    int sandboxPort;

    @Option(names = "--mixpanel-port", defaultValue = "8090", description = "Port of the Mixpanel sandbox; a free one if taken (default: ${DEFAULT-VALUE}).")
    int mixpanelPort;

    @Option(names = "--salesforce-port", defaultValue = "8091", description = "Port of the Salesforce sandbox; a free one if taken (default: ${DEFAULT-VALUE}).")
    int salesforcePort;

    @Option(names = "--data-dir", defaultValue = "data/demo", description = "Where the demo's database lives; emptied at start (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--exit", description = "Stop after the two runs instead of serving until Ctrl-C.")
    boolean exit;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        deleteRecursively(dataDir);
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        try (Sandbox simulators = Sandbox.start(new Sandbox.Settings(freeOr(sandboxPort), freeOr(salesforcePort),
                freeOr(mixpanelPort), seed, contacts, true))) {
            HubSpotSimulator sandbox = simulators.hubspot();
            MixpanelSimulator mixpanel = simulators.mixpanel();
            SalesforceSimulator salesforce = simulators.salesforce();
            out.printf("HubSpot sandbox on %s with %d contacts and %d engagements (seed %d)%n", sandbox.baseUrl(),
                    simulators.contacts(), simulators.engagements(), seed);
            out.printf("Mixpanel sandbox on %s with %d profiles (the same people's emails) and %d events a day%n",
                    mixpanel.baseUrl(), simulators.profiles(), simulators.eventsPerDay());
            out.printf("Salesforce sandbox on %s with %d leads and %d contacts (%d also in HubSpot), %d tasks,"
                            + " %d events, %d campaign members%n", salesforce.baseUrl(), simulators.leads(),
                    simulators.salesforceContacts(), simulators.sharedPeople(), simulators.salesforceTasks(),
                    simulators.salesforceEvents(), simulators.campaignMembers());

            Map<String, Object> overrides = new LinkedHashMap<>();
            overrides.put("demo.salesforce-url", salesforce.baseUrl().toString());
            overrides.put("demo.hubspot-url", sandbox.baseUrl().toString());
            overrides.put("demo.mixpanel-url", mixpanel.baseUrl().toString());
            overrides.put("demo.mixpanel-start", today.minus(java.time.Duration.ofDays(14)).toString().substring(0, 10));
            overrides.put("leadsync.database.url", "jdbc:h2:file:" + dataDir.resolve("leadsync").toAbsolutePath());
            overrides.put("micronaut.server.port", freeOr(port));
            // the cron trigger waits for the demo's two runs: one firing during them would take a run of its own
            overrides.put("leadsync.start-schedules", false);
            // the API answers only callers with a token: the demo makes one for this session and prints it
            String token = newToken();
            overrides.put("leadsync.api.tokens", List.of(Map.of("name", "demo", "role", "admin", "token", token)));
            Server server;
            try {
                server = Server.start(config, overrides);
            } catch (Server.StartupFailure e) {
                System.err.println("leadsync cannot start: " + e.getMessage());
                return 2;
            }
            try {
                SyncEngine engine = server.context().getBean(SyncEngine.class);
                String jobName = job != null ? job : engine.jobNames().get(0);
                out.printf("leadsync serving on http://localhost:%d; running job %s now%n%n", server.port(), jobName);

                RunRecord first = engine.runNow(jobName, "demo");
                print(out, "First run", first);
                showScoredContacts(out, sandbox);
                showDemoRequest(out, sandbox);
                showScoredSalesforce(out, salesforce);

                showCompleteness(out, first);

                RunRecord second = engine.runNow(jobName, "demo");
                print(out, "Second run (nothing changed in the CRM)", second);
                boolean eventLanded = showChangeEvent(out, server, sandbox, mixpanel);
                showBudget(out, server);

                out.printf("%nAPI token of this demo (admin): %s%n", token);
                out.printf("Runs: curl -H 'Authorization: Bearer %s' http://127.0.0.1:%d/api/runs%n", token,
                        server.port());
                out.printf("Run again: curl -X POST -H 'Authorization: Bearer %s' http://127.0.0.1:%d/api/jobs/%s/run%n",
                        token, server.port(), jobName);
                boolean firstOk = first.status() == RunStatus.SUCCEEDED || first.status() == RunStatus.PARTIAL;
                boolean secondQuiet = second.message() != null && second.message().contains("pushed nothing");
                if (exit) {
                    return firstOk && secondQuiet && eventLanded ? 0 : 1;
                }
                engine.startSchedules();
                out.println("Serving until Ctrl-C; the sandbox keeps running for the scheduled syncs.");
                server.awaitShutdown();
                return 0;
            } finally {
                server.close();
            }
        }
    }

    /**
     * A change after the runs, as events bring it: a contact's title becomes senior in HubSpot (delivered as HubSpot's
     * property-change webhook names the contact) and the same person requests a demo in the product (recorded in
     * Mixpanel and delivered as a Segment track call carries it). Both go through the ChangeIntake the endpoints use;
     * the event run scores and pushes them, and the demo waits for the score and task in the CRM.
     *
     * @return whether the new score landed in the CRM
     */
    private static boolean showChangeEvent(PrintStream out, Server server, HubSpotSimulator sandbox,
                                           MixpanelSimulator mixpanel) throws InterruptedException {
        var candidate = sandbox.contacts().stream()
                .filter(c -> c.properties().containsKey("leadsync_score") && c.properties().get("email") != null)
                .filter(c -> !c.properties().getOrDefault("leadsync_reasons", "").contains("Senior decision maker")
                        && !c.properties().getOrDefault("leadsync_reasons", "").contains("Requested a demo"))
                .filter(c -> {
                    int score = Integer.parseInt(c.properties().get("leadsync_score"));
                    return score >= 31 && score < 75;
                })
                .max(Comparator.comparingInt(c -> Integer.parseInt(c.properties().get("leadsync_score"))));
        if (candidate.isEmpty()) {
            out.println("\nNo contact suits the change-event part of the demo (a score of 31 to 74); skipped.");
            return true;
        }
        String id = candidate.get().id();
        String email = candidate.get().properties().get("email");
        String before = candidate.get().properties().get("leadsync_score");
        String name = (candidate.get().properties().getOrDefault("firstname", "") + " "
                + candidate.get().properties().getOrDefault("lastname", "")).strip();
        int tasksBefore = sandbox.objects("tasks").size();
        io.leadsync.routes.ChangeIntake intake = server.context().getBean(io.leadsync.routes.ChangeIntake.class);

        long made = System.nanoTime();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        sandbox.updateContact(id, Map.of("jobtitle", "VP of Sales"));
        mixpanel.addEvent("Requested Demo", email, now, "demo-request-" + id, Map.of("$email", email));
        io.leadsync.connector.StreamId events = new io.leadsync.connector.StreamId("mixpanel-main", "events");
        io.leadsync.connector.Activity request = new io.leadsync.connector.Activity(
                new io.leadsync.connector.ExternalId("mixpanel-main", "demo-request-" + id), "demo_request", now,
                new io.leadsync.connector.PersonRef(new io.leadsync.connector.ExternalId("mixpanel-main", email), email),
                Map.of("event", "Requested Demo"));
        io.leadsync.routes.ChangeIntake.Receipt receipt = intake.accept(List.of(
                io.leadsync.connector.Change.of("demo-webhook-" + id, new io.leadsync.connector.StreamId(
                        "hubspot-main", "contacts"), id, io.leadsync.connector.Change.Kind.UPSERTED,
                        sandbox.contact(id).orElseThrow().updatedAt()),
                io.leadsync.connector.Change.carrying("demo-request-" + id,
                        io.leadsync.connector.SourceRecord.of(events, request, now, "{\"event\":\"Requested Demo\"}"))));
        out.printf("%nA change after the runs: %s (HubSpot contact %s, score %s) becomes VP of Sales and requests a"
                + " demo in the product;%n  delivered as a HubSpot webhook and a product event: %d changes accepted%n",
                name, id, before, receipt.accepted());

        long deadline = made + java.time.Duration.ofSeconds(60).toNanos();
        String after = before;
        while (System.nanoTime() < deadline && after.equals(before)) {
            after = sandbox.contact(id).map(c -> c.properties().get("leadsync_score")).orElse(before);
            Thread.sleep(20);
        }
        long millis = (System.nanoTime() - made) / 1_000_000;
        // the task is created in the same push, right after the score
        long taskDeadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (sandbox.objects("tasks").size() == tasksBefore && System.nanoTime() < taskDeadline) {
            Thread.sleep(20);
        }
        if (after.equals(before)) {
            out.printf("  the new score did not reach the CRM within 60 s%n");
            return false;
        }
        var contact = sandbox.contact(id).orElseThrow();
        out.printf("  %.1f s later the CRM shows score %s grade %s  %s%n", millis / 1000.0, after,
                contact.properties().get("leadsync_grade"), abbreviate(contact.properties()
                        .getOrDefault("leadsync_reasons", ""), 110));
        out.printf("  and %d new follow-up task(s) for the rep (the score crossed the task threshold)%n",
                sandbox.objects("tasks").size() - tasksBefore);
        return true;
    }

    private static void print(PrintStream out, String title, RunRecord run) {
        out.printf("%s: run %d %s%n  %s%n", title, run.runId(), run.status(), run.message());
    }

    private void showScoredContacts(PrintStream out, HubSpotSimulator sandbox) {
        var contactsList = sandbox.contacts();
        long scored = contactsList.stream().filter(c -> c.properties().containsKey("leadsync_score")).count();
        out.printf("%nThe sandbox's contacts now carry scores: %d of %d have leadsync_score; %d follow-up tasks created.%n",
                scored, contactsList.size(), sandbox.objects("tasks").size());
        out.println("Top contacts as a rep sees them in the CRM:");
        contactsList.stream()
                .filter(c -> c.properties().containsKey("leadsync_score"))
                .sorted(Comparator.comparingInt((HubSpotSimulator.SimulatedObject c) ->
                        Integer.parseInt(c.properties().get("leadsync_score"))).reversed())
                .limit(5)
                .forEach(c -> out.printf("  %-28s %-30s score %3s grade %s  %s%n",
                        (c.properties().getOrDefault("firstname", "") + " " + c.properties().getOrDefault("lastname", "")).strip(),
                        abbreviate(c.properties().getOrDefault("jobtitle", ""), 30),
                        c.properties().get("leadsync_score"), c.properties().get("leadsync_grade"),
                        abbreviate(c.properties().getOrDefault("leadsync_reasons", ""), 90)));
        // product usage is a Mixpanel signal: it reaches a CRM score only through the profile the two share
        var usage = contactsList.stream()
                .filter(c -> c.properties().getOrDefault("leadsync_reasons", "").contains("Product usage"))
                .toList();
        out.printf("Mixpanel product usage counts in %d contacts' scores%s%n", usage.size(), usage.isEmpty() ? ""
                : ", e.g. " + (usage.get(0).properties().getOrDefault("firstname", "") + " "
                + usage.get(0).properties().getOrDefault("lastname", "")).strip() + " (score "
                + usage.get(0).properties().get("leadsync_score") + "): " + java.util.Arrays.stream(
                        usage.get(0).properties().get("leadsync_reasons").split("; "))
                .filter(reason -> reason.contains("Product usage")).findFirst().orElse(""));
        out.println();
    }

    /** The latest sales-qualified demo request: form submissions and conversion properties in its score. */
    private static void showDemoRequest(PrintStream out, HubSpotSimulator sandbox) {
        sandbox.contacts().stream()
                .filter(c -> "salesqualifiedlead".equals(c.properties().get("lifecyclestage"))
                        && c.properties().getOrDefault("recent_conversion_event_name", "").toLowerCase(
                                java.util.Locale.ROOT).contains("demo")
                        && c.properties().containsKey("leadsync_score"))
                .max(Comparator.comparing(c -> c.properties().getOrDefault("recent_conversion_date", "")))
                .ifPresent(c -> out.printf("A sales-qualified demo request (HubSpot form, %s) as a rep sees it:%n"
                                + "  %-28s %-30s score %3s grade %s  %s%n%n",
                        c.properties().get("recent_conversion_date").substring(0, 10),
                        (c.properties().getOrDefault("firstname", "") + " " + c.properties().getOrDefault("lastname",
                                "")).strip(), abbreviate(c.properties().getOrDefault("jobtitle", ""), 30),
                        c.properties().get("leadsync_score"), c.properties().get("leadsync_grade"),
                        c.properties().getOrDefault("leadsync_reasons", "")));
    }

    private void showScoredSalesforce(PrintStream out, SalesforceSimulator salesforce) {
        java.util.List<Map<String, Object>> people = new java.util.ArrayList<>(salesforce.records("Lead"));
        people.addAll(salesforce.records("Contact"));
        long scored = people.stream().filter(p -> p.get("Lead_Score__c") != null).count();
        long tasks = salesforce.records("Task").stream().filter(t -> "Not Started".equals(t.get("Status"))).count();
        out.printf("Salesforce leads and contacts now carry scores: %d of %d have Lead_Score__c; %d follow-up tasks"
                + " created (%d composite calls in all).%n", scored, people.size(), tasks, salesforce.collectionCalls());
        out.println("Top Salesforce leads as a rep sees them:");
        salesforce.records("Lead").stream()
                .filter(p -> p.get("Lead_Score__c") != null)
                .sorted(Comparator.comparingDouble((Map<String, Object> p) ->
                        Double.parseDouble(p.get("Lead_Score__c").toString())).reversed())
                .limit(5)
                .forEach(p -> out.printf("  %-28s %-30s score %3s grade %s  %s%n",
                        (p.getOrDefault("FirstName", "") + " " + p.getOrDefault("LastName", "")).strip(),
                        abbreviate(String.valueOf(p.getOrDefault("Title", "")), 30),
                        new java.math.BigDecimal(p.get("Lead_Score__c").toString()).toPlainString(),
                        p.get("Lead_Grade__c"), abbreviate(String.valueOf(p.getOrDefault("Score_Reasons__c", "")), 90)));
        out.println();
    }

    /** Each stream's read against the vendor's own count of the window it covered. */
    @SuppressWarnings("unchecked")
    private static void showCompleteness(PrintStream out, RunRecord run) {
        Map<String, Object> streams = (Map<String, Object>) io.leadsync.app.api.RunViews.run(run).get("completeness");
        out.println("Completeness of the first run (each vendor's own count of the window read, against the store):");
        streams.forEach((stream, value) -> {
            Map<String, Object> check = (Map<String, Object>) value;
            if ("UNCOUNTED".equals(check.get("status"))) {
                out.printf("  %-34s UNCOUNTED: %s%n", stream, check.get("reason"));
            } else {
                out.printf("  %-34s %s counts %s,%s the store holds %s, %s refused: %s%n", stream,
                        check.get("method"), check.get("vendor"), check.containsKey("skipped")
                                ? " " + check.get("skipped") + " skipped by design," : "",
                        check.get("stored"), check.get("rejected"), check.get("status"));
            }
        });
        out.println();
    }

    /** Calls used today per vendor against the daily allowance, and the next run's forecast. */
    private static void showBudget(PrintStream out, Server server) {
        out.println("\nAPI budget (GET /api/budget):");
        for (io.leadsync.app.ops.ConnectorOps.Budget budget : server.context()
                .getBean(io.leadsync.app.ops.ConnectorOps.class).budgets(true)) {
            out.printf("  %-16s %d calls today (%s); next run about %s calls %s; %d calls a run on average,"
                            + " %d a day on the schedule%n", budget.connector(), budget.usedToday(),
                    budget.dailyAllowance() == null ? "no daily allowance set"
                            : "of " + budget.dailyAllowance() + " a day", budget.nextRun(),
                    budget.nextRunDetail(), budget.averagePerRun(), budget.projectedDaily());
            budget.warnings().forEach(warning -> out.println("    warning: " + warning));
        }
    }

    private static String abbreviate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }

    /** The port if it is free on localhost, else an ephemeral free one. */
    static int freeOr(int preferred) {
        try (ServerSocket socket = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
            return preferred;
        } catch (IOException taken) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on localhost", e);
            }
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

    /** 24 random bytes as hex: a token nobody can guess, made anew at each demo start. */
    static String newToken() {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
