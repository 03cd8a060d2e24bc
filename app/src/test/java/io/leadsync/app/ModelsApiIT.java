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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Changing the scoring model of a running service: hot reload, refusal, preview, shadow, the score history. */
class ModelsApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private HubSpotSimulator hubspot;
    private Server server;
    private Path model;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        hubspot.seed(new SandboxDataGenerator(6).generate(80, Instant.now()));
        model = dir.resolve("model.yml");
        Files.copy(Path.of("../config/scoring/default-model.yml"), model);
        Path challenger = dir.resolve("challenger.yml");
        Files.writeString(challenger, Files.readString(model).replace("name: default", "name: challenger"));
        Path config = AppFixture.config(dir, hubspot.baseUrl().toString(), HubSpotSimulator.Options.DEFAULT_TOKEN,
                "jdbc:h2:file:" + dir.resolve("db/leadsync"), "0 0 3 * * ?");
        Files.writeString(config, Files.readString(config).replace("model: " + AppFixture.MODEL, "model: " + model
                + "\n    challenger: " + challenger + "\n    reload-interval: 1s\n    outcome:\n      field: lifecyclestage\n"
                + "      converted: [customer, opportunity]"));
        server = Server.start(config, Map.of("micronaut.server.port", 0));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        hubspot.close();
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + AppFixture.ADMIN_TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + AppFixture.ADMIN_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void picksUpAValidModelChangeWithoutRestartAndRefusesABrokenOne() throws Exception {
        post("/api/jobs/full-sync/run?wait=true", "");
        assertThat(get("/api/models").path("active").asText()).isEqualTo("default@5");

        Files.writeString(model, Files.readString(model).replace("version: 5", "version: 6"));
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/models").path("active").asText().equals("default@6"));
        JsonNode run = JSON.readTree(post("/api/jobs/full-sync/run?wait=true", "").body());
        assertThat(run.path("message").asText()).as("every profile re-scored from stored data").contains("0 new or changed");
        assertThat(run.path("counts").path("score").path("all").path("profiles").asInt()).isGreaterThan(70);
        assertThat(hubspot.contacts()).allSatisfy(c -> assertThat(c.properties())
                .containsEntry("leadsync_model_version", "default@6"));

        Files.writeString(model, Files.readString(model).replace("grades:", "grades:\n  Z: 500"));
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/models").hasNonNull("refused"));
        JsonNode models = get("/api/models");
        assertThat(models.path("active").asText()).as("the working model stays").isEqualTo("default@6");
        assertThat(models.path("refused").asText()).contains(model.toString() + ":");
        assertThat(models.path("activations").get(0).path("model").asText()).isEqualTo("default@6");
    }

    @Test
    void previewsACandidateGivenAsTextWritingNothing() throws Exception {
        post("/api/jobs/full-sync/run?wait=true", "");
        long writes = hubspot.requestCount("POST", "/crm/v3/objects/contacts/batch/update");
        String candidate = Files.readString(model).replace("version: 5", "version: 9").replace("points: 20", "points: 35");

        HttpResponse<String> response = post("/api/models/preview", JSON.writeValueAsString(Map.of("yaml", candidate)));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode preview = JSON.readTree(response.body());
        assertThat(preview.path("candidateModel").asText()).isEqualTo("default@9");
        assertThat(preview.path("scoresChanged").asLong()).isEqualTo(preview.path("profiles").asLong());
        assertThat(preview.path("sinks").path("hubspot-main").path("apiCalls").asLong()).isPositive();
        assertThat(hubspot.requestCount("POST", "/crm/v3/objects/contacts/batch/update")).isEqualTo(writes);

        HttpResponse<String> invalid = post("/api/models/preview", JSON.writeValueAsString(Map.of("yaml", "name: x")));
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(invalid.body()).path("message").asText()).startsWith("preview:");
    }

    @Test
    void answersWhyAProfileScoresWhatItScoresAndComparesTheChallenger() throws Exception {
        post("/api/jobs/full-sync/run?wait=true", "");
        String contact = hubspot.contacts().get(0).id();

        JsonNode profile = get("/api/profiles/by-record/hubspot-main/" + contact);

        assertThat(profile.path("records").toString()).contains("hubspot-main:" + contact);
        assertThat(profile.path("score").path("model").asText()).isEqualTo("default@5");
        assertThat(profile.path("history").get(0).path("reasons").asText())
                .isEqualTo(profile.path("score").path("reasons").asText());
        JsonNode shadow = get("/api/models/shadow");
        assertThat(shadow.path("challenger").asText()).isEqualTo("challenger@5");
        assertThat(shadow.path("profiles").asLong()).isPositive();
        assertThat(shadow.path("championAuc").asDouble()).isEqualTo(shadow.path("challengerAuc").asDouble());
    }
}
