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
            overrides.put("demo.salesforce-pubsub-host", salesforce.pubSub().host());
            overrides.put("demo.salesforce-pubsub-port", salesforce.pubSub().port());
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
                boolean eventLanded = showChangeEvents(out, server, sandbox, salesforce);
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
     * Changes after the runs, each delivered the way its vendor delivers it: a HubSpot contact's title becomes senior
     * (the simulator sends HubSpot's signed property-change webhook to {@code POST /webhooks/hubspot/hubspot-main}),
     * the same person requests a demo in the product (a Segment {@code track} call to {@code POST /v1/track} with the
     * write key), and a Salesforce lead's title becomes senior (a change event over the Pub/Sub API, which the
     * Salesforce connector subscribes to). The demo waits for the new scores and the task in both CRMs.
     *
     * @return whether the new scores landed in both CRMs
     */
    private static boolean showChangeEvents(PrintStream out, Server server, HubSpotSimulator hubspot,
                                            SalesforceSimulator salesforce) throws Exception {
        var candidate = hubspot.contacts().stream()
                .filter(c -> c.properties().containsKey("leadsync_score") && c.properties().get("email") != null)
                .filter(c -> !c.properties().getOrDefault("leadsync_reasons", "").contains("Senior decision maker")
                        && !c.properties().getOrDefault("leadsync_reasons", "").contains("Requested a demo"))
                .filter(c -> {
                    int score = Integer.parseInt(c.properties().get("leadsync_score"));
                    return score >= 31 && score < 75;
                })
                .max(Comparator.comparingInt(c -> Integer.parseInt(c.properties().get("leadsync_score"))));
        var lead = salesforce.records("Lead").stream()
                .filter(l -> l.get("Lead_Score__c") != null && !String.valueOf(l.get("Score_Reasons__c"))
                        .contains("Senior decision maker"))
                .filter(l -> {
                    double score = Double.parseDouble(String.valueOf(l.get("Lead_Score__c")));
                    return score >= 31 && score < 75;
                })
                .findFirst();
        if (candidate.isEmpty() || lead.isEmpty()) {
            out.println("\nNo contact or lead suits the change-event part of the demo (a score of 31 to 74); skipped.");
            return true;
        }
        String id = candidate.get().id();
        String email = candidate.get().properties().get("email");
        String before = candidate.get().properties().get("leadsync_score");
        String name = (candidate.get().properties().getOrDefault("firstname", "") + " "
                + candidate.get().properties().getOrDefault("lastname", "")).strip();
        String leadId = String.valueOf(lead.get().get("Id"));
        String leadBefore = String.valueOf(lead.get().get("Lead_Score__c"));
        String leadName = (lead.get().getOrDefault("FirstName", "") + " " + lead.get().getOrDefault("LastName", ""))
                .strip();
        int tasksBefore = hubspot.objects("tasks").size();
        // HubSpot sends webhooks once an app subscribes a target URL (as in its developer portal)
        hubspot.webhooks().configure(io.leadsync.sandbox.hubspot.HubSpotWebhookSender.Settings.of(java.net.URI.create(
                "http://127.0.0.1:" + server.port() + "/webhooks/hubspot/hubspot-main"),
                io.leadsync.sandbox.hubspot.HubSpotWebhookSender.DEFAULT_CLIENT_SECRET));

        long made = System.nanoTime();
        hubspot.updateContact(id, Map.of("jobtitle", "VP of Sales"));
        int tracked = track(server.port(), email, "demo-request-" + id);
        salesforce.update("Lead", leadId, Map.of("Title", "VP of Sales"));
        out.printf("%nChanges after the runs, each delivered as its vendor delivers it:%n"
                + "  HubSpot: %s (contact %s, score %s) becomes VP of Sales: the simulator sends its signed webhook%n"
                + "  product: %s requests a demo: a Segment track call to /v1/track answered %d%n"
                + "  Salesforce: lead %s (%s, score %s) becomes VP of Sales: a change event over the Pub/Sub API%n",
                name, id, before, name, tracked, leadName, leadId, leadBefore);

        long deadline = made + java.time.Duration.ofSeconds(60).toNanos();
        String after = before;
        String leadAfter = leadBefore;
        long hubspotMillis = -1;
        long salesforceMillis = -1;
        while (System.nanoTime() < deadline && (hubspotMillis < 0 || salesforceMillis < 0)) {
            if (hubspotMillis < 0) {
                after = hubspot.contact(id).map(c -> c.properties().get("leadsync_score")).orElse(before);
                if (!after.equals(before)) {
                    hubspotMillis = (System.nanoTime() - made) / 1_000_000;
                }
            }
            if (salesforceMillis < 0) {
                leadAfter = salesforce.record("Lead", leadId).map(l -> String.valueOf(l.get("Lead_Score__c")))
                        .orElse(leadBefore);
                if (!leadAfter.equals(leadBefore)) {
                    salesforceMillis = (System.nanoTime() - made) / 1_000_000;
                }
            }
            Thread.sleep(20);
        }
        // the task is created in the same push, right after the score
        long taskDeadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (hubspot.objects("tasks").size() == tasksBefore && System.nanoTime() < taskDeadline) {
            Thread.sleep(20);
        }
        if (hubspotMillis < 0) {
            out.printf("  the new HubSpot score did not reach the CRM within 60 s%n");
        } else {
            var contact = hubspot.contact(id).orElseThrow();
            out.printf("  %.1f s later HubSpot shows score %s grade %s  %s%n", hubspotMillis / 1000.0, after,
                    contact.properties().get("leadsync_grade"), abbreviate(contact.properties()
                            .getOrDefault("leadsync_reasons", ""), 110));
            out.printf("  and %d new follow-up task(s) for the rep (the score crossed the task threshold)%n",
                    hubspot.objects("tasks").size() - tasksBefore);
        }
        if (salesforceMillis < 0) {
            out.printf("  the new Salesforce score did not reach the CRM within 60 s%n");
        } else {
            var record = salesforce.record("Lead", leadId).orElseThrow();
            out.printf("  %.1f s later Salesforce shows lead %s with score %s grade %s%n", salesforceMillis / 1000.0,
                    leadId, leadAfter, record.get("Lead_Grade__c"));
        }
        return hubspotMillis >= 0 && salesforceMillis >= 0;
    }

    /** A Segment {@code track} call to the service's intake, as an app's backend sends it; the HTTP status. */
    private static int track(int port, String email, String messageId) throws Exception {
        String body = "{\"userId\":" + quote(email) + ",\"event\":\"Requested Demo\",\"messageId\":" + quote(messageId)
                + ",\"properties\":{\"email\":" + quote(email) + "},\"timestamp\":\"" + Instant.now() + "\"}";
        String key = java.util.Base64.getEncoder().encodeToString((DEMO_WRITE_KEY + ":")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/v1/track"))
                .header("Authorization", "Basic " + key).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        return java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The write key of the demo's Segment-compatible intake ({@code product-events} in config/demo.yml). */
    static final String DEMO_WRITE_KEY = "sandbox-segment-write-key";

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
