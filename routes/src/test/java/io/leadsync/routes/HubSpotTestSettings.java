package io.leadsync.routes;

import io.leadsync.connector.ConnectorSettings;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The block of a HubSpot connector read from and written to the simulator, as the pipeline tests configure it. */
final class HubSpotTestSettings {
    private HubSpotTestSettings() {
    }

    /** {@code hubspot-main} on the simulator, reading the streams 50 a page, tasks on, no client-side rate limits. */
    static ConnectorSettings of(HubSpotSimulator hubspot, List<String> streams) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("type", "hubspot");
        settings.put("base-url", hubspot.baseUrl().toString());
        settings.put("token", HubSpotSimulator.Options.DEFAULT_TOKEN);
        settings.put("read", Map.of("streams", streams, "page-size", "50"));
        settings.put("write", Map.of("tasks", Map.of("enabled", "true")));
        settings.put("rate-limit", Map.of("requests-per-ten-seconds", "0", "searches-per-second", "0"));
        return ConnectorSettings.of("hubspot-main", "sync.connectors.hubspot-main", settings);
    }
}
