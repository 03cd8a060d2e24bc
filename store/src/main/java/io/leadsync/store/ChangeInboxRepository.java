package io.leadsync.store;

import io.leadsync.connector.CanonicalRecord;
import io.leadsync.connector.Change;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.store.internal.CanonicalJson;
import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The change inbox: change events accepted and not yet stored by an event run, each whole (with the record it
 * carried, canonical and raw), keyed by stream and event id so that an event delivered twice is kept once; and the
 * position each source's live change feed was accepted up to.
 *
 * <p>A row is {@code PENDING} until the event run that stores its record marks it {@code DONE} in the same
 * transaction; a row whose record could not be read is retried later ({@link #retryLater}) and, after its attempts,
 * {@code FAILED} with the reason (and a dead letter, written by the caller).
 */
public final class ChangeInboxRepository {
    public static final String PENDING = "PENDING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    private final Connection connection;

    ChangeInboxRepository(Connection connection) {
        this.connection = connection;
    }

    /** A change waiting in the inbox. */
    public record Entry(long id, Change change, int attempts, Instant receivedAt) {
    }

    /** What {@link #add} kept: new changes, and repeats of events already held (or twice in the batch). */
    public record Added(int added, int duplicates) {
    }

    /** Adds the changes not held yet (by stream and event id), as PENDING; one JDBC batch. */
    public Added add(List<Change> changes, Instant receivedAt) {
        Map<StreamId, List<Change>> byStream = new LinkedHashMap<>();
        changes.forEach(change -> byStream.computeIfAbsent(change.stream(), k -> new ArrayList<>()).add(change));
        List<Object[]> rows = new ArrayList<>();
        int duplicates = 0;
        for (Map.Entry<StreamId, List<Change>> entry : byStream.entrySet()) {
            StreamId stream = entry.getKey();
            Set<String> seen = known(stream, entry.getValue().stream().map(Change::eventId).distinct().toList());
            for (Change change : entry.getValue()) {
                if (!seen.add(change.eventId())) {
                    duplicates++;
                    continue;
                }
                SourceRecord record = change.record();
                String recordKind = record == null ? null : record.deleted() ? "deleted"
                        : record.value() instanceof Person ? "person" : "activity";
                rows.add(new Object[] {stream.source(), stream.stream(), change.eventId(), change.id().id(),
                    change.kind().name(), change.changedAt(), receivedAt, Sql.text(recordKind),
                    Sql.timestamp(record == null ? null : record.modifiedAt()),
                    Sql.text(record == null ? null : record.rawPayload()),
                    Sql.text(record == null || record.deleted() ? null : CanonicalJson.write(record.value())), PENDING});
            }
        }
        Sql.batch(connection, """
                insert into change_inbox (source, stream, event_id, record_id, kind, changed_at, received_at,
                    record_kind, record_modified_at, raw_payload, normalized, status)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, rows);
        return new Added(rows.size(), duplicates);
    }

    /** The event ids of a stream the inbox holds, of those given. */
    public Set<String> known(StreamId stream, Collection<String> eventIds) {
        Set<String> known = new HashSet<>();
        known.addAll(Sql.queryByKeys(connection, "select i.event_id from {keys} join change_inbox i on i.source = k.c1"
                + " and i.stream = k.c2 and i.event_id = k.id", eventIds, List.of(stream.source(), stream.stream()),
                row -> row.getString(1)));
        return known;
    }

    /** Pending changes due now (not waiting for a retry), oldest first. */
    public List<Entry> due(Instant now, int limit) {
        return Sql.query(connection, DUE, ChangeInboxRepository::entry, PENDING, now, limit);
    }

    /**
     * Ordered as its index ({@code change_inbox_status}: status, id), so that the database reads the pending changes
     * from the oldest and stops at the page's end; ordered by {@code id} alone, H2 read every pending change and sorted
     * them, for every page of a backlog.
     */
    static final String DUE = "select * from change_inbox where status = ? and (next_attempt_at is null"
            + " or next_attempt_at <= ?) order by status, id limit ?";

    /** When the oldest change due now arrived, if any is due. */
    public Optional<Instant> oldestDue(Instant now) {
        List<Instant> oldest = Sql.query(connection, "select min(received_at) as oldest from change_inbox"
                + " where status = ? and (next_attempt_at is null or next_attempt_at <= ?)",
                row -> Sql.instant(row, "oldest"), PENDING, now);
        return oldest.isEmpty() ? Optional.empty() : Optional.ofNullable(oldest.get(0));
    }

    /** How many changes wait for an event run (due or waiting for a retry). */
    public long pending() {
        return Sql.count(connection, "select count(*) from change_inbox where status = ?", PENDING);
    }

    /** How many changes are in a status. */
    public long count(String status) {
        return Sql.count(connection, "select count(*) from change_inbox where status = ?", status);
    }

    /** Marks changes stored by a run; call it in the transaction that stores their records. */
    public void done(Collection<Long> ids, long runId, Instant now) {
        List<Object[]> rows = ids.stream().map(id -> new Object[] {DONE, runId, now, id}).toList();
        Sql.batch(connection, "update change_inbox set status = ?, run_id = ?, done_at = ?, last_error = null"
                + " where id = ?", rows);
    }

    /** Notes a failed attempt; the changes stay PENDING and are due again at {@code nextAttemptAt}. */
    public void retryLater(Collection<Long> ids, String error, Instant nextAttemptAt) {
        List<Object[]> rows = ids.stream().map(id -> new Object[] {nextAttemptAt, error, id}).toList();
        Sql.batch(connection, "update change_inbox set attempts = attempts + 1, next_attempt_at = ?, last_error = ?"
                + " where id = ?", rows);
    }

    /** Gives changes up after their attempts, with the reason (the caller writes their dead letters). */
    public void failed(Collection<Long> ids, String error, long runId, Instant now) {
        List<Object[]> rows = ids.stream().map(id -> new Object[] {FAILED, error, runId, now, id}).toList();
        Sql.batch(connection, "update change_inbox set status = ?, attempts = attempts + 1, last_error = ?,"
                + " run_id = ?, done_at = ? where id = ?", rows);
    }

    /** The ids of a stream's records that a pending change names, of those given. */
    public Set<String> pendingRecords(StreamId stream, Collection<String> recordIds) {
        return new HashSet<>(Sql.queryByKeys(connection, "select distinct i.record_id from {keys} join change_inbox i"
                + " on i.source = k.c1 and i.stream = k.c2 and i.record_id = k.id where i.status = ?", recordIds,
                List.of(stream.source(), stream.stream()), row -> row.getString(1), PENDING));
    }

    /** When the inbox first received a change of the stream (of those it still holds), if ever. */
    public Optional<Instant> firstReceived(StreamId stream) {
        List<Instant> first = Sql.query(connection, "select min(received_at) as first from change_inbox"
                + " where source = ? and stream = ?", row -> Sql.instant(row, "first"), stream.source(), stream.stream());
        return first.isEmpty() ? Optional.empty() : Optional.ofNullable(first.get(0));
    }

    /** Forgets changes finished (done or failed) before a time; returns how many. */
    public int prune(Instant finishedBefore) {
        return Sql.update(connection, "delete from change_inbox where status <> ? and done_at < ?", PENDING,
                finishedBefore);
    }

    /** The position a source's change feed was accepted up to, if saved. */
    public Optional<String> feedPosition(String source) {
        return Sql.one(connection, "select position from change_feed_positions where source = ?",
                row -> row.getString(1), source);
    }

    /** Saves a feed's position; call it in the transaction that adds the changes it follows. */
    public void saveFeedPosition(String source, String position, Instant now) {
        Sql.update(connection, """
                merge into change_feed_positions t
                using (values (cast(? as varchar(100)), cast(? as text), cast(? as timestamp with time zone)))
                    as s(source, position, updated_at)
                on t.source = s.source
                when matched then update set position = s.position, updated_at = s.updated_at
                when not matched then insert (source, position, updated_at) values (s.source, s.position, s.updated_at)
                """, source, position, now);
    }

    private static Entry entry(ResultSet row) throws SQLException {
        StreamId stream = new StreamId(row.getString("source"), row.getString("stream"));
        ExternalId id = new ExternalId(stream.source(), row.getString("record_id"));
        String recordKind = row.getString("record_kind");
        SourceRecord record = null;
        if (recordKind != null) {
            Instant modifiedAt = Sql.instant(row, "record_modified_at");
            String raw = row.getString("raw_payload");
            CanonicalRecord value = switch (recordKind) {
                case "deleted" -> null;
                case "person" -> CanonicalJson.person(row.getString("normalized"));
                default -> CanonicalJson.activity(row.getString("normalized"));
            };
            record = new SourceRecord(stream, id, modifiedAt, value == null, raw, value);
        }
        Change change = new Change(row.getString("event_id"), stream, id, Change.Kind.valueOf(row.getString("kind")),
                Sql.instant(row, "changed_at"), record);
        return new Entry(row.getLong("id"), change, row.getInt("attempts"), Sql.instant(row, "received_at"));
    }
}
