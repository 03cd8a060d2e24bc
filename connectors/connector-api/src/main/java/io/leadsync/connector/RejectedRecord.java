package io.leadsync.connector;

import java.util.Objects;

/**
 * A record a connector received but could not map: malformed JSON, a missing id, a field of the wrong type.
 *
 * @param stream     where it came from
 * @param recordId   the vendor's id when it could be read, otherwise null
 * @param rawPayload the payload exactly as received (never null, may be empty)
 * @param reason     what was wrong and where, e.g. {@code "properties.lastmodifieddate: 'yesterday' is not a date"}
 */
public record RejectedRecord(StreamId stream, String recordId, String rawPayload, String reason) {
    public RejectedRecord {
        Objects.requireNonNull(stream, "stream");
        rawPayload = rawPayload == null ? "" : rawPayload;
        reason = Values.requireText(reason, "reason");
    }
}
