package io.leadsync.connector.mixpanel;

import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.testkit.SourceConnectorContract;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.mixpanel.MixpanelSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The source contract of the test kit, on Mixpanel profiles against the simulator (pages of 25 profiles). */
class MixpanelProfilesContractIT extends SourceConnectorContract {
    private MixpanelFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MixpanelFixture(MixpanelSimulator.Options.defaults().withoutRateLimits().withEngagePageSize(25));
        fixture.simulator.seedProfiles(new SandboxDataGenerator(4).generate(120), 100,
                Instant.parse("2026-11-20T12:00:00Z"));
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
        Map<String, Object> settings = fixture.settings();
        settings.put("service-account-secret", "not-the-secret");
        return fixture.source(settings);
    }

    @Override
    protected SourceConnector connectorForUnreachableHost() {
        Map<String, Object> settings = fixture.settings();
        settings.put("query-url", "http://127.0.0.1:9/api/query");
        settings.put("retry", Map.of("max-attempts", "1"));
        return fixture.source(settings);
    }

    @Override
    protected StreamId personStream() {
        return new StreamId("mixpanel-main", "profiles");
    }

    @Override
    protected Duration overlap() {
        return Duration.ofHours(1);
    }
}
