package io.leadsync.app.api;

import io.leadsync.app.LeadsyncConfig;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.hubspot.HubSpotSettings;
import io.leadsync.connector.hubspot.HubSpotWebhooks;
import io.leadsync.connector.segment.SegmentIntake;
import io.leadsync.connector.segment.SegmentSettings;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured receivers of pushed changes: the webhooks of each HubSpot source that sets
 * {@code webhook.client-secret}, and each {@code type: segment} intake. Built from the same connector blocks as the
 * sources (which validate them at start-up).
 *
 * @param hubSpot HubSpot webhooks by source name
 * @param segment Segment-compatible intakes, told apart by their write keys
 */
public record Receivers(Map<String, HubSpotWebhooks> hubSpot, List<SegmentIntake> segment) {
    public Receivers {
        hubSpot = Map.copyOf(hubSpot);
        segment = List.copyOf(segment);
    }

    /** The intake whose write key a Basic {@code Authorization} header carries, or empty. */
    public Optional<SegmentIntake> segmentFor(String authorization) {
        return segment.stream().filter(intake -> intake.authenticates(authorization)).findFirst();
    }

    /** Builds the receivers from the configuration. */
    @Factory
    static class Beans {
        @Singleton
        Receivers receivers(LeadsyncConfig config, Clock clock) {
            Map<String, HubSpotWebhooks> hubSpot = new LinkedHashMap<>();
            List<SegmentIntake> segment = new java.util.ArrayList<>();
            config.connectors().forEach((name, settings) -> {
                String type = settings.string("type").orElse("");
                if (!settings.has("read")) {
                    return;
                }
                if (HubSpotSettings.TYPE.equals(type)) {
                    HubSpotWebhooks.of(settings, clock).ifPresent(webhooks -> hubSpot.put(name, webhooks));
                } else if (SegmentSettings.TYPE.equals(type)) {
                    segment.add(SegmentIntake.of(settings, clock));
                }
            });
            return new Receivers(hubSpot, segment);
        }
    }
}
