package io.leadsync.routes;

import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.salesforce.SalesforceConnectorFactory;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.salesforce.SalesforceSeeder;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;
import io.leadsync.store.DatabaseSettings;
import io.leadsync.store.RunRecord;
import io.leadsync.store.RunStatus;
import io.leadsync.store.Store;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline with the Salesforce connector (through camel-salesforce) against the simulator and the real
 * scoring model: scores and reasons on leads and contacts, one task per crossing, nothing re-pushed, deletions
 * unlinked, and a clean pause when the org's daily API budget is used up.
 */
class SalesforcePipelineIT {
    private static final Path MODEL = Path.of("../config/scoring/default-model.yml");

    @TempDir
    Path dataDir;
    private SalesforceSimulator salesforce;
    private SalesforceSeeder.Seeded seeded;
    private DefaultCamelContext camel;
    private Store store;
    private SyncEngine engine;

    private void start(SalesforceSimulator.Options options, Map<String, Object> limits) throws Exception {
        salesforce = SalesforceSimulator.start(options);
        seeded = new SalesforceSeeder(salesforce).seed(new SandboxDataGenerator(5).generate(240,
                Instant.now().truncatedTo(ChronoUnit.DAYS)));
        camel = new DefaultCamelContext();
        store = Store.open(DatabaseSettings.h2File(dataDir.resolve("leadsync").toString()));
        SalesforceSimulator.Options o = salesforce.options();
        Map<String, Object> settings = new HashMap<>();
        settings.put("type", "salesforce");
        settings.put("login-url", salesforce.baseUrl().toString());
        settings.put("auth", Map.of("client-id", o.clientId(), "client-secret", o.clientSecret(), "username",
                o.username(), "password", o.password()));
        settings.put("limits", limits);
        settings.put("read", Map.of("streams", List.of("leads", "contacts", "tasks", "events", "campaign_members")));
        settings.put("write", Map.of("tasks", Map.of("enabled", "true")));
        ConnectorContext context = ConnectorContext.of(Clock.systemUTC(), camel);
        SalesforceConnectorFactory factory = new SalesforceConnectorFactory();
        SourceConnector source = factory.createSource(ConnectorSettings.of("salesforce-main",
                "sync.connectors.salesforce-main", settings), context);
        SinkConnector sink = factory.createSink(ConnectorSettings.of("salesforce-main",
                "sync.connectors.salesforce-main", settings), context);
        engine = SyncEngine.builder().store(store).camel(camel).scoring(ModelScoringService.load(MODEL))
                .job(new SyncJob("full-sync", null, List.of(source), List.of(sink), SyncJob.TaskPolicy.defaults()))
                .build();
        engine.start();
        camel.start();
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (store != null) {
            store.close();
        }
        if (salesforce != null) {
            salesforce.close();
        }
    }

    private long scored(String type) {
        return salesforce.records(type).stream().filter(r -> r.get("Lead_Score__c") != null).count();
    }

    private List<Map<String, Object>> followUps() {
        return salesforce.records("Task").stream().filter(t -> "Not Started".equals(t.get("Status"))).toList();
    }

    @Test
    void scoresLeadsAndContactsWithReasonsCreatesTasksOnceAndThenPushesNothing() throws Exception {
        start(SalesforceSimulator.Options.defaults(), Map.of());
        // one buyer in an active evaluation: senior, target industry and size, two meetings this week
        String hot = seeded.leadIds().get(0);
        salesforce.update("Lead", hot, Map.of("Title", "VP Sales", "Industry", "COMPUTER_SOFTWARE",
                "NumberOfEmployees", 900, "Email", "dana.reyes@northwind-analytics.com"));
        for (int day = 1; day <= 2; day++) {
            Instant at = Instant.now().minus(java.time.Duration.ofDays(day));
            salesforce.insert("Event", Map.of("WhoId", hot, "Subject", "Evaluation call", "Type", "Meeting",
                    "StartDateTime", at), at, at);
        }

        RunRecord first = engine.runNow("full-sync", "test");

        assertThat(first.status()).as(first.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(scored("Lead")).isEqualTo(seeded.leadIds().size());
        assertThat(scored("Contact")).isEqualTo(seeded.contactIds().size());
        assertThat(salesforce.records("Lead")).allSatisfy(lead -> {
            assertThat(lead.get("Score_Model__c")).isEqualTo("default@5");
            assertThat((String) lead.get("Score_Reasons__c")).hasSizeLessThanOrEqualTo(255);
            assertThat(lead.get("Lead_Grade__c")).isIn("A", "B", "C", "D");
        });
        int tasks = followUps().size();
        assertThat(tasks).as("hot leads got tasks").isPositive();
        assertThat(followUps()).allSatisfy(task -> assertThat((String) task.get("Subject")).startsWith("Hot lead: "))
                .anySatisfy(task -> assertThat(task).containsEntry("WhoId", hot).containsEntry("Priority", "High")
                        .containsEntry("OwnerId", salesforce.record("Lead", hot).orElseThrow().get("OwnerId")));
        int calls = salesforce.collectionCalls();
        assertThat(calls).as("240 scores in 2 calls, the tasks in 1").isEqualTo(3);
        com.fasterxml.jackson.databind.JsonNode leads = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(first.statsJson()).path("counts").path("completeness").path("salesforce-main/leads");
        assertThat(leads.path("vendor").asLong()).as("SOQL COUNT() of the window read")
                .isEqualTo(seeded.leadIds().size());
        assertThat(leads.path("missing").asLong()).isZero();

        RunRecord second = engine.runNow("full-sync", "test");

        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(second.message()).contains("pushed nothing");
        assertThat(salesforce.collectionCalls()).isEqualTo(calls);
        assertThat(followUps()).hasSize(tasks);
    }

    @Test
    void aDeletedLeadLeavesItsProfile() throws Exception {
        start(SalesforceSimulator.Options.defaults(), Map.of());
        engine.runNow("full-sync", "test");
        String lead = seeded.leadIds().get(0);
        assertThat(store.inTransaction((io.leadsync.store.StoreTransaction tx) -> tx.profiles().link(
                new io.leadsync.connector.ExternalId("salesforce-main", lead)))).isPresent();

        salesforce.delete("Lead", lead);
        RunRecord run = engine.runNow("full-sync", "test");

        assertThat(run.status()).as(run.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(store.inTransaction((io.leadsync.store.StoreTransaction tx) -> tx.profiles().link(
                new io.leadsync.connector.ExternalId("salesforce-main", lead)))).isEmpty();
    }

    @Test
    void pausesCleanlyWhenTheDailyBudgetShareIsUsedAndResumesLater() throws Exception {
        start(SalesforceSimulator.Options.defaults().withDailyLimit(1_000), Map.of("max-daily-percent", "80",
                "recheck-interval", "0s"));
        salesforce.setApiCalls(796);

        RunRecord paused = engine.runNow("full-sync", "test");

        assertThat(paused.status()).isEqualTo(RunStatus.PAUSED);
        assertThat(paused.message()).contains("daily API requests").contains("max-daily-percent");

        salesforce.setApiCalls(0); // the rolling window has freed requests: /limits says so
        RunRecord resumed = engine.runNow("full-sync", "test");
        assertThat(resumed.status()).as(resumed.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(scored("Lead")).isEqualTo(seeded.leadIds().size());
    }
}
