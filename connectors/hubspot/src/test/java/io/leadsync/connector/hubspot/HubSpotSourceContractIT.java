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
    protected SandboxFixture fixture;

    @BeforeEach
    void start() {
        fixture = newFixture();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** The seeded simulator the contract runs against. */
    protected SandboxFixture newFixture() {
        return new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 80);
    }

    /** The connector's settings with this token, against this address. */
    protected Map<String, Object> settings(String token, String baseUrl) {
        return fixture.settings(token, baseUrl);
    }

    @Override
    protected SourceConnector connector() {
        return fixture.source(settings(HubSpotSimulator.Options.DEFAULT_TOKEN, fixture.simulator.baseUrl().toString()));
    }

    @Override
    protected SourceConnector connectorWithBadCredentials() {
        return fixture.source(settings("not-a-valid-token", fixture.simulator.baseUrl().toString()));
    }

    @Override
    protected SourceConnector connectorForUnreachableHost() {
        Map<String, Object> settings = settings(HubSpotSimulator.Options.DEFAULT_TOKEN, "http://127.0.0.1:9");
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
