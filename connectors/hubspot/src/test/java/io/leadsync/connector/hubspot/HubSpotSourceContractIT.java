package io.leadsync.connector.hubspot;

import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.testkit.SourceConnectorContract;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.Map;

/** The source contract of the test kit, against the HubSpot simulator. */
class HubSpotSourceContractIT extends SourceConnectorContract {
    private SandboxFixture fixture;

    @BeforeEach
    void start() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 80);
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
        return fixture.source(fixture.settings("not-a-valid-token", fixture.simulator.baseUrl().toString()));
    }

    @Override
    protected SourceConnector connectorForUnreachableHost() {
        Map<String, Object> settings = fixture.settings(HubSpotSimulator.Options.DEFAULT_TOKEN, "http://127.0.0.1:9");
        settings.put("retry", Map.of("max-attempts", "1"));
        return fixture.source(settings);
    }

    @Override
    protected StreamId personStream() {
        return new StreamId("hubspot-main", "contacts");
    }

    @Override
    protected Duration overlap() {
        return Duration.ofMinutes(5);
    }
}
