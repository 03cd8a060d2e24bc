package io.leadsync.connector;

import java.time.Instant;
import java.util.Objects;

/**
 * A record read from a source: its raw payload as received, and its canonical value.
 *
 * @param stream     the stream it was read from
 * @param id         its id in the source
 * @param modifiedAt the source's modification time; with {@code id} it recognises a record seen twice
 * @param deleted    true for a deleted, archived or merged-away record, which is unlinked rather than scored
 * @param rawPayload the vendor's JSON for this record, stored beside the canonical value for audit and replay
 * @param value      the canonical value; null only when {@code deleted}
 */
public record SourceRecord(StreamId stream, ExternalId id, Instant modifiedAt, boolean deleted, String rawPayload,
                           CanonicalRecord value) {
    public SourceRecord {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(modifiedAt, "modifiedAt");
        rawPayload = rawPayload == null ? "" : rawPayload;
        if (value == null && !deleted) {
            throw new IllegalArgumentException("record " + id + " has no value but is not deleted");
        }
        if (value != null && !value.id().equals(id)) {
            throw new IllegalArgumentException("record id " + id + " differs from its value's id " + value.id());
        }
    }

    public static SourceRecord of(StreamId stream, CanonicalRecord value, Instant modifiedAt, String rawPayload) {
        return new SourceRecord(stream, value.id(), modifiedAt, false, rawPayload, value);
    }

    public static SourceRecord deleted(StreamId stream, ExternalId id, Instant modifiedAt, String rawPayload) {
        return new SourceRecord(stream, id, modifiedAt, true, rawPayload, null);
    }
}
