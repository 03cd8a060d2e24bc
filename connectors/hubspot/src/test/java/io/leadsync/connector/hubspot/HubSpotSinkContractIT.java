package io.leadsync.connector.hubspot;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.WriteField;
import io.leadsync.connector.testkit.SinkConnectorContract;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sink contract of the test kit, against the HubSpot simulator (which refuses batches above 100). */
class HubSpotSinkContractIT extends SinkConnectorContract {
    private SandboxFixture fixture;

    @BeforeEach
    void start() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 120);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Override
    protected SinkConnector sink() {
        return fixture.sink(fixture.settings());
    }

    @Override
    protected List<ExternalId> writableRecords(int count) {
        return fixture.simulator.contacts().stream().limit(count)
                .map(contact -> new ExternalId("hubspot-main", contact.id())).toList();
    }

    @Override
    protected ExternalId refusedRecord() {
        return new ExternalId("hubspot-main", "999999999");
    }

    @Override
    protected Map<String, String> readBack(ExternalId record) {
        Map<String, String> properties = fixture.simulator.contact(record.id()).orElseThrow().properties();
        Map<String, String> values = new LinkedHashMap<>();
        values.put(WriteField.SCORE, properties.get("leadsync_score"));
        values.put(WriteField.GRADE, properties.get("leadsync_grade"));
        values.put(WriteField.REASONS, properties.get("leadsync_reasons"));
        values.put(WriteField.MODEL_VERSION, properties.get("leadsync_model_version"));
        values.values().removeIf(java.util.Objects::isNull);
        return values;
    }

    @Override
    protected int largestBatchReceived() {
        return fixture.simulator.requests().stream()
                .filter(request -> request.path().equals("/crm/v3/objects/contacts/batch/update"))
                .mapToInt(request -> {
                    try {
                        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(request.body())
                                .path("inputs").size();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).max().orElse(0);
    }
}
