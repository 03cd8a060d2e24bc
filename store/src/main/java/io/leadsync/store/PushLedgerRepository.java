package io.leadsync.store;

import io.leadsync.connector.ExternalId;
import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last value written to each sink record and field, and the records whose values may be stale. The push stage
 * sends only what differs from this ledger.
 */
public final class PushLedgerRepository {

    private final Connection connection;

    PushLedgerRepository(Connection connection) {
        this.connection = connection;
    }

    /**
     * A sink record that may need a push.
     *
     * @param score   the current score of its profile, or null if the profile has not been scored yet
     * @param written the values last written to it, by canonical field name
     */
    public record PushCandidate(ExternalId target, String stream, String profileId, StoredScore score,
                                Map<String, String> written) {
    }

    /** Records of a sink marked as needing a push, by record id after the given one (null for the first page). */
    public List<PushCandidate> pending(String sink, String afterRecordId, int limit) {
        return candidates(sink, Sql.query(connection, PENDING, row -> pendingRow(sink, row), sink,
                afterRecordId == null ? "" : afterRecordId, limit));
    }

    /**
     * A page of a sink's records marked for a push, in the order of their index ({@code person_links_push}: source,
     * mark, record id), so that the database reads the page and no more. Ordered by {@code record_id} alone, H2 read
     * every marked record of the sink after the page's start (and its score) and sorted them, for every page.
     */
    static final String PENDING = """
            select l.record_id, l.stream, l.profile_id, s.profile_id as scored, s.score, s.grade, s.stage,
                   s.model_version, s.reason_text, s.reasons, s.scored_at, s.changed_at
            from person_links l
            left join profile_scores s on s.profile_id = l.profile_id
            where l.source = ? and l.push_pending = true and l.record_id > ?
            order by l.source, l.push_pending, l.record_id
            limit ?
            """;

    /**
     * The records of a sink marked as needing a push that belong to the given profiles (e.g. those whose scores just
     * changed), by record id.
     */
    public List<PushCandidate> pendingOfProfiles(String sink, Collection<String> profileIds) {
        List<Pending> pending = new ArrayList<>(Sql.queryByKeys(connection, """
                select l.record_id, l.stream, l.profile_id, s.profile_id as scored, s.score, s.grade, s.stage,
                       s.model_version, s.reason_text, s.reasons, s.scored_at, s.changed_at
                from {keys}
                join person_links l on l.profile_id = k.id and l.source = k.c1 and l.push_pending = true
                left join profile_scores s on s.profile_id = l.profile_id
                """, profileIds, List.of(sink), row -> pendingRow(sink, row)));
        pending.sort(java.util.Comparator.comparing(p -> p.target().id()));
        return candidates(sink, pending);
    }

    private record Pending(ExternalId target, String stream, String profileId, StoredScore score) {
    }

    private static Pending pendingRow(String sink, java.sql.ResultSet row) throws java.sql.SQLException {
        return new Pending(new ExternalId(sink, row.getString("record_id")), row.getString("stream"),
                row.getString("profile_id"), row.getString("scored") == null ? null : ScoreRepository.map(row));
    }

    private List<PushCandidate> candidates(String sink, List<Pending> pending) {
        Map<String, Map<String, String>> written = written(sink,
                pending.stream().map(p -> p.target().id()).toList());
        List<PushCandidate> result = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            result.add(new PushCandidate(p.target(), p.stream(), p.profileId(), p.score(),
                    written.getOrDefault(p.target().id(), Map.of())));
        }
        return result;
    }

    /** The values last written to the given records of a sink. */
    public Map<String, Map<String, String>> written(String sink, Collection<String> recordIds) {
        Map<String, Map<String, String>> result = new HashMap<>();
        Sql.queryByKeys(connection, "select p.record_id, p.field_name, p.field_value from {keys}"
                        + " join push_ledger p on p.sink = k.c1 and p.record_id = k.id order by p.field_name", recordIds,
                List.of(sink), row -> new String[] {row.getString(1), row.getString(2), row.getString(3)})
                .forEach(r -> result.computeIfAbsent(r[0], k -> new LinkedHashMap<>()).put(r[1], r[2]));
        return result;
    }

    /** Records values a sink accepted. */
    public void recordWritten(String sink, String recordId, Map<String, String> fields, Instant now, Long runId) {
        recordWritten(sink, Map.of(recordId, fields), now, runId);
    }

    /** Records the values a sink accepted for several records (by record id), in one batch. */
    public void recordWritten(String sink, Map<String, Map<String, String>> fieldsByRecord, Instant now, Long runId) {
        List<Object[]> rows = new ArrayList<>();
        fieldsByRecord.forEach((recordId, fields) -> fields.forEach((field, value) ->
                rows.add(new Object[] {sink, recordId, field, value, now, Sql.bigint(runId)})));
        Sql.batch(connection, """
                merge into push_ledger t
                using (values (?, ?, ?, ?, ?, ?)) as s(sink, record_id, field_name, field_value, pushed_at, run_id)
                on t.sink = s.sink and t.record_id = s.record_id and t.field_name = s.field_name
                when matched then update set field_value = s.field_value, pushed_at = s.pushed_at, run_id = s.run_id
                when not matched then insert (sink, record_id, field_name, field_value, pushed_at, run_id)
                    values (s.sink, s.record_id, s.field_name, s.field_value, s.pushed_at, s.run_id)
                """, rows);
    }

    /** Clears the push mark of records whose values are now current (or whose failure was dead-lettered). */
    public void clearPending(String sink, Collection<String> recordIds) {
        List<Object[]> rows = new ArrayList<>(recordIds.size());
        recordIds.forEach(id -> rows.add(new Object[] {sink, id}));
        Sql.batch(connection, "update person_links set push_pending = false where source = ? and record_id = ?", rows);
    }

    /** Marks one linked record as needing a push (a replay); false if no profile links it any more. */
    public boolean markRecordPending(String sink, String recordId) {
        return Sql.update(connection, "update person_links set push_pending = true where source = ? and record_id = ?",
                sink, recordId) == 1;
    }

    /** Marks every linked record of the profiles as needing a push (their score changed). */
    public void markProfilesPending(Collection<String> profileIds) {
        List<Object[]> rows = new ArrayList<>(profileIds.size());
        profileIds.forEach(id -> rows.add(new Object[] {id}));
        Sql.batch(connection, "update person_links set push_pending = true where profile_id = ?", rows);
    }

    public long countPending(String sink) {
        return Sql.count(connection, "select count(*) from person_links where source = ? and push_pending = true",
                sink);
    }

    public long countWritten(String sink) {
        return Sql.count(connection, "select count(distinct record_id) from push_ledger where sink = ?", sink);
    }
}
