package io.leadsync.store;

import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The dead-letter store: nothing is dropped silently. */
public final class DeadLetterRepository {
    private final Connection connection;

    DeadLetterRepository(Connection connection) {
        this.connection = connection;
    }

    public long add(Long runId, String stage, String source, String stream, String recordId, String reason,
                    String payload, Instant now) {
        return Sql.insertReturningId(connection, "insert into dead_letters (run_id, stage, source, stream, record_id,"
                        + " reason, payload, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)", "id", Sql.bigint(runId), stage,
                source, Sql.text(stream), Sql.text(recordId), io.leadsync.connector.Secrets.mask(reason), payload == null ? "" : payload, now);
    }

    public List<DeadLetter> recent(int limit) {
        return Sql.query(connection, "select * from dead_letters order by id desc limit ?", DeadLetterRepository::map,
                limit);
    }

    public List<DeadLetter> forRun(long runId) {
        return Sql.query(connection, "select * from dead_letters where run_id = ? order by id",
                DeadLetterRepository::map, runId);
    }

    public long count() {
        return Sql.count(connection, "select count(*) from dead_letters");
    }

    /** Which letters a listing wants; null fields match everything. */
    public record Filter(String status, String stage, String source, Long runId, Long beforeId) {
        public static Filter open() {
            return new Filter(DeadLetter.OPEN, null, null, null, null);
        }
    }

    /** Letters matching a filter, newest first. */
    public List<DeadLetter> list(Filter filter, int limit) {
        StringBuilder sql = new StringBuilder("select * from dead_letters where 1 = 1");
        List<Object> params = new java.util.ArrayList<>();
        if (filter.status() != null) {
            sql.append(" and status = ?");
            params.add(filter.status());
        }
        if (filter.stage() != null) {
            sql.append(" and stage = ?");
            params.add(filter.stage());
        }
        if (filter.source() != null) {
            sql.append(" and source = ?");
            params.add(filter.source());
        }
        if (filter.runId() != null) {
            sql.append(" and run_id = ?");
            params.add(filter.runId());
        }
        if (filter.beforeId() != null) {
            sql.append(" and id < ?");
            params.add(filter.beforeId());
        }
        sql.append(" order by id desc limit ?");
        params.add(limit);
        return Sql.query(connection, sql.toString(), DeadLetterRepository::map, params.toArray());
    }

    public java.util.Optional<DeadLetter> get(long id) {
        return Sql.one(connection, "select * from dead_letters where id = ?", DeadLetterRepository::map, id);
    }

    /** Open letters per stage and source. */
    public java.util.Map<String, Long> countOpenBy() {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        Sql.query(connection, "select stage, source, count(*) from dead_letters where status = 'OPEN'"
                + " group by stage, source", row -> java.util.Map.entry(row.getString(1) + "/" + row.getString(2),
                row.getLong(3))).forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    public long countOpen() {
        return Sql.count(connection, "select count(*) from dead_letters where status = 'OPEN'");
    }

    /**
     * Resolves an open letter as {@link DeadLetter#REPLAYED} or {@link DeadLetter#DISCARDED}; false if it was not open
     * (resolved meanwhile).
     */
    public boolean resolve(long id, String status, String by, String resolution, Instant now) {
        return Sql.update(connection, "update dead_letters set status = ?, resolved_at = ?, resolved_by = ?,"
                + " resolution = ? where id = ? and status = 'OPEN'", status, now, Sql.text(by),
                Sql.text(io.leadsync.connector.Secrets.mask(resolution)), id) == 1;
    }

    private static DeadLetter map(ResultSet row) throws SQLException {
        long runId = row.getLong("run_id");
        Long nullableRunId = row.wasNull() ? null : runId;
        return new DeadLetter(row.getLong("id"), nullableRunId, row.getString("stage"),
                row.getString("source"), row.getString("stream"), row.getString("record_id"), row.getString("reason"),
                row.getString("payload"), Sql.instant(row, "created_at"), row.getString("status"),
                Sql.instant(row, "resolved_at"), row.getString("resolved_by"), row.getString("resolution"));
    }
}
