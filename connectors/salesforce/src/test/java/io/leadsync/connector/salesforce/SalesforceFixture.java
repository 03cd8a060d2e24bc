package io.leadsync.connector.salesforce;

import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.salesforce.SalesforceSeeder;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;
import org.apache.camel.impl.DefaultCamelContext;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A seeded Salesforce simulator and connectors configured against it, through a real camel-salesforce. */
final class SalesforceFixture implements AutoCloseable {
    static final String NAME = "salesforce-main";
    final SalesforceSimulator simulator;
    final DefaultCamelContext camel = new DefaultCamelContext();
    final SalesforceSeeder.Seeded seeded;

    SalesforceFixture(SalesforceSimulator.Options options, int people) {
        simulator = SalesforceSimulator.start(options);
        seeded = people == 0 ? null : new SalesforceSeeder(simulator).seed(new SandboxDataGenerator(7)
                .generate(people, Instant.now().truncatedTo(ChronoUnit.DAYS)));
        camel.start();
    }

    Map<String, Object> settings(String password, String loginUrl) {
        SalesforceSimulator.Options options = simulator.options();
        Map<String, Object> settings = new HashMap<>();
        settings.put("type", "salesforce");
        settings.put("login-url", loginUrl);
        settings.put("auth", new HashMap<>(Map.of("flow", "password", "client-id", options.clientId(),
                "client-secret", options.clientSecret(), "username", options.username(), "password", password)));
        settings.put("retry", Map.of("max-attempts", "2"));
        settings.put("read", new HashMap<>(Map.of("streams", List.of("leads", "contacts", "tasks", "events",
                "campaign_members", "opportunities"))));
        settings.put("write", new HashMap<>(Map.of("tasks", Map.of("enabled", "true"))));
        return settings;
    }

    Map<String, Object> settings() {
        return settings(simulator.options().password(), simulator.baseUrl().toString());
    }

    SourceConnector source(Map<String, Object> settings) {
        return new SalesforceConnectorFactory().createSource(ConnectorSettings.of(NAME, "sync.connectors." + NAME,
                settings), ConnectorContext.of(Clock.systemUTC(), camel));
    }

    SinkConnector sink(Map<String, Object> settings) {
        return new SalesforceConnectorFactory().createSink(ConnectorSettings.of(NAME, "sync.connectors." + NAME,
                settings), ConnectorContext.of(Clock.systemUTC(), camel));
    }

    /** Connectors in a Camel context of their own, so the same instance name can be configured anew. */
    Isolated isolated() {
        return new Isolated();
    }

    final class Isolated implements AutoCloseable {
        private final DefaultCamelContext own = new DefaultCamelContext();

        Isolated() {
            own.start();
        }

        SourceConnector source(Map<String, Object> settings) {
            return new SalesforceConnectorFactory().createSource(ConnectorSettings.of(NAME, "sync.connectors." + NAME,
                    settings), ConnectorContext.of(Clock.systemUTC(), own));
        }

        @Override
        public void close() {
            own.stop();
        }
    }

    @Override
    public void close() {
        camel.stop();
        simulator.close();
    }
}
