package io.leadsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.sandbox.Sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The real service as a separate JVM ({@code java -jar leadsync.jar serve}) on an H2 file, pointed at a
 * {@link Sandbox}: started, asked to run over its HTTP API with a token, killed ({@code SIGKILL}, as {@code kill -9})
 * or stopped ({@code SIGTERM}), and started again on the same database.
 */
public final class ServiceProcess implements AutoCloseable {
    public static final String TOKEN = "fault-suite-token-5b2d7e01c9a4";
    /** The Mixpanel events the config maps to activity types; others are skipped by design. */
    public static final java.util.Set<String> MAPPED_EVENTS = java.util.Set.of("Viewed Pricing", "Requested Demo", "API Call",
            "Feature Used", "Invited Teammate", "Signed Up", "Viewed Docs");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path jar;
    private final Path dir;
    private final Path config;
    private final int port;
    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Path> logs = new ArrayList<>();
    private Process process;
    private Path slowStop;

    /**
     * @param jar  app/target/leadsync.jar
     * @param repo the repository root (for the scoring model)
     * @param dir  the trial's folder: config, database and logs
     */
    public ServiceProcess(Path jar, Path repo, Path dir, Sandbox sandbox) throws IOException {
        this(jar, repo, dir, sandbox, Options.faultSuite());
    }

    /**
     * How the service runs.
     *
     * @param jvmArgs         the service JVM's options (heap, collector, a flight recording)
     * @param databaseUrl     the store's JDBC URL (a PostgreSQL one as user postgres), or null for an H2 file in the
     *                        trial's folder
     * @param hubspotPageSize HubSpot's search page size (200 is HubSpot's largest)
     * @param model           the scoring model file, or null for the repository's default model
     * @param cluster         this instance's place in a cluster on the PostgreSQL of {@code databaseUrl}, or null for
     *                        one process with its schedules held
     * @param events          the change-event receivers to set up, or null for none configured
     */
    public record Options(List<String> jvmArgs, String databaseUrl, int hubspotPageSize, Path model,
                          Cluster cluster, Events events) {
        public Options(List<String> jvmArgs, String databaseUrl, int hubspotPageSize, Path model) {
            this(jvmArgs, databaseUrl, hubspotPageSize, model, null, null);
        }

        public Options(List<String> jvmArgs, String databaseUrl, int hubspotPageSize, Path model, Cluster cluster) {
            this(jvmArgs, databaseUrl, hubspotPageSize, model, cluster, null);
        }

        public Options withEvents(Events value) {
            return new Options(jvmArgs, databaseUrl, hubspotPageSize, model, cluster, value);
        }

        /** The fault suite's: a small heap and small pages, so that kills land between many pages. */
        public static Options faultSuite() {
            return new Options(List.of("-Xmx512m", "-XX:+UseSerialGC"), null, 50, null);
        }
    }

    /**
     * One instance of a cluster ({@code leadsync.cluster.enabled}): its node id, the job's cron (its triggers start
     * with the process), the lease's time to live and the cluster's check-in interval.
     */
    public record Cluster(String nodeId, String schedule, Duration leaseTtl, Duration checkinInterval) {
    }

    /**
     * The three change-event receivers, as an admin sets them up: HubSpot webhooks at
     * {@code /webhooks/hubspot/hubspot-main} checked with the app's client secret, Salesforce Change Data Capture over
     * the simulator's Pub/Sub API (plaintext), and a Segment-compatible intake {@value #SEGMENT_SOURCE} at
     * {@code /v1/...} with its write key, in the job; {@code debounce} is {@code leadsync.events.debounce}.
     */
    public record Events(String hubspotClientSecret, String pubSubHost, int pubSubPort, String segmentWriteKey,
                         Duration debounce) {
        public static final String SEGMENT_SOURCE = "app-events";
    }

    public ServiceProcess(Path jar, Path repo, Path dir, Sandbox sandbox, Options options) throws IOException {
        this.jar = jar;
        this.options = options;
        this.dir = Files.createDirectories(dir);
        this.port = freePort();
        this.config = dir.resolve("leadsync.yml");
        Files.writeString(config, config(repo, sandbox));
    }

    public Path database() {
        return dir.resolve("db/leadsync");
    }

    private String databaseUrl() {
        return options.databaseUrl() != null ? options.databaseUrl() : "jdbc:h2:file:" + database();
    }

