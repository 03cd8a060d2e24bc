package io.leadsync.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.app.cli.Server;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Identity resolution through the HTTP API: weights, the review queue, and a split that is remembered. */
class IdentityApiIT {
    private static final String TOKEN = "pat-eu1-0f3c-secret-9a7e";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private HubSpotSimulator hubspot;
    private Server server;
    private final HttpClient http = HttpClient.newHttpClient();
    private Path config;

    @BeforeEach
    void start() throws Exception {
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits()
                .withTokens(Set.of(TOKEN)));
        hubspot.seed(new SandboxDataGenerator(3).generate(200, Instant.now()));
        config = AppFixture.config(dir, hubspot.baseUrl().toString(), "${TEST_HUBSPOT_TOKEN}",
                "jdbc:h2:file:" + dir.resolve("db/leadsync"), "0 0 3 * * ?");
        server = Server.start(config, Map.of("micronaut.server.port", 0, "TEST_HUBSPOT_TOKEN", TOKEN));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        hubspot.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return AppFixture.call(http, server.port(), "GET", path, AppFixture.READ_TOKEN, null);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return AppFixture.call(http, server.port(), "POST", path, AppFixture.ADMIN_TOKEN, body);
    }

    private JsonNode sync() throws Exception {
        return JSON.readTree(post("/api/jobs/full-sync/run?wait=true", null).body());
    }

    @Test
    void showsTheBuiltInLevelsWithTheStoresOwnNameCountsUntilAnEstimatePassesItsChecks() throws Exception {
        sync();

        JsonNode weights = JSON.readTree(get("/api/identity/weights").body());
        assertThat(weights.path("inService").path("trigger").asText()).as("200 contacts: counted, not estimated")
                .isEqualTo("growth (term frequencies)");
        assertThat(weights.path("inService").path("warnings").get(0).asText())
                .startsWith("built-in m and u (too few records to estimate), term frequencies counted on");
        assertThat(weights.path("inService").path("levels").path("first-name").path("exact").asDouble()).isPositive();

        JsonNode estimate = JSON.readTree(post("/api/identity/weights/estimate", null).body());
        assertThat(estimate.path("accepted").asBoolean()).as("200 contacts hold too few pairs").isFalse();
        assertThat(estimate.path("warnings").get(0).asText()).endsWith("the weights in service stay");

        JsonNode after = JSON.readTree(get("/api/identity/weights").body());
        assertThat(after.path("estimates").get(1).path("trigger").asText()).isEqualTo("on-demand");
        assertThat(after.path("estimates").get(1).path("accepted").asBoolean()).isFalse();
        assertThat(after.path("estimates").get(0).path("trigger").asText()).as("the names counted again")
                .isEqualTo("on-demand (term frequencies)");
        assertThat(after.path("inService").path("trigger").asText()).isEqualTo("on-demand (term frequencies)");
        assertThat(after.path("inService").path("levels")).isEqualTo(weights.path("inService").path("levels"));
    }

    @Test
    void splitsRecordsOffAProfileScoresThemAgainAndNeverMergesThemBack() throws Exception {
        sync();
        String profile = null;
        String leaving = null;
        for (var contact : hubspot.contacts()) {
            JsonNode view = JSON.readTree(get("/api/profiles/by-record/hubspot-main/" + contact.id()).body());
            if (view.path("records").size() >= 2) {
                profile = view.path("profileId").asText();
                leaving = view.path("records").get(1).path("record").asText();
                break;
            }
        }
        assertThat(profile).as("the sandbox plants duplicates that resolve into one profile").isNotNull();

        HttpResponse<String> split = post("/api/identity/profiles/" + profile + "/split",
                "{\"records\": [\"" + leaving + "\"]}");

        assertThat(split.statusCode()).isEqualTo(200);
        JsonNode outcome = JSON.readTree(split.body());
        assertThat(outcome.path("message").asText()).startsWith("split 1 records off " + profile);
        assertThat(outcome.path("profilesChanged").size()).isEqualTo(2);
        long runId = outcome.path("runs").get(0).path("runId").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> !JSON.readTree(get("/api/runs/" + runId).body())
                .path("status").asText().equals("RUNNING"));
        String[] id = leaving.split(":", 2);
        JsonNode moved = JSON.readTree(get("/api/profiles/by-record/" + id[0] + "/" + id[1]).body());
        assertThat(moved.path("profileId").asText()).isNotEqualTo(profile);
        assertThat(moved.path("score").path("score").isNumber()).as("scored again").isTrue();

        sync();
        assertThat(JSON.readTree(get("/api/profiles/by-record/" + id[0] + "/" + id[1]).body()).path("profileId")
                .asText()).as("a split is remembered").isEqualTo(moved.path("profileId").asText());
        assertThat(post("/api/identity/profiles/" + profile + "/split", "{\"records\": [\"" + leaving + "\"]}")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void theCommandLineShowsTheSameQueueAndWeights() throws Exception {
        sync();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        java.io.PrintStream originalErr = System.err;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        System.setProperty("TEST_HUBSPOT_TOKEN", TOKEN);
        int reviews;
        int weights;
        int reject;
        try {
            reviews = Leadsync.execute("identity", "reviews", "--config", config.toString());
            weights = Leadsync.execute("identity", "weights", "--config", config.toString());
            reject = Leadsync.execute("identity", "reject", "987654", "--config", config.toString());
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
            System.clearProperty("TEST_HUBSPOT_TOKEN");
        }
        String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        int queued = JSON.readTree(get("/api/identity/reviews").body()).size();
        assertThat(reviews).as(printed).isZero();
        assertThat(printed).contains("reviews: " + queued).containsPattern("version \\d+ .* accepted .* built-in m and"
                + " u \\(too few records to estimate\\), term frequencies counted on \\d+ records");
        assertThat(weights).isZero();
        assertThat(reject).isEqualTo(2);
        assertThat(printed).contains("no review 987654");
    }

    @Test
    void answersClearlyForAnUnknownReviewOrABadRequest() throws Exception {
        assertThat(JSON.readTree(get("/api/identity/reviews").body()).isArray()).isTrue();
        assertThat(get("/api/identity/reviews?status=maybe").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = post("/api/identity/reviews/987654/confirm", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(unknown.body()).path("detail").asText()).isEqualTo("no review 987654");
        HttpResponse<String> badRecord = post("/api/identity/profiles/P1/split", "{\"records\": [\"no-colon\"]}");
        assertThat(badRecord.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badRecord.body()).path("field").asText()).isEqualTo("records");
    }

    @Test
    void readingNeedsAReadTokenAndEveryChangeTheAdminRole() throws Exception {
        for (String path : java.util.List.of("/api/identity/reviews", "/api/identity/weights")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(200);
            assertThat(AppFixture.call(http, server.port(), "GET", path, null, null).statusCode()).as(path)
                    .isEqualTo(401);
        }
        for (String path : java.util.List.of("/api/identity/reviews/1/confirm", "/api/identity/reviews/1/reject",
                "/api/identity/profiles/P1/split", "/api/identity/weights/estimate")) {
            String body = "{\"records\": [\"hubspot-main:1\"]}";
            assertThat(AppFixture.call(http, server.port(), "POST", path, AppFixture.READ_TOKEN, body).statusCode())
                    .as("read token on " + path).isEqualTo(403);
            assertThat(AppFixture.call(http, server.port(), "POST", path, null, body).statusCode())
                    .as("no token on " + path).isEqualTo(401);
        }
        assertThat(JSON.readTree(get("/api/identity/weights").body()).path("estimates").size())
                .as("no refused call estimated weights").isZero();
    }
}
