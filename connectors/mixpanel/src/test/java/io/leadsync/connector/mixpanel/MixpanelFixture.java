package io.leadsync.connector.mixpanel;

import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.SourceConnector;
import io.leadsync.sandbox.mixpanel.MixpanelSimulator;
import org.apache.camel.impl.DefaultCamelContext;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A Mixpanel simulator and sources configured against it. */
final class MixpanelFixture implements AutoCloseable {
    final MixpanelSimulator simulator;
    final DefaultCamelContext camel = new DefaultCamelContext();
    final Clock clock;

    MixpanelFixture(MixpanelSimulator.Options options) {
        simulator = MixpanelSimulator.start(options);
        clock = options.clock();
        camel.start();
    }

    Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("type", "mixpanel");
        settings.put("export-url", simulator.exportUrl().toString());
        settings.put("query-url", simulator.queryUrl().toString());
        settings.put("project-id", MixpanelSimulator.PROJECT);
        settings.put("service-account-user", MixpanelSimulator.USER);
        settings.put("service-account-secret", MixpanelSimulator.SECRET);
        settings.put("retry", Map.of("max-attempts", "3"));
        Map<String, Object> read = new HashMap<>();
        read.put("streams", List.of("profiles", "events"));
        read.put("page-size", "50");
        read.put("late-days", "2");
        read.put("events", List.of(Map.of("name", "Viewed Pricing", "type", "pricing_page_view"),
                Map.of("name", "API Call", "type", "product_usage"),
                Map.of("name", "Requested Demo", "type", "demo_request"),
                Map.of("name", "Feature Used", "type", "product_usage")));
        read.put("profile-properties", List.of("plan"));
        settings.put("read", read);
        return settings;
    }

    SourceConnector source(Map<String, Object> settings) {
        return new MixpanelConnectorFactory().createSource(ConnectorSettings.of("mixpanel-main",
                "sync.connectors.mixpanel-main", settings), ConnectorContext.of(clock, camel));
    }

    @Override
    public void close() {
        camel.stop();
        simulator.close();
    }
}