    private String config(Path repo, Sandbox sandbox) {
        Events events = options.events();
        String mixpanelStart = LocalDate.now(ZoneOffset.UTC).minusDays(14).toString();
        return """
                micronaut:
                  server:
                    port: %d
                leadsync:
                %s  database:
                    url: "%s"
                    user: %s
                  scoring:
                    model: %s
                    reload-interval: 0s
                  api:
                    tokens:
                      - {name: fault-suite, role: admin, token: %s}
                  runs:
                    lease-ttl: %s
                    shutdown-grace: 5s
                %ssync:
                  connectors:
                    hubspot-main:
                      type: hubspot
                      base-url: %s
                      token: sandbox-token
                      read:
                        streams: [contacts, emails, meetings, calls, email_events]
                        page-size: %d
                      write:
                        tasks:
                          enabled: true
                %s    salesforce-main:
                      type: salesforce
                      login-url: %s
                      auth:
                        flow: password
                        client-id: sandbox-client
                        client-secret: sandbox-secret
                        username: integration@leadsync.example
                        password: sandbox-password
                      read:
                        streams: [leads, contacts, tasks, events, campaign_members]
                      write:
                        fields:
                          score: Lead_Score__c
                          grade: Lead_Grade__c
                          reasons: Score_Reasons__c
                          model-version: Score_Model__c
                        tasks:
                          enabled: true
                %s    mixpanel-main:
                      type: mixpanel
                      export-url: %s/api/2.0
                      query-url: %s/api/query
                      project-id: "2195193"
                      service-account-user: leadsync-sa.mp-service-account
                      service-account-secret: mp-sandbox-secret
                      read:
                        streams: [profiles, events]
                        start-date: %s
                        events:
                          - {name: Viewed Pricing, type: pricing_page_view}
                          - {name: Requested Demo, type: demo_request}
                          - {name: API Call, type: product_usage}
                          - {name: Feature Used, type: product_usage}
                          - {name: Invited Teammate, type: product_usage}
                          - {name: Signed Up, type: form_submit}
                          - {name: Viewed Docs, type: page_view}
                        profile-properties: [plan]
                %s  jobs:
                    full-sync:
                      connectors: [hubspot-main, salesforce-main, mixpanel-main%s]
                %s      tasks:
                        due-in: 1d
                        priority: HIGH
                """.formatted(port, leadsyncLines(), databaseUrl(), options.databaseUrl() == null ? "sa" : "postgres", options.model() != null ? options.model()
                        : repo.resolve("config/scoring/default-model.yml"), TOKEN,
                options.cluster() == null ? "20s" : options.cluster().leaseTtl().toMillis() + "ms",
                events == null ? "" : "  events:\n    debounce: " + events.debounce().toMillis() + "ms\n",
                sandbox.hubspot().baseUrl(), options.hubspotPageSize(),
                events == null ? "" : "      webhook:\n        client-secret: " + events.hubspotClientSecret() + "\n",
                sandbox.salesforce().baseUrl(),
                events == null ? "" : "      cdc:\n        enabled: true\n        pubsub-host: " + events.pubSubHost()
                        + "\n        pubsub-port: " + events.pubSubPort() + "\n        plaintext: true\n",
                sandbox.mixpanel().baseUrl(), sandbox.mixpanel().baseUrl(), mixpanelStart,
                events == null ? "" : "    " + Events.SEGMENT_SOURCE + ":\n      type: segment\n      write-key: "
                        + events.segmentWriteKey() + "\n      read:\n        streams: [persons, events]\n"
                        + "        events:\n          - {name: Requested Demo, type: demo_request}\n",
                events == null ? "" : ", " + Events.SEGMENT_SOURCE,
                options.cluster() == null ? ""
                        : "      schedule: \"" + options.cluster().schedule() + "\"\n");
    }

    /** The {@code leadsync} block's first lines: schedules held, or this instance's place in the cluster. */
    private String leadsyncLines() {
        Cluster cluster = options.cluster();
        if (cluster == null) {
            return "  start-schedules: false\n";
        }
        return "  start-schedules: true\n  node-id: " + cluster.nodeId() + "\n  cluster:\n    enabled: true\n"
                + "    checkin-interval: " + cluster.checkinInterval().toMillis() + "ms\n";
    }

