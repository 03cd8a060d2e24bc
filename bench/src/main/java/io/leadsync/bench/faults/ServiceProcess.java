package io.leadsync.bench.faults;

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
final class ServiceProcess implements AutoCloseable {
    static final String TOKEN = "fault-suite-token-5b2d7e01c9a4";
    /** The Mixpanel events the config maps to activity types; others are skipped by design. */
    static final java.util.Set<String> MAPPED_EVENTS = java.util.Set.of("Viewed Pricing", "Requested Demo", "API Call",
            "Feature Used", "Invited Teammate", "Signed Up", "Viewed Docs");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path jar;
    private final Path dir;
    private final Path config;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Path> logs = new ArrayList<>();
    private Process process;

    /**
     * @param jar  app/target/leadsync.jar
     * @param repo the repository root (for the scoring model)
     * @param dir  the trial's folder: config, database and logs
     */
    ServiceProcess(Path jar, Path repo, Path dir, Sandbox sandbox) throws IOException {
        this.jar = jar;
        this.dir = Files.createDirectories(dir);
        this.port = freePort();
        this.config = dir.resolve("leadsync.yml");
        Files.writeString(config, config(repo, sandbox));
    }

    Path database() {
        return dir.resolve("db/leadsync");
    }

    private String config(Path repo, Sandbox sandbox) {
        String mixpanelStart = LocalDate.now(ZoneOffset.UTC).minusDays(14).toString();
        return """
                micronaut:
                  server:
                    port: %d
                leadsync:
                  start-schedules: false
                  database:
                    url: jdbc:h2:file:%s
                  scoring:
                    model: %s
                    reload-interval: 0s
                  api:
                    tokens:
                      - {name: fault-suite, role: admin, token: %s}
                  runs:
                    lease-ttl: 20s
                    shutdown-grace: 5s
                sync:
                  connectors:
                    hubspot-main:
                      type: hubspot
                      base-url: %s
                      token: sandbox-token
                      read:
                        streams: [contacts, emails, meetings, calls, email_events]
                        page-size: 50
                      write:
                        tasks:
                          enabled: true
                    salesforce-main:
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
                    mixpanel-main:
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
                  jobs:
                    full-sync:
                      connectors: [hubspot-main, salesforce-main, mixpanel-main]
                      tasks:
                        due-in: 1d
                        priority: HIGH
                """.formatted(port, database(), repo.resolve("config/scoring/default-model.yml"), TOKEN,
                sandbox.hubspot().baseUrl(), sandbox.salesforce().baseUrl(), sandbox.mixpanel().baseUrl(),
                sandbox.mixpanel().baseUrl(), mixpanelStart);
    }

    /** Starts the service and waits until {@code /health} answers UP. */
    void start() throws IOException, InterruptedException {
        Path log = dir.resolve("service-" + (logs.size() + 1) + ".log");
        logs.add(log);
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-jar", jar.toString(), "serve",
                "--config", config.toString())
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
    void trigger() throws IOException, InterruptedException {
        HttpResponse<String> response = send("POST", "/api/jobs/full-sync/run", Duration.ofSeconds(30));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("POST run answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Runs the job and waits for the finished run: its JSON view (status, message, counts). */
    JsonNode runAndWait() throws IOException, InterruptedException {
        HttpResponse<String> response = send("POST", "/api/jobs/full-sync/run?wait=true", Duration.ofMinutes(15));
        if (response.statusCode() != 200 && response.statusCode() != 409) {
            throw new IllegalStateException("POST run?wait answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, Duration timeout)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url(path)).timeout(timeout)
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code kill -9}: the process ends at once, with no shutdown hook. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** {@code kill} (SIGTERM): a graceful stop; returns how long the process took to end. */
    Duration stop() throws InterruptedException {
        long started = System.nanoTime();
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Everything the service processes of this trial printed. */
    String output() {
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

    private URI url(String path) {
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
