package io.leadsync.connector;

import java.util.Objects;

/**
 * Where a stream was read up to. The {@code position} is opaque to everyone but the connector that wrote it.
 *
 * <p>The {@code version} is the connector's cursor format version ({@link ConnectorDescriptor#cursorVersion()}).
 * A cursor saved by another version is never used silently: the connector either upgrades it through
 * {@link SourceConnector#upgrade(Cursor)} or the run stops with a {@link CursorVersionException}.
 *
 * <p>The pipeline saves a cursor only after every record of the page that produced it is stored, in the same
 * transaction, so a restart resumes from the last stored page and never skips one.
 */
public record Cursor(StreamId stream, int version, String position) {
    public Cursor {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(position, "position");
        if (version < 1) {
            throw new IllegalArgumentException("cursor version must be >= 1 but was " + version);
        }
    }
}
