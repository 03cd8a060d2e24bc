package io.leadsync.connector;

import java.time.Instant;
import java.util.Objects;

/**
 * One change a vendor told us about as it happened (a Salesforce change event, a HubSpot webhook event, a tracked
 * product event), as opposed to one found by reading a stream.
 *
 * <p>A change either carries its whole {@link #record} (a product event is the activity itself; an
 * {@code identify} call is the person) or only names the record that changed ({@link #record} null: a CDC event
 * carries only the changed fields, a webhook only the property that changed); the pipeline then reads the named
 * records through {@link SourceConnector#fetch} before it stores them. Either way it goes through the same store,
 * resolve, score and push stages and the same ledgers as a scheduled read, so a change seen both ways is written
 * once.
 *
 * @param eventId   the vendor's id of the event (a replay id, a webhook {@code eventId}, a {@code messageId}); with
 *                  {@code stream} it recognises an event delivered twice
 * @param stream    the stream the record belongs to ({@code hubspot-main/contacts})
 * @param id        the changed record's id in that source
 * @param kind      what happened to it
 * @param changedAt when the vendor says it changed (the event's commit or occurred time)
 * @param record    the record itself when the event carries it whole, else null
 */
public record Change(String eventId, StreamId stream, ExternalId id, Kind kind, Instant changedAt,
                     SourceRecord record) {
    public Change {
        eventId = Values.requireText(eventId, "eventId");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(changedAt, "changedAt");
        if (!id.source().equals(stream.source())) {
            throw new IllegalArgumentException("change " + eventId + ": record " + id + " is not from source "
                    + stream.source());
        }
        if (record != null && !record.id().equals(id)) {
            throw new IllegalArgumentException("change " + eventId + ": record " + record.id() + " is not " + id);
        }
    }

    /** A change that names its record only; the pipeline fetches it. */
    public static Change of(String eventId, StreamId stream, String id, Kind kind, Instant changedAt) {
        return new Change(eventId, stream, new ExternalId(stream.source(), id), kind, changedAt, null);
    }

    /** A change that carries its whole record. */
    public static Change carrying(String eventId, SourceRecord record) {
        return new Change(eventId, record.stream(), record.id(), record.deleted() ? Kind.DELETED : Kind.UPSERTED,
                record.modifiedAt(), record);
    }

    /** What happened to the record. */
    public enum Kind {
        /** Created or updated. */
        UPSERTED,
        /** Deleted or archived. */
        DELETED,
        /** Merged into another record (the survivor arrives as its own change). */
        MERGED,
        /**
         * The vendor lost track of some changes (a Salesforce {@code GAP_*} or overflow event): the named record, or
         * the whole stream when the id is {@code *}, is read again incrementally.
         */
        GAP
    }
}
