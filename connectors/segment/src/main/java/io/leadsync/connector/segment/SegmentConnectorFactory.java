package io.leadsync.connector.segment;

import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorFactory;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.Setting;
import io.leadsync.connector.SourceConnector;

import java.util.List;

/**
 * Creates Segment-compatible intakes ({@code type: segment}); found through {@link java.util.ServiceLoader}. The
 * source is pushed to: senders call {@code POST /v1/track}, {@code /v1/identify} and {@code /v1/batch} with its write
 * key, and {@link SegmentIntake} turns the calls into changes.
 */
public final class SegmentConnectorFactory implements ConnectorFactory {

    @Override
    public String type() {
        return SegmentSettings.TYPE;
    }

    @Override
    public List<Setting<?>> settings() {
        return SegmentSettings.SETTINGS;
    }

    @Override
    public SourceConnector createSource(ConnectorSettings settings, ConnectorContext context) {
        return new SegmentSource(SegmentSettings.parse(settings));
    }
}
