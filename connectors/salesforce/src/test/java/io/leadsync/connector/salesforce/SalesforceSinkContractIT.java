package io.leadsync.connector.salesforce;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.WriteField;
import io.leadsync.connector.testkit.SinkConnectorContract;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** The sink contract of the test kit, against the Salesforce simulator (which refuses calls above 200 records). */
class SalesforceSinkContractIT extends SinkConnectorContract {
    private SalesforceFixture fixture;

    @BeforeEach
    void start() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 320);
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
        // leads and contacts mixed, as a real batch is
        return Stream.concat(fixture.seeded.contactIds().stream(), fixture.seeded.leadIds().stream())
                .sorted().limit(count).map(id -> new ExternalId(SalesforceFixture.NAME, id)).toList();
    }

    @Override
    protected ExternalId refusedRecord() {
        return new ExternalId(SalesforceFixture.NAME, "00Q5g00000ZZZZZZZZ");
    }

    @Override
    protected Map<String, String> readBack(ExternalId record) {
        String type = record.id().startsWith("00Q") ? "Lead" : "Contact";
        Map<String, Object> fields = fixture.simulator.record(type, record.id()).orElseThrow();
        Map<String, String> values = new LinkedHashMap<>();
        Object score = fields.get("Lead_Score__c");
        values.put(WriteField.SCORE, score == null ? null : new BigDecimal(score.toString()).toPlainString());
        values.put(WriteField.GRADE, (String) fields.get("Lead_Grade__c"));
        values.put(WriteField.REASONS, (String) fields.get("Score_Reasons__c"));
        values.put(WriteField.MODEL_VERSION, (String) fields.get("Score_Model__c"));
        values.values().removeIf(Objects::isNull);
        return values;
    }

    @Override
    protected int largestBatchReceived() {
        return fixture.simulator.largestCollectionReceived();
    }
}