    /** Starts the service and waits until {@code /health} answers UP. */
    public void start() throws IOException, InterruptedException {
        Path log = dir.resolve("service-" + (logs.size() + 1) + ".log");
        logs.add(log);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options.jvmArgs());
        command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString()));
        process = new ProcessBuilder(command)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + " at start; see "
                        + log + ":\n" + tail(log));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(url("/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not answer /health within 120 s; see " + log);
    }

    /** Starts a run in the background (202). */
    public void trigger() throws IOException, InterruptedException {
        HttpResponse<String> response = send("POST", "/api/jobs/full-sync/run", Duration.ofSeconds(30));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("POST run answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Runs the job and waits for the finished run: its JSON view (status, message, counts). */
    public JsonNode runAndWait() throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = send("POST", "/api/jobs/full-sync/run?wait=true", Duration.ofMinutes(6));
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IllegalStateException("a run did not end within 6 minutes; thread dumps in " + dumpThreads(), e);
        }
        if (response.statusCode() != 200 && response.statusCode() != 409) {
            throw new IllegalStateException("POST run?wait answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Starts a run and polls it until it ends, calling {@code whileRunning} after each poll (to sample the service);
     * the finished run's JSON view.
     */
    public JsonNode runAndPoll(Duration timeout, Runnable whileRunning) throws IOException, InterruptedException {
        HttpResponse<String> started = send("POST", "/api/jobs/full-sync/run", Duration.ofSeconds(30));
        if (started.statusCode() != 202) {
            throw new IllegalStateException("POST run answered " + started.statusCode() + ": " + started.body());
        }
        long runId = JSON.readTree(started.body()).path("runId").asLong();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            whileRunning.run();
            JsonNode run = JSON.readTree(get("/api/runs/" + runId));
            if (!"RUNNING".equals(run.path("status").asText())) {
                return run;
            }
        }
        throw new IllegalStateException("run " + runId + " did not end within " + timeout + "; thread dumps in "
                + dumpThreads());
    }

    /** POST (no body) to a path of the service's HTTP API, with the token; the body (an error unless 200). */
    public String post(String path) throws IOException, InterruptedException {
        return call("POST", path);
    }

    /** GET of a path of the service's HTTP API, with the token; the body (an error unless 200). */
    public String get(String path) throws IOException, InterruptedException {
        return call("GET", path);
    }

    /** PUT of a JSON body to a path of the service's HTTP API, with the token; the answer's body (200 expected). */
    public String put(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private String call(String method, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, Duration.ofSeconds(60));
        if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private HttpResponse<String> send(String method, String path, Duration timeout)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url(path)).timeout(timeout)
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Thread dumps of the service (jcmd) and of this JVM (the simulators), into the trial's folder. */
    public Path dumpThreads() {
        Path file = dir.resolve("threads-" + System.currentTimeMillis() + ".txt");
        StringBuilder dump = new StringBuilder("== the service\n");
        try {
            if (process != null && process.isAlive()) {
                Process jcmd = new ProcessBuilder("jcmd", Long.toString(process.pid()), "Thread.print")
                        .redirectErrorStream(true).start();
                dump.append(new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                jcmd.waitFor();
            }
        } catch (IOException | InterruptedException e) {
            dump.append("(jcmd failed: ").append(e).append(")\n");
        }
        dump.append("\n== the simulators' JVM\n");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        try {
            Files.writeString(file, dump);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** {@code kill -9}: the process ends at once, with no shutdown hook. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /**
     * {@code kill} (SIGTERM): a graceful stop; returns how long the process took to end. A process still alive after
     * 60 s is killed; one still alive after 20 s has its threads dumped first (see {@link #slowStopThreads()}).
     */
    public Duration stop() throws InterruptedException {
        long started = System.nanoTime();
        slowStop = null;
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                // far past any grace: keep what the service's threads are doing, so a slow stop can be explained
                slowStop = dumpThreads();
                if (!process.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            }
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * After a {@link #stop()} that took more than 20 s: the service's threads then that were in leadsync's code, in a
     * shutdown hook or in the database (the full dump is in the trial's folder); null after a prompt stop.
     */
    public String slowStopThreads() throws IOException {
        if (slowStop == null) {
            return null;
        }
        String dump = Files.readString(slowStop);
        String service = dump.substring(0, Math.max(0, dump.indexOf("\n== the simulators' JVM")));
        StringBuilder kept = new StringBuilder("threads of the service 20 s after SIGTERM (" + slowStop + "):\n");
        for (String block : service.split("\n\n")) {
            if (block.contains("io.leadsync") || block.contains("org.h2") || block.contains("hutdown")
                    || block.contains("DestroyJavaVM")) {
                kept.append(block).append("\n\n");
            }
        }
        return kept.toString();
    }

    /** The CPU time the service process has used so far (all its threads), zero if not known. */
    public Duration cpuTime() {
        return process == null ? Duration.ZERO : process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** Everything the service processes of this trial printed. */
    public String output() {
        StringBuilder all = new StringBuilder();
        for (Path log : logs) {
            try {
                all.append(Files.readString(log));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }

    /** The address of a path on the service's HTTP port (for receivers, which take no API token). */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
