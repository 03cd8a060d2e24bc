package io.leadsync.store;

import io.leadsync.connector.Person;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.store.internal.CanonicalJson;
import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Source records as received (raw), keyed by source, stream and record id, with the canonical form of person records
 * (an activity's canonical form is its row in {@code activities}, see {@link ActivityRepository}). The stored
 * modification time and content hash let the pipeline recognise a record it has already seen.
 */
public final class SourceRecordRepository {
    private final Connection connection;

    SourceRecordRepository(Connection connection) {
        this.connection = connection;
    }

    /** What is stored of a record: enough to tell whether a newly read version is new. */
    public record StoredVersion(String recordId, Instant modifiedAt, String contentHash, boolean deleted) {
    }

    /** The stored versions of the given records of a stream, by record id; absent ids are not stored yet. */
    public Map<String, StoredVersion> versions(StreamId stream, Collection<String> recordIds) {
        Map<String, StoredVersion> result = new HashMap<>();
        Sql.queryByKeys(connection, "select r.record_id, r.modified_at, r.content_hash, r.deleted from {keys}"
                        + " join source_records r on r.source = k.c1 and r.stream = k.c2 and r.record_id = k.id",
                recordIds, List.of(stream.source(), stream.stream()), row -> new StoredVersion(
                        row.getString("record_id"), Sql.instant(row, "modified_at"), row.getString("content_hash"),
                        row.getBoolean("deleted")))
                .forEach(version -> result.put(version.recordId(), version));
        return result;
    }

    /**
     * The hash of a record's content: its canonical value without its modification time, so that a record whose
     * only change is the time (such as the echo of leadsync's own write-back) hashes the same.
     */
    public static String contentHash(SourceRecord record) {
        return contentHash(record, record.deleted() ? null : CanonicalJson.write(record.value()));
    }

    /** {@link #contentHash(SourceRecord)} of a record whose canonical JSON is already written. */
    private static String contentHash(SourceRecord record, String normalized) {
        if (record.deleted()) {
            return "deleted";
        }
        if (record.value() instanceof Person person) {
            return CanonicalJson.hash(CanonicalJson.write(person.withUpdatedAt(Instant.EPOCH)));
        }
        return CanonicalJson.hash(normalized);
    }

    /**
     * Inserts or replaces records: raw payload, content hash, and the canonical value of a person (one JDBC batch).
     * An activity's canonical value is not kept here: its row in {@code activities} holds it, and a second copy was
     * a third of the bytes a first sync wrote.
     */
    public void upsert(List<SourceRecord> records, Long runId, Instant now) {
        List<Object[]> params = new ArrayList<>(records.size());
        for (SourceRecord record : records) {
            String kind = record.deleted() ? "deleted" : record.value() instanceof Person ? "person" : "activity";
            String normalized = record.deleted() ? null : CanonicalJson.write(record.value());
            params.add(new Object[] {record.stream().source(), record.stream().stream(), record.id().id(), kind,
                record.modifiedAt(), record.deleted(), contentHash(record, normalized), record.rawPayload(),
                Sql.text(kind.equals("person") ? normalized : null), now, Sql.bigint(runId)});
        }
        // every value typed in the source: untyped, H2 sometimes (about 1 statement in 250) stored NULL for a later
        // row of the batch where an earlier row had NULL (a live record after a deleted one lost its canonical value)
        Sql.batch(connection, """
                merge into source_records t
                using (values (cast(? as varchar(100)), cast(? as varchar(100)), cast(? as varchar(255)),
                    cast(? as varchar(16)), cast(? as timestamp with time zone), cast(? as boolean),
                    cast(? as varchar(64)), cast(? as text), cast(? as text), cast(? as timestamp with time zone),
                    cast(? as bigint)))
                    as s(source, stream, record_id, kind, modified_at, deleted, content_hash, raw_payload, normalized,
                         stored_at, run_id)
                on t.source = s.source and t.stream = s.stream and t.record_id = s.record_id
                when matched then update set kind = s.kind, modified_at = s.modified_at, deleted = s.deleted,
                    content_hash = s.content_hash, raw_payload = s.raw_payload, normalized = s.normalized,
                    stored_at = s.stored_at, run_id = s.run_id
                when not matched then insert (source, stream, record_id, kind, modified_at, deleted, content_hash,
                    raw_payload, normalized, first_seen_at, stored_at, run_id)
                    values (s.source, s.stream, s.record_id, s.kind, s.modified_at, s.deleted, s.content_hash,
                    s.raw_payload, s.normalized, s.stored_at, s.stored_at, s.run_id)
                """, params);
    }

    /** A newer modification time of a stored record whose content did not change. */
    public record Touch(String recordId, Instant modifiedAt) {
    }

    /**
     * Records newer modification times for records whose content did not change (e.g. the echo of our write-back),
     * in one JDBC batch; an older time than the stored one is ignored.
     */
    public void touch(StreamId stream, Collection<Touch> touches, Instant now) {
        List<Object[]> params = new ArrayList<>(touches.size());
        for (Touch touch : touches) {
            params.add(new Object[] {touch.modifiedAt(), now, stream.source(), stream.stream(), touch.recordId(),
                touch.modifiedAt()});
        }
        Sql.batch(connection, "update source_records set modified_at = ?, stored_at = ?"
                + " where source = ? and stream = ? and record_id = ? and modified_at < ?", params);
    }

    /** The stored canonical JSON of a person record, if stored and not deleted (empty for an activity). */
    public Optional<String> normalized(StreamId stream, String recordId) {
        return Sql.one(connection, "select normalized from source_records where source = ? and stream = ?"
                        + " and record_id = ? and deleted = false", row -> row.getString(1),
                stream.source(), stream.stream(), recordId);
    }

    public Optional<StoredVersion> version(StreamId stream, String recordId) {
        return Optional.ofNullable(versions(stream, List.of(recordId)).get(recordId));
    }

    public long count() {
        return Sql.count(connection, "select count(*) from source_records");
    }

    public long count(StreamId stream) {
        return Sql.count(connection, "select count(*) from source_records where source = ? and stream = ?",
                stream.source(), stream.stream());
    }
}
