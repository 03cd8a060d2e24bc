package io.leadsync.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.app.cli.Server;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The service as an operator uses it: HTTP API over the whole pipeline against the HubSpot simulator. */
class LeadsyncApiIT {
    private static final String TOKEN = "pat-eu1-0f3c-secret-9a7e";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private HubSpotSimulator hubspot;
    private Server server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits()
                .withTokens(Set.of(TOKEN)));
        hubspot.seed(new SandboxDataGenerator(3).generate(120, Instant.now()));
        Path config = AppFixture.config(dir, hubspot.baseUrl().toString(), "${TEST_HUBSPOT_TOKEN}",
                "jdbc:h2:file:" + dir.resolve("db/leadsync"), "0 0 3 * * ?");
        server = Server.start(config, Map.of("micronaut.server.port", 0, "TEST_HUBSPOT_TOKEN", TOKEN));
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (server != null) {
            server.close();
        }
        hubspot.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + AppFixture.ADMIN_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + AppFixture.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void reportsHealthWithItsJobs() throws Exception {
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("database").asText()).isEqualTo("UP");
        assertThat(body.path("jobs").toString()).isEqualTo("[\"full-sync\"]");
    }

    @Test
    void runsAJobOnDemandAndReportsItsCountsPerStage() throws Exception {
        HttpResponse<String> started = post("/api/jobs/full-sync/run");
        assertThat(started.statusCode()).isEqualTo(202);
        long runId = JSON.readTree(started.body()).path("runId").asLong();

        await().atMost(Duration.ofSeconds(60)).until(() -> !JSON.readTree(get("/api/runs/" + runId).body())
                .path("status").asText().equals("RUNNING"));
        JsonNode run = JSON.readTree(get("/api/runs/" + runId).body());

        assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.path("trigger").asText()).isEqualTo("api:test-admin");
        assertThat(run.path("counts").path("pull").path("hubspot-main/contacts").path("received").asInt()).isEqualTo(120);
        assertThat(run.path("counts").path("push").path("hubspot-main").path("written").asInt()).isEqualTo(120);
        assertThat(run.path("counts").path("score").path("all").path("profiles").asInt()).isPositive();
        assertThat(run.path("timingsMillis").path("total").asLong()).isPositive();
        assertThat(run.path("message").asText()).contains("pushed 120 records");
        assertThat(hubspot.contacts()).allSatisfy(c -> assertThat(c.properties()).containsKey("leadsync_score"));

        JsonNode runs = JSON.readTree(get("/api/runs?job=full-sync&limit=5").body());
        assertThat(runs.get(0).path("runId").asLong()).isEqualTo(runId);
        assertThat(JSON.readTree(get("/api/runs/" + runId + "/dead-letters").body()).size()).isZero();
    }

    @Test
    void waitsForTheRunWhenAskedAndThenPushesNothingTheSecondTime() throws Exception {
        HttpResponse<String> first = post("/api/jobs/full-sync/run?wait=true");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).path("status").asText()).isEqualTo("SUCCEEDED");

        JsonNode second = JSON.readTree(post("/api/jobs/full-sync/run?wait=true").body());

        assertThat(second.path("message").asText()).contains("pushed nothing: every CRM value is already current");
        assertThat(second.path("counts").path("push").path("hubspot-main").path("written").asInt()).isZero();
    }

    @Test
    void refusesASecondRunWhileOneIsUnderWay() throws Exception {
        hubspot.faults().add(FaultRule.rateLimit().withCount(2));
        HttpResponse<String> first = post("/api/jobs/full-sync/run");
        long runId = JSON.readTree(first.body()).path("runId").asLong();

        HttpResponse<String> second = post("/api/jobs/full-sync/run");

        assertThat(second.statusCode()).isEqualTo(409);
        JsonNode body = JSON.readTree(second.body());
        assertThat(body.path("runningRunId").asLong()).isEqualTo(runId);
        assertThat(body.path("message").asText()).contains("run " + runId + " of job full-sync is under way");
        await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(get("/api/runs/" + runId).body())
                .path("status").asText().equals("SUCCEEDED"));
    }

    @Test
    void answersAnUnknownJobWith404NamingTheConfiguredOnes() throws Exception {
        HttpResponse<String> response = post("/api/jobs/nightly/run");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).path("message").asText())
                .isEqualTo("no job named 'nightly'; configured jobs are [full-sync]");
    }

    @Test
    void neverShowsTheTokenInResponsesOrLogs() throws Exception {
        post("/api/jobs/full-sync/run?wait=true");
        for (String path : new String[] {"/health", "/api/jobs", "/api/runs", "/api/runs/1", "/api/runs/1/dead-letters"}) {
            assertThat(get(path).body()).as(path).doesNotContain(TOKEN);
        }
        assertThat(logs.list).isNotEmpty().allSatisfy(event ->
                assertThat(event.getFormattedMessage()).doesNotContain(TOKEN));
    }

    @Test
    void listsItsJobsWithScheduleAndConnectors() throws Exception {
        JsonNode jobs = JSON.readTree(get("/api/jobs").body());
        assertThat(jobs.get(0).path("name").asText()).isEqualTo("full-sync");
        assertThat(jobs.get(0).path("schedule").asText()).isEqualTo("0 0 3 * * ?");
        assertThat(jobs.get(0).path("sources").toString()).isEqualTo("[\"hubspot-main\"]");
        assertThat(jobs.get(0).path("sinks").toString()).isEqualTo("[\"hubspot-main\"]");
    }
}
