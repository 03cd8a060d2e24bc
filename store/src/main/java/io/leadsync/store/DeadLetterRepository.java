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

    private static DeadLetter map(ResultSet row) throws SQLException {
        long runId = row.getLong("run_id");
        Long nullableRunId = row.wasNull() ? null : runId;
        return new DeadLetter(row.getLong("id"), nullableRunId, row.getString("stage"),
                row.getString("source"), row.getString("stream"), row.getString("record_id"), row.getString("reason"),
                row.getString("payload"), Sql.instant(row, "created_at"));
    }
}
