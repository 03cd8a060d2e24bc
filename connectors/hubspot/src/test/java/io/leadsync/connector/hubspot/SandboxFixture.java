package io.leadsync.connector.hubspot;

import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.apache.camel.impl.DefaultCamelContext;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A seeded HubSpot simulator and connectors configured against it. */
final class SandboxFixture implements AutoCloseable {
    final HubSpotSimulator simulator;
    final DefaultCamelContext camel = new DefaultCamelContext();

    SandboxFixture(HubSpotSimulator.Options options, int contacts) {
        simulator = HubSpotSimulator.start(options);
        simulator.seed(new SandboxDataGenerator(7).generate(contacts));
        camel.start();
    }

    Map<String, Object> settings(String token, String baseUrl) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("type", "hubspot");
        settings.put("base-url", baseUrl);
        settings.put("token", token);
        settings.put("retry", Map.of("max-attempts", "3"));
        settings.put("read", new HashMap<>(Map.of("streams", List.of("contacts", "emails", "meetings", "calls", "email_events"),
                "page-size", "25", "overlap", "5m")));
        settings.put("write", new HashMap<>(Map.of("tasks", Map.of("enabled", "true"))));
        return settings;
    }

    Map<String, Object> settings() {
        return settings(HubSpotSimulator.Options.DEFAULT_TOKEN, simulator.baseUrl().toString());
    }

    SourceConnector source(Map<String, Object> settings) {
        return new HubSpotConnectorFactory().createSource(ConnectorSettings.of("hubspot-main",
                "sync.connectors.hubspot-main", settings), ConnectorContext.of(Clock.systemUTC(), camel));
    }

    SinkConnector sink(Map<String, Object> settings) {
        return new HubSpotConnectorFactory().createSink(ConnectorSettings.of("hubspot-main",
                "sync.connectors.hubspot-main", settings), ConnectorContext.of(Clock.systemUTC(), camel));
    }

    @Override
    public void close() {
        camel.stop();
        simulator.close();
    }
}
