package io.leadsync.connector.hubspot;

import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.testkit.SourceConnectorContract;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The source contract of the test kit on the form_submissions stream. The portal holds one form with submissions,
 * on three pages: the contract's "nothing older than the overlap" is about one watermark, and this stream keeps one
 * per form (each form's re-read starts at its own time; HubSpotFormSubmissionsIT covers many forms, and a read
 * resumed from any page of them).
 */
class HubSpotFormSubmissionsContractIT extends SourceConnectorContract {
    private SandboxFixture fixture;

    @BeforeEach
    void start() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 0);
        String form = fixture.simulator.createForm("Request a demo", "hubspot");
        for (int i = 0; i < 130; i++) {
            fixture.simulator.submitForm(form, Map.of("email", "buyer" + i + "@acme.example"),
                    "https://www.example.com/demo");
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private Map<String, Object> withStreams(Map<String, Object> settings) {
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) settings.get("read");
        read.put("streams", List.of("contacts", "form_submissions"));
        return settings;
    }

    @Override
    protected SourceConnector connector() {
        return fixture.source(withStreams(fixture.settings()));
    }

    @Override
    protected SourceConnector connectorWithBadCredentials() {
        return fixture.source(withStreams(fixture.settings("not-a-valid-token", fixture.simulator.baseUrl().toString())));
    }

    @Override
    protected SourceConnector connectorForUnreachableHost() {
        Map<String, Object> settings = withStreams(fixture.settings(HubSpotSimulator.Options.DEFAULT_TOKEN,
                "http://127.0.0.1:9"));
        settings.put("retry", Map.of("max-attempts", "1"));
        return fixture.source(settings);
    }

    @Override
    protected StreamId personStream() {
        return new StreamId("hubspot-main", "form_submissions");
    }

    @Override
    protected Duration overlap() {
        return Duration.ofMinutes(5);
    }
}
