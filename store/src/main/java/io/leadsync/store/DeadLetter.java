package io.leadsync.store;

import java.time.Instant;

/**
 * A record that could not be read, stored or written, kept with the reason.
 *
 * @param stage      {@code pull}, {@code normalize}, {@code score}, {@code push} or {@code task}
 * @param source     the connector instance
 * @param stream     the stream, or null for sink-side failures
 * @param recordId   the vendor's record id when known
 * @param reason     what was wrong and where
 * @param payload    the record as received, or the values that were to be written
 * @param status     {@code OPEN}, {@code REPLAYED} (a replay resolved it; if the record failed again, a new letter
 *                   holds the new reason) or {@code DISCARDED}
 * @param resolvedAt when it was replayed or discarded, or null while open
 * @param resolvedBy who replayed or discarded it ({@code api:<token name>}, {@code cli})
 * @param resolution what the replay or discard did
 */
public record DeadLetter(long id, Long runId, String stage, String source, String stream, String recordId,
                         String reason, String payload, Instant createdAt, String status, Instant resolvedAt,
                         String resolvedBy, String resolution) {
    public static final String OPEN = "OPEN";
    public static final String REPLAYED = "REPLAYED";
    public static final String DISCARDED = "DISCARDED";

    /** An open letter. */
    public DeadLetter(long id, Long runId, String stage, String source, String stream, String recordId,
                      String reason, String payload, Instant createdAt) {
        this(id, runId, stage, source, stream, recordId, reason, payload, createdAt, OPEN, null, null, null);
    }

    public boolean open() {
        return OPEN.equals(status);
    }
}
