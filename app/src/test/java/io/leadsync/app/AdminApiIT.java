package io.leadsync.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.app.cli.Server;
import io.leadsync.routes.SyncEngine;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API as an operator uses it, over HTTP against the HubSpot simulator: every endpoint, its roles, its
 * answers to bad input and unknown ids, and the OpenAPI document that describes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONTACTS = 60;

    private Path dir;
    private HubSpotSimulator hubspot;
    private Server server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("admin-api");
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        hubspot.seed(new SandboxDataGenerator(23).generate(CONTACTS, Instant.now()));
        Path config = AppFixture.config(dir, hubspot.baseUrl().toString(), HubSpotSimulator.Options.DEFAULT_TOKEN,
                "jdbc:h2:file:" + dir.resolve("db/leadsync"), "0 * * * * ?");
        Files.writeString(config, Files.readString(config).replace("      type: hubspot\n",
                "      type: hubspot\n      daily-call-budget: 1000\n"));
        server = Server.start(config, Map.of("micronaut.server.port", 0));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        hubspot.close();
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        return AppFixture.call(http, server.port(), method, path, token, body);
    }

    private JsonNode read(String path) throws Exception {
        HttpResponse<String> response = call("GET", path, AppFixture.READ_TOKEN, null);
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> response = call(method, path, AppFixture.ADMIN_TOKEN, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    @Order(1)
    void aDryRunReportsWhatItWouldWriteAndTheCallsAndWritesNothing() throws Exception {
        JsonNode dry = admin("POST", "/api/jobs/full-sync/dry-run", null);

        assertThat(dry.path("mode").asText()).isEqualTo("dry-run");
        assertThat(dry.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(dry.path("trigger").asText()).isEqualTo("dry-run:api:test-admin");
        assertThat(dry.path("counts").path("push").path("hubspot-main").path("wouldWrite").asInt()).isEqualTo(CONTACTS);
        assertThat(dry.path("counts").path("push").path("hubspot-main").path("wouldCall").asInt()).isPositive();
        assertThat(dry.path("counts").path("calls").path("hubspot-main").path("attempts").asInt()).isPositive();
        assertThat(dry.path("message").asText()).startsWith("dry run:");
        assertThat(hubspot.requestCount("POST", "/crm/v3/objects/contacts/batch/update")).isZero();
        assertThat(hubspot.contacts()).noneMatch(c -> c.properties().containsKey("leadsync_score"));
        assertThat(read("/api/profiles?q=a").size()).as("no profile kept").isZero();
    }

    @Test
    @Order(2)
    void aRunsDetailHasCountsPerStageAndStreamTimingsAndCompleteness() throws Exception {
        JsonNode run = admin("POST", "/api/jobs/full-sync/run?wait=true", null);
        long id = run.path("runId").asLong();

        JsonNode detail = read("/api/runs/" + id);

        assertThat(detail.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(detail.path("counts").path("pull").path("hubspot-main/contacts").path("received").asInt())
                .isEqualTo(CONTACTS);
        assertThat(detail.path("timingsMillis").path("total").asLong()).isPositive();
        JsonNode contacts = detail.path("completeness").path("hubspot-main/contacts");
        assertThat(contacts.path("vendor").asInt()).isEqualTo(CONTACTS);
        assertThat(contacts.path("stored").asInt()).isEqualTo(CONTACTS);
        assertThat(contacts.path("status").asText()).isEqualTo("COMPLETE");
        assertThat(contacts.path("method").asText()).isEqualTo("HubSpot search total");
        assertThat(read("/api/runs?limit=5").get(0).path("runId").asLong()).isEqualTo(id);
    }

    @Test
    @Order(3)
    void connectorsShowTypeStreamsStatusLastSuccessAndBudgetAndCanBeChecked() throws Exception {
        JsonNode list = read("/api/connectors");
        JsonNode hubspotMain = list.get(0);
        assertThat(hubspotMain.path("name").asText()).isEqualTo("hubspot-main");
        assertThat(hubspotMain.path("type").asText()).isEqualTo("hubspot");
        assertThat(hubspotMain.path("streams").toString()).contains("contacts", "emails");
        assertThat(hubspotMain.path("lastSuccess").asText()).isNotBlank();
        assertThat(hubspotMain.path("budget").path("usedToday").asLong()).isPositive();
        assertThat(hubspotMain.path("budget").path("dailyAllowance").asLong()).isEqualTo(1000);

        JsonNode check = admin("POST", "/api/connectors/hubspot-main/check", null);
        assertThat(check.path("ok").asBoolean()).isTrue();
        assertThat(check.path("message").asText()).contains("accepts the token");
        assertThat(read("/api/connectors/hubspot-main").path("status").asText()).isEqualTo("UP");

        JsonNode budget = read("/api/budget").get(0);
        assertThat(budget.path("nextRun").isNumber()).as("forecast from HubSpot's counts and the waiting pushes")
                .isTrue();
        assertThat(budget.path("nextRunDetail").has("read contacts")).isTrue();
        assertThat(budget.path("nextRunDetail").has("push")).isTrue();
        assertThat(budget.path("warnings").toString()).as("a run every minute exhausts 1000 calls a day")
                .contains("1440 times a day").contains("daily-call-budget");
    }

    @Test
    @Order(4)
    void aJobsScheduleCanBeChangedPausedAndResumed() throws Exception {
        server.context().getBean(SyncEngine.class).startSchedules();
        JsonNode changed = admin("PUT", "/api/jobs/full-sync/schedule", "{\"schedule\": \"0 15 4 * * ?\"}");
        assertThat(changed.path("schedule").asText()).isEqualTo("0 15 4 * * ?");
        assertThat(changed.path("configuredSchedule").asText()).isEqualTo("0 * * * * ?");
        assertThat(changed.path("nextFireTime").asText()).isNotBlank();
        assertThat(changed.path("scheduleChangedBy").asText()).isEqualTo("api:test-admin");

        JsonNode paused = admin("POST", "/api/jobs/full-sync/pause", null);
        assertThat(paused.path("paused").asBoolean()).isTrue();
        assertThat(paused.path("nextFireTime").isMissingNode() || paused.path("nextFireTime").isNull()).isTrue();
        assertThat(read("/api/jobs/full-sync").path("paused").asBoolean()).isTrue();

        JsonNode resumed = admin("POST", "/api/jobs/full-sync/resume", null);
        assertThat(resumed.path("paused").asBoolean()).isFalse();
        assertThat(resumed.path("active").asBoolean()).isTrue();
        admin("POST", "/api/jobs/full-sync/pause", null);   // no cron firing in the tests that follow
    }

    @Test
    @Order(5)
    void profilesAreFoundByEmailNameAndCrmIdAndShowEachValuesSource() throws Exception {
        var contact = hubspot.contacts().get(0);
        String email = contact.properties().get("email");
        JsonNode byEmail = read("/api/profiles?q=" + email);
        assertThat(byEmail.size()).isEqualTo(1);
        String profileId = byEmail.get(0).path("profileId").asText();
        assertThat(read("/api/profiles?q=" + contact.id()).get(0).path("profileId").asText()).isEqualTo(profileId);
        assertThat(read("/api/profiles?q=hubspot-main:" + contact.id()).get(0).path("profileId").asText())
                .isEqualTo(profileId);
        String lastName = contact.properties().get("lastname");
        assertThat(read("/api/profiles?q=" + java.net.URLEncoder.encode(lastName, java.nio.charset.StandardCharsets.UTF_8))
                .findValuesAsText("profileId")).contains(profileId);

        JsonNode profile = read("/api/profiles/" + profileId);
        assertThat(profile.path("golden").path("email").asText()).isEqualTo(email);
        assertThat(profile.path("sources").path("email").asText()).isEqualTo("hubspot-main:" + contact.id());
        assertThat(profile.path("records").get(0).path("record").asText()).isEqualTo("hubspot-main:" + contact.id());
        assertThat(profile.path("score").path("grade").asText()).isNotBlank();
        assertThat(profile.path("history").size()).isPositive();
    }

    @Test
    @Order(6)
    void deadLettersAreListedInspectedReplayedAndDiscarded() throws Exception {
        var contacts = hubspot.contacts();
        for (int i = 0; i < 6; i++) {
            hubspot.updateContact(contacts.get(i).id(), Map.of("jobtitle", "VP Engineering " + i));
        }
        hubspot.faults().add(FaultRule.partialBatch(0.5).on("POST", "/crm/v3/objects/contacts/batch/update")
                .withCount(1));
        JsonNode run = admin("POST", "/api/jobs/full-sync/run?wait=true", null);
        assertThat(run.path("status").asText()).isEqualTo("PARTIAL");

        JsonNode open = read("/api/dead-letters?stage=push");
        assertThat(open.size()).isGreaterThanOrEqualTo(2);
        long first = open.get(0).path("id").asLong();
        long second = open.get(1).path("id").asLong();
        JsonNode letter = read("/api/dead-letters/" + first);
        assertThat(letter.path("status").asText()).isEqualTo("OPEN");
        assertThat(letter.path("reason").asText()).isNotBlank();
        assertThat(letter.path("payload").asText()).contains("score");

        JsonNode replayed = admin("POST", "/api/dead-letters/" + first + "/replay", null);
        assertThat(replayed.path("resolved").asBoolean()).isTrue();
        assertThat(replayed.path("outcome").asText()).endsWith("went through");
        assertThat(replayed.path("letter").path("status").asText()).isEqualTo("REPLAYED");
        assertThat(hubspot.contact(letter.path("recordId").asText()).orElseThrow().properties())
                .containsKey("leadsync_score");

        JsonNode discarded = admin("POST", "/api/dead-letters/" + second + "/discard", null);
        assertThat(discarded.path("letter").path("status").asText()).isEqualTo("DISCARDED");
        assertThat(discarded.path("letter").path("resolvedBy").asText()).isEqualTo("api:test-admin");
        assertThat(read("/api/dead-letters?status=all&stage=push").findValuesAsText("id"))
                .contains(Long.toString(first), Long.toString(second));
        assertThat(read("/api/dead-letters").findValuesAsText("id")).doesNotContain(Long.toString(first),
                Long.toString(second));

        HttpResponse<String> again = call("POST", "/api/dead-letters/" + first + "/replay", AppFixture.ADMIN_TOKEN, null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).path("detail").asText()).contains("already replayed");
    }

    @Test
    @Order(7)
    void everyReadEndpointAnswersAReadTokenAndNothingAnswersWithoutOne() throws Exception {
        List<String> reads = List.of("/api/connectors", "/api/connectors/hubspot-main", "/api/budget", "/api/jobs",
                "/api/jobs/full-sync", "/api/runs", "/api/runs/1", "/api/runs/1/dead-letters", "/api/dead-letters",
                "/api/profiles?q=x", "/api/dashboard", "/api/openapi.yml", "/metrics", "/api/models");
        for (String path : reads) {
            assertThat(call("GET", path, AppFixture.READ_TOKEN, null).statusCode()).as(path).isEqualTo(200);
            HttpResponse<String> anonymous = call("GET", path, null, null);
            assertThat(anonymous.statusCode()).as("anonymous " + path).isEqualTo(401);
        }
        assertThat(call("GET", "/health/readiness", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void everyWriteNeedsTheAdminRole() throws Exception {
        long letter = read("/api/dead-letters?status=all").get(0).path("id").asLong();
        String[][] writes = {{"POST", "/api/jobs/full-sync/run"}, {"POST", "/api/jobs/full-sync/dry-run"},
            {"POST", "/api/jobs/full-sync/pause"}, {"POST", "/api/jobs/full-sync/resume"},
            {"PUT", "/api/jobs/full-sync/schedule"}, {"POST", "/api/connectors/hubspot-main/check"},
            {"POST", "/api/dead-letters/" + letter + "/replay"}, {"POST", "/api/dead-letters/" + letter + "/discard"}};
        int before = hubspot.totalRequests();
        for (String[] write : writes) {
            HttpResponse<String> refused = call(write[0], write[1], AppFixture.READ_TOKEN, "{\"schedule\": null}");
            assertThat(refused.statusCode()).as(write[0] + " " + write[1]).isEqualTo(403);
            assertThat(call(write[0], write[1], null, "{}").statusCode()).as("anonymous " + write[1]).isEqualTo(401);
        }
        assertThat(hubspot.totalRequests()).as("no refused call reached HubSpot").isEqualTo(before);
    }

    @Test
    @Order(9)
    void unknownIdsAre404WithAProblemBody() throws Exception {
        for (String path : List.of("/api/runs/999999", "/api/runs/999999/dead-letters", "/api/jobs/nightly",
                "/api/connectors/pipedrive-main", "/api/profiles/no-such-profile",
                "/api/profiles/by-record/hubspot-main/0", "/api/dead-letters/999999")) {
            HttpResponse<String> response = call("GET", path, AppFixture.READ_TOKEN, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("status").asInt()).isEqualTo(404);
            assertThat(problem.path("detail").asText()).as(path).startsWith("no ");
        }
        assertThat(call("POST", "/api/dead-letters/999999/replay", AppFixture.ADMIN_TOKEN, null).statusCode())
                .isEqualTo(404);
        assertThat(call("POST", "/api/jobs/nightly/dry-run", AppFixture.ADMIN_TOKEN, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(10)
    void badInputIs400WithAProblemNamingTheField() throws Exception {
        Map<String, String> reads = Map.of("/api/runs?limit=abc", "limit", "/api/runs?limit=0", "limit",
                "/api/dead-letters?status=lost", "status", "/api/dead-letters?stage=shipping", "stage",
                "/api/profiles", "q", "/api/dead-letters?run=seven", "run");
        for (Map.Entry<String, String> entry : reads.entrySet()) {
            HttpResponse<String> response = call("GET", entry.getKey(), AppFixture.READ_TOKEN, null);
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("field").asText()).as(entry.getKey() + ": " + response.body())
                    .isEqualTo(entry.getValue());
            assertThat(problem.path("detail").asText()).isNotBlank();
        }
        HttpResponse<String> cron = call("PUT", "/api/jobs/full-sync/schedule", AppFixture.ADMIN_TOKEN,
                "{\"schedule\": \"every five minutes\"}");
        assertThat(cron.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(cron.body()).path("field").asText()).isEqualTo("schedule");
        assertThat(JSON.readTree(cron.body()).path("detail").asText()).contains("not a valid Quartz cron");
        HttpResponse<String> notJson = call("PUT", "/api/jobs/full-sync/schedule", AppFixture.ADMIN_TOKEN,
                "{schedule: ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).path("status").asInt()).isEqualTo(400);
    }

    @Test
    @Order(11)
    void theOpenApiDocumentIsServedValidAndDescribesEveryEndpoint() throws Exception {
        HttpResponse<String> response = call("GET", "/api/openapi.yml", AppFixture.READ_TOKEN, null);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(response.body());

        assertThat(parsed.getMessages()).as("the document is valid OpenAPI 3").isEmpty();
        assertThat(parsed.getOpenAPI().getPaths().keySet()).contains("/api/connectors", "/api/connectors/{name}",
                "/api/connectors/{name}/check", "/api/budget", "/api/jobs", "/api/jobs/{name}",
                "/api/jobs/{name}/schedule", "/api/jobs/{name}/pause", "/api/jobs/{name}/resume",
                "/api/jobs/{name}/run", "/api/jobs/{name}/dry-run", "/api/runs", "/api/runs/{id}",
                "/api/runs/{id}/dead-letters", "/api/profiles", "/api/profiles/{id}", "/api/dead-letters",
                "/api/dead-letters/{id}", "/api/dead-letters/{id}/replay", "/api/dead-letters/{id}/discard",
                "/api/dashboard", "/metrics", "/health", "/health/readiness");
        assertThat(parsed.getOpenAPI().getComponents().getSecuritySchemes()).containsKey("bearer");
    }

    @Test
    @Order(12)
    void metricsAreScrapedInPrometheusFormat() throws Exception {
        System.gc();   // Micrometer holds what a function counter reads weakly: the counts must outlive a collection
        HttpResponse<String> response = call("GET", "/metrics", AppFixture.READ_TOKEN, null);
        String text = response.body();
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        java.util.regex.Matcher received = java.util.regex.Pattern.compile("leadsync_records_total\\{job=\"full-sync\","
                + "outcome=\"received\",scope=\"hubspot-main/contacts\",stage=\"pull\"} ([0-9.]+)").matcher(text);
        assertThat(received.find()).isTrue();
        assertThat(Double.parseDouble(received.group(1))).as("the contacts of both runs; the dry run is left out")
                .isEqualTo(CONTACTS * 2.0);
        assertThat(text).containsPattern("leadsync_vendor_calls_total\\{connector=\"hubspot-main\",kind=\"attempts\",vendor=\"hubspot\"} [1-9]");
        assertThat(text).contains("leadsync_vendor_calls_total{connector=\"hubspot-main\",kind=\"rate_limited\"");
        assertThat(text).contains("leadsync_circuit_state{connector=\"hubspot-main\",state=\"CLOSED\"} 1.0");
        assertThat(text).contains("leadsync_api_daily_allowance{connector=\"hubspot-main\"} 1000.0");
        assertThat(text).containsPattern("leadsync_api_calls_today\\{connector=\"hubspot-main\"} [1-9]");
        assertThat(text).contains("leadsync_run_duration_seconds_count{job=\"full-sync\",status=\"SUCCEEDED\"}");
        assertThat(text).contains("leadsync_push_lag_seconds{sink=\"hubspot-main\"}");
        assertThat(text).contains("leadsync_dead_letters{source=\"hubspot-main\",stage=\"push\"}");
        assertThat(text).contains("leadsync_identity_total{outcome=\"profiles_created\"}");
        assertThat(text).contains("leadsync_identity_reviews_waiting");
        assertThat(text).contains("leadsync_completeness_missing_records{stream=\"hubspot-main/contacts\"} 0.0");
        assertThat(text).contains("jvm_memory_used_bytes");
    }

    @Test
    @Order(13)
    void readinessNamesEachDependency() throws Exception {
        JsonNode ready = JSON.readTree(call("GET", "/health/readiness", null, null).body());
        assertThat(ready.path("status").asText()).isEqualTo("UP");
        assertThat(ready.path("dependencies").path("database").path("status").asText()).isEqualTo("UP");
        assertThat(ready.path("dependencies").path("connector:hubspot-main").path("status").asText()).isEqualTo("UP");

        hubspot.faults().add(FaultRule.dead());
        JsonNode check = admin("POST", "/api/connectors/hubspot-main/check", null);
        assertThat(check.path("ok").asBoolean()).isFalse();
        HttpResponse<String> down = call("GET", "/health/readiness", null, null);
        assertThat(down.statusCode()).as("its only connector is down").isEqualTo(503);
        assertThat(JSON.readTree(down.body()).path("dependencies").path("connector:hubspot-main").path("status")
                .asText()).isEqualTo("DOWN");
        hubspot.faults().clear();
        admin("POST", "/api/connectors/hubspot-main/check", null);
    }
}
