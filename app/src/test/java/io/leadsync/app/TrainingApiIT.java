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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Models from the CRM's own history through the API: trained and backtested in time from the synced sandbox, the
 * MQL threshold for a capacity, reps' verdicts against the model, the recalibration report with its challenger,
 * and that challenger scored in shadow by a service started with it.
 */
class TrainingApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private HubSpotSimulator hubspot;
    private Server server;
    private Path config;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        hubspot.seed(new SandboxDataGenerator(21).generate(1500, Instant.now().truncatedTo(ChronoUnit.DAYS)));
        config = AppFixture.config(dir, hubspot.baseUrl().toString(), HubSpotSimulator.Options.DEFAULT_TOKEN,
                "jdbc:h2:file:" + dir.resolve("db/leadsync"), "0 0 3 * * ?");
        Files.writeString(config, Files.readString(config)
                .replace("page-size: 100", "page-size: 100\n        properties: [hs_lifecyclestage_customer_date,"
                        + " lead_quality]")
                .replace("model: " + AppFixture.MODEL, "model: " + AppFixture.MODEL
                        + "\n    outcome:\n      field: lifecyclestage\n      converted: [customer]"
                        + "\n      date-field: hs_lifecyclestage_customer_date"
                        + "\n    verdicts:\n      field: lead_quality"
                        + "\n    recalibration:\n      horizon: 30d\n      max-criteria: 10"
                        + "\n      challenger: " + dir.resolve("challenger.yml")));
        server = Server.start(config, Map.of("micronaut.server.port", 0));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        hubspot.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + AppFixture.ADMIN_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> response = call(method, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void trainsOnTheStoresHistoryPlansChecksVerdictsAndRecalibrates() throws Exception {
        ok("POST", "/api/jobs/full-sync/run?wait=true", "");

        JsonNode trained = ok("POST", "/api/models/train", "{\"horizon-days\": 30, \"max-criteria\": 10}");
        assertThat(trained.path("training").path("conversions").asInt()).isPositive();
        assertThat(trained.path("backtest").path("cutOff").asText())
                .isGreaterThan(trained.path("training").path("cutOff").asText());
        assertThat(trained.path("backtestFigures").path("auc").asDouble()).isGreaterThan(0.6);
        assertThat(trained.path("backtestFigures").path("bands").size()).isPositive();
        assertThat(trained.path("learned").path("criteria").asInt()).isBetween(1, 10);
        assertThat(trained.path("learned").path("yaml").asText()).contains("kind: logistic")
                .doesNotContain("lifecyclestage").doesNotContain("lead_quality");

        JsonNode plan = ok("GET", "/api/models/plan?mqls-per-week=20&horizon-days=30", null);
        assertThat(plan.path("mqlsPerWeek").asDouble()).isLessThanOrEqualTo(20);
        assertThat(plan.path("threshold").asInt()).isBetween(0, 100);

        JsonNode verdicts = ok("GET", "/api/models/verdicts", null);
        assertThat(verdicts.path("field").asText()).isEqualTo("lead_quality");
        assertThat(verdicts.path("profiles").asInt()).isGreaterThan(300);
        assertThat(verdicts.path("agreementRate").asDouble()).isBetween(0.0, 1.0);

        JsonNode onVerdicts = ok("POST", "/api/models/train", "{\"labels\": \"verdicts\", \"max-criteria\": 5}");
        assertThat(onVerdicts.path("learned").path("yaml").asText()).contains("title");

        JsonNode report = ok("POST", "/api/models/recalibration", null);
        assertThat(report.path("model").asText()).isEqualTo("default@5");
        assertThat(report.path("bands").size()).isPositive();
        assertThat(report.path("challengerFile").asText()).isEqualTo(dir.resolve("challenger.yml").toString());
        assertThat(ok("GET", "/api/models/recalibration", null).path("reports").get(0).path("model").asText())
                .isEqualTo("default@5");

        // the challenger it wrote is a normal model file: scored in shadow by a service started with it
        server.close();
        Files.writeString(config, Files.readString(config).replace("    outcome:", "    challenger: "
                + dir.resolve("challenger.yml") + "\n    outcome:"));
        server = Server.start(config, Map.of("micronaut.server.port", 0));
        ok("POST", "/api/jobs/full-sync/run?wait=true", "");
        JsonNode shadow = ok("GET", "/api/models/shadow", null);
        assertThat(shadow.path("challenger").asText()).startsWith("challenger@");
        assertThat(shadow.path("profiles").asLong()).isPositive();
        assertThat(shadow.path("challengerAuc").asDouble()).isGreaterThan(0.5);
    }
}
