package io.leadsync.store;

import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;

/**
 * The task ledger: at most one follow-up task per threshold crossing and sink, never a duplicate on re-runs.
 *
 * <p>A task is reserved ({@code PENDING}) in its own transaction before the CRM is called, then marked
 * {@code CREATED} with the CRM's id or {@code FAILED} with the reason. A reservation left {@code PENDING} by a
 * crash is not retried automatically: the task may exist in the CRM, and a duplicate is worse than a task an
 * operator re-issues (the runs API lists them).
 */
public final class TaskRepository {
    private final Connection connection;

    TaskRepository(Connection connection) {
        this.connection = connection;
    }

    /** A crossing that still needs a task in a sink. */
    public record PendingTask(long crossingId, String profileId, int threshold, int score, String modelVersion,
                              Instant crossedAt) {
    }

    /** A ledger entry. */
    public record TaskEntry(String sink, long crossingId, String recordId, String status, String taskId,
                            String message, Instant updatedAt) {
    }

    /**
     * The latest crossing of each profile that has no ledger entry for this sink yet, whose profile has a record in
     * this sink and still scores at or above the threshold (a lead that cooled down gets no task).
     */
    public List<PendingTask> pending(String sink, int limit) {
        return Sql.query(connection, """
                select c.crossing_id, c.profile_id, c.threshold, c.score, c.model_version, c.crossed_at
                from threshold_crossings c
                join profile_scores s on s.profile_id = c.profile_id and s.score >= c.threshold
                where c.crossing_id = (select max(c2.crossing_id) from threshold_crossings c2
                                       where c2.profile_id = c.profile_id)
                  and not exists (select 1 from task_ledger t where t.sink = ? and t.crossing_id = c.crossing_id)
                  and exists (select 1 from person_links l where l.profile_id = c.profile_id and l.source = ?)
                order by c.crossing_id
                limit ?
                """, row -> new PendingTask(row.getLong(1), row.getString(2), row.getInt(3), row.getInt(4),
                        row.getString(5), Sql.instant(row, "crossed_at")), sink, sink, limit);
    }

    /** Reserves the task of a crossing; false if it is already reserved (by this or an earlier run). */
    public boolean reserve(String sink, long crossingId, String recordId, Instant now) {
        return Sql.update(connection, """
                merge into task_ledger t
                using (values (?, ?, ?, ?)) as s(sink, crossing_id, record_id, created_at)
                on t.sink = s.sink and t.crossing_id = s.crossing_id
                when not matched then insert (sink, crossing_id, record_id, status, created_at, updated_at)
                    values (s.sink, s.crossing_id, s.record_id, 'PENDING', s.created_at, s.created_at)
                """, sink, crossingId, recordId, now) == 1;
    }

    public void markCreated(String sink, long crossingId, String taskId, Instant now) {
        Sql.update(connection, "update task_ledger set status = 'CREATED', task_id = ?, message = null,"
                + " updated_at = ? where sink = ? and crossing_id = ?", taskId, now, sink, crossingId);
    }

    public void markFailed(String sink, long crossingId, String message, Instant now) {
        Sql.update(connection, "update task_ledger set status = 'FAILED', message = ?, updated_at = ?"
                + " where sink = ? and crossing_id = ?", message, now, sink, crossingId);
    }

    public List<TaskEntry> entries(String sink) {
        return Sql.query(connection, "select * from task_ledger where sink = ? order by crossing_id",
                row -> new TaskEntry(row.getString("sink"), row.getLong("crossing_id"), row.getString("record_id"),
                        row.getString("status"), row.getString("task_id"), row.getString("message"),
                        Sql.instant(row, "updated_at")), sink);
    }

    public long count(String sink, String status) {
        return Sql.count(connection, "select count(*) from task_ledger where sink = ? and status = ?", sink, status);
    }
}
