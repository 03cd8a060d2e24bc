package io.leadsync.connector.salesforce;

import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.testkit.SourceConnectorContract;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.Map;

/** The source contract of the test kit, against the Salesforce simulator, through camel-salesforce. */
class SalesforceSourceContractIT extends SourceConnectorContract {
    private SalesforceFixture fixture;

    @BeforeEach
    void start() {
        // 25 records a query page, so the fixture's leads span several nextRecordsUrl pages
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults().withPageSize(25), 120);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Override
    protected SourceConnector connector() {
        return fixture.source(fixture.settings());
    }

    @Override
    protected SourceConnector connectorWithBadCredentials() {
        return fixture.source(fixture.settings("not-the-password", fixture.simulator.baseUrl().toString()));
    }

    @Override
    protected SourceConnector connectorForUnreachableHost() {
        Map<String, Object> settings = fixture.settings(fixture.simulator.options().password(), "http://127.0.0.1:9");
        settings.put("retry", Map.of("max-attempts", "1"));
        return fixture.source(settings);
    }

    @Override
    protected StreamId personStream() {
        return new StreamId(SalesforceFixture.NAME, "leads");
    }

    @Override
    protected Duration overlap() {
        return Duration.ZERO;
    }
}
