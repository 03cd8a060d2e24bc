package io.leadsync.connector.segment;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.EventTypeMapping;
import io.leadsync.connector.Secret;
import io.leadsync.connector.Setting;

import java.util.List;

/**
 * The settings of one Segment-compatible intake, from {@code sync.connectors.<name>} (see docs/connectors/segment.md).
 *
 * @param name     the connector instance name, the source of the records' ids
 * @param writeKey the write key senders authenticate with (HTTP Basic user name, empty password), masked
 * @param streams  {@code persons} (from {@code identify}) and {@code events} (from {@code track}), in that order
 * @param events   event name to activity type, and what other events become
 */
public record SegmentSettings(String name, Secret writeKey, List<String> streams, EventTypeMapping events) {
    public static final String TYPE = "segment";
    public static final List<String> STREAMS = List.of("persons", "events");

    static final Setting<String> WRITE_KEY = Setting.of("write-key", Setting.TEXT).secret().required()
            .env("SEGMENT_WRITE_KEY").validate(key -> key.strip().length() < 16 ? "must be at least 16 characters"
                    + " (it is the only credential of the intake)" : null)
            .doc("The write key senders use (HTTP Basic user name, empty password); choose a long random one.");
    static final Setting<List<String>> READ_STREAMS = Setting.of("read.streams", Setting.LIST).withDefault(STREAMS)
            .validate(Setting.itemsOf(STREAMS)).doc("Streams taken in: persons (identify calls), events (track calls).");

    /** Every setting of a Segment block. */
    public static final List<Setting<?>> SETTINGS = List.of(WRITE_KEY, READ_STREAMS, EventTypeMapping.EVENTS,
            EventTypeMapping.UNMAPPED);

    public SegmentSettings {
        streams = List.copyOf(streams);
    }

    public static SegmentSettings parse(ConnectorSettings settings) {
        Secret writeKey = Secret.of(settings.get(WRITE_KEY).strip());
        List<String> requested = settings.get(READ_STREAMS);
        if (requested.isEmpty()) {
            throw new ConfigException(settings.key("read.streams"), "must name at least one of " + STREAMS);
        }
        List<String> streams = STREAMS.stream().filter(requested::contains).toList();
        return new SegmentSettings(settings.name(), writeKey, streams, EventTypeMapping.read(settings));
    }

    @Override
    public String toString() {
        return "SegmentSettings[" + name + ", writeKey=" + writeKey + ", streams=" + streams + "]";
    }
}
