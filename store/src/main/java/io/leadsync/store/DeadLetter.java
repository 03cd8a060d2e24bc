package io.leadsync.store;

import java.time.Instant;

/**
 * A record that could not be read, stored or written, kept with the reason.
 *
 * @param stage    {@code pull}, {@code normalize}, {@code score}, {@code push} or {@code task}
 * @param source   the connector instance
 * @param stream   the stream, or null for sink-side failures
 * @param recordId the vendor's record id when known
 * @param reason   what was wrong and where
 * @param payload  the record as received, or the values that were to be written
 */
public record DeadLetter(long id, Long runId, String stage, String source, String stream, String recordId,
                         String reason, String payload, Instant createdAt) {
}
