package io.leadsync.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.hubspot.HubSpotConnectorFactory;
import io.leadsync.sandbox.SandboxData;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.store.DatabaseSettings;
import io.leadsync.store.RunRecord;
import io.leadsync.store.RunStatus;
import io.leadsync.store.Store;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** HubSpot form submissions through the whole pipeline, scored by the shipped default model. */
class HubSpotFormSubmissionsPipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODEL = Path.of("../config/scoring/default-model.yml");
    private static final List<String> STREAMS = List.of("contacts", "emails", "meetings", "calls", "form_submissions");

    @TempDir
    Path dataDir;
    private HubSpotSimulator hubspot;
    private SandboxData data;
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private Store store;
    private SyncEngine sync;

    @BeforeEach
    void start() throws Exception {
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        data = new SandboxDataGenerator(11).generate(150, Instant.now());
        hubspot.seed(data);
        store = Store.open(DatabaseSettings.h2File(dataDir.resolve("leadsync").toString()));
        ConnectorContext context = ConnectorContext.of(Clock.systemUTC(), camel);
        HubSpotConnectorFactory factory = new HubSpotConnectorFactory();
        sync = SyncEngine.builder().store(store).camel(camel).scoring(ModelScoringService.load(MODEL))
                .job(new SyncJob("full-sync", null,
                        List.of(factory.createSource(HubSpotTestSettings.of(hubspot, STREAMS), context)),
                        List.of(factory.createSink(HubSpotTestSettings.of(hubspot, STREAMS), context)),
                        SyncJob.TaskPolicy.defaults()))
                .build();
        sync.start();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        store.close();
        hubspot.close();
    }

    private static long awaitingPerson(RunRecord run) throws Exception {
        JsonNode stats = JSON.readTree(run.statsJson());
        long total = 0;
        for (JsonNode value : stats.findValues("activitiesAwaitingPerson")) {
            total += value.asLong();
        }
        return total;
    }

    @Test
    void aDemoRequestSubmittedAfterARunRaisesTheScoreAtTheNextWithItsReason() throws Exception {
        RunRecord first = sync.runNow("full-sync", "test");
        assertThat(first.status()).as(first.message()).isEqualTo(RunStatus.SUCCEEDED);
        long strangers = data.formSubmissions().stream().filter(s -> s.contactIndex() < 0).count();
        assertThat(strangers).isPositive();
        assertThat(awaitingPerson(first)).as("submissions no contact has wait for their person: " + first.statsJson())
                .isEqualTo(strangers);

        HubSpotSimulator.SimulatedObject quiet = hubspot.contacts().stream()
                .filter(c -> c.properties().get("email") != null
                        && Integer.parseInt(c.properties().get("leadsync_score")) < 40
                        && !c.properties().get("leadsync_reasons").contains("Requested a demo"))
                .findFirst().orElseThrow();
        int before = Integer.parseInt(quiet.properties().get("leadsync_score"));
        String demo = hubspot.forms().stream().filter(f -> f.name().equals("Demo request")).findFirst().orElseThrow()
                .id();
        hubspot.submitForm(demo, Map.of("email", quiet.properties().get("email"), "firstname", "Again"),
                "https://www.leadsync-demo.example/demo-request");

        RunRecord second = sync.runNow("full-sync", "test");

        assertThat(second.status()).as(second.message()).isEqualTo(RunStatus.SUCCEEDED);
        Map<String, String> after = hubspot.contact(quiet.id()).orElseThrow().properties();
        assertThat(after.get("leadsync_reasons")).contains("Requested a demo or sales contact (1)")
                .contains("Last conversion asked for sales");
        assertThat(Integer.parseInt(after.get("leadsync_score"))).as(after.get("leadsync_reasons"))
                .isGreaterThanOrEqualTo(before + 25);
    }
}
