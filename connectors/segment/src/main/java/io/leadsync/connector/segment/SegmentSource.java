package io.leadsync.connector.segment;

import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.Page;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;

import java.util.Set;
import java.util.stream.Stream;

/**
 * A Segment-compatible intake as a source: its streams exist (so jobs resolve, score and push what is sent to it),
 * but nothing is read from it; its records arrive as changes through {@link SegmentIntake}. A scheduled read finds
 * nothing, by design.
 */
public final class SegmentSource implements io.leadsync.connector.SourceConnector {
    private final SegmentSettings settings;

    public SegmentSource(SegmentSettings settings) {
        this.settings = settings;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(SegmentSettings.TYPE, settings.name(), settings.streams(), 1,
                Set.of(ConnectorDescriptor.Capability.READ));
    }

    @Override
    public CheckResult check() {
        return CheckResult.success("push intake: senders call POST /v1/track, /v1/identify and /v1/batch with the"
                + " write key; nothing to reach");
    }

    /** Nothing: the intake's records arrive as changes. */
    @Override
    public Stream<Page<SourceRecord>> read(StreamId stream, Cursor from) {
        return Stream.empty();
    }

    @Override
    public void close() {
    }
}
