package io.leadsync.store;

import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;

/**
 * The task outbox: at most one follow-up task per threshold crossing and sink, created exactly once.
 *
 * <p>A task is reserved {@code PENDING} with its idempotency key and the exact task to send, in the transaction that
 * records the attempt, before the CRM is called; the answer moves it to {@code CONFIRMED} with the CRM's id, or
 * {@code FAILED} with the vendor's reason (and a dead letter). A task still {@code PENDING} (the call failed as a
 * whole, or the process died) is looked up in the CRM by its key on the next run, confirmed if found, sent again if
 * not; after {@link #MAX_ATTEMPTS} attempts it fails with the last reason. Nothing stays {@code PENDING} for ever.
 */
public final class TaskRepository {
    /** Attempts at a task before it goes to the dead letters. */
    public static final int MAX_ATTEMPTS = 5;

    private final Connection connection;

    TaskRepository(Connection connection) {
        this.connection = connection;
    }

    /** A crossing that still needs a task in a sink. */
    public record PendingTask(long crossingId, String profileId, int threshold, int score, String modelVersion,
                              Instant crossedAt) {
    }

    /** A task in the outbox: what to send ({@code payload}, JSON) and how often it was tried. */
    public record OutboxTask(String sink, long crossingId, String recordId, String key, String payload, int attempts,
                             String lastError) {
    }

    /** A task to reserve. */
    public record Reservation(long crossingId, String recordId, String key, String payload) {
    }

    /** A ledger entry. */
    public record TaskEntry(String sink, long crossingId, String recordId, String status, String taskId,
                            String message, Instant updatedAt, String key, int attempts) {
    }

    /**
     * The latest crossing of each profile that has no ledger entry for this sink yet, whose profile has a record in
     * this sink and still scores at or above the threshold (a lead that cooled down gets no task).
     */
    public List<PendingTask> pending(String sink, int limit) {
        return pending(sink, 0, limit);
    }

    /**
     * {@link #pending(String, int)} after the given crossing: a push walks the crossings once, page by page, instead
     * of reading again from the first one every page past those it has reserved (n²/100 crossings read for n).
     */
    public List<PendingTask> pending(String sink, long afterCrossing, int limit) {
        return Sql.query(connection, """
                select c.crossing_id, c.profile_id, c.threshold, c.score, c.model_version, c.crossed_at
                from threshold_crossings c
                join profile_scores s on s.profile_id = c.profile_id and s.score >= c.threshold
                where c.crossing_id > ?
                  and c.crossing_id = (select max(c2.crossing_id) from threshold_crossings c2
                                       where c2.profile_id = c.profile_id)
                  and not exists (select 1 from task_ledger t where t.sink = ? and t.crossing_id = c.crossing_id)
                  and exists (select 1 from person_links l where l.profile_id = c.profile_id and l.source = ?)
                order by c.crossing_id
                limit ?
                """, row -> new PendingTask(row.getLong(1), row.getString(2), row.getInt(3), row.getInt(4),
                        row.getString(5), Sql.instant(row, "crossed_at")), afterCrossing, sink, sink, limit);
    }

    /**
     * Reserves tasks as {@code PENDING} with their first attempt recorded; call it in the transaction before the CRM
     * is called. Returns the reservations taken (a crossing already in the ledger is left as it is).
     */
    public List<Reservation> reserve(String sink, List<Reservation> reservations, Instant now) {
        List<Reservation> taken = new java.util.ArrayList<>();
        for (Reservation reservation : reservations) {
            int inserted = Sql.update(connection, """
                    merge into task_ledger t
                    using (values (cast(? as varchar(100)), cast(? as bigint), cast(? as varchar(255)),
                        cast(? as varchar(40)), cast(? as text), cast(? as timestamp with time zone)))
                        as s(sink, crossing_id, record_id, task_key, payload, created_at)
                    on t.sink = s.sink and t.crossing_id = s.crossing_id
                    when not matched then insert (sink, crossing_id, record_id, status, task_key, payload, attempts,
                                                  last_attempt_at, created_at, updated_at)
                        values (s.sink, s.crossing_id, s.record_id, 'PENDING', s.task_key, s.payload, 1, s.created_at,
                                s.created_at, s.created_at)
                    """, sink, reservation.crossingId(), reservation.recordId(), reservation.key(),
                    reservation.payload(), now);
            if (inserted == 1) {
                taken.add(reservation);
            }
        }
        return taken;
    }

    /** Tasks an earlier attempt left {@code PENDING}, oldest first. */
    public List<OutboxTask> outstanding(String sink, long afterCrossing, int limit) {
        return Sql.query(connection, """
                select sink, crossing_id, record_id, task_key, payload, attempts, message from task_ledger
                where sink = ? and status = 'PENDING' and crossing_id > ?
                order by sink, status, crossing_id
                limit ?
                """, row -> new OutboxTask(row.getString(1), row.getLong(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getInt(6), row.getString(7)), sink, afterCrossing, limit);
    }

    /** Records one more attempt at tasks still {@code PENDING}, before the CRM is called again. */
    public void recordAttempt(String sink, List<Long> crossingIds, Instant now) {
        for (long crossingId : crossingIds) {
            Sql.update(connection, "update task_ledger set attempts = attempts + 1, last_attempt_at = ?, updated_at = ?"
                    + " where sink = ? and crossing_id = ? and status = 'PENDING'", now, now, sink, crossingId);
        }
    }

    /** Keeps tasks {@code PENDING} with the reason their attempt failed as a whole; the next run tries again. */
    public void recordError(String sink, List<Long> crossingIds, String error, Instant now) {
        for (long crossingId : crossingIds) {
            Sql.update(connection, "update task_ledger set message = ?, updated_at = ? where sink = ? and crossing_id = ?"
                    + " and status = 'PENDING'", error, now, sink, crossingId);
        }
    }

    public void markConfirmed(String sink, long crossingId, String taskId, Instant now) {
        Sql.update(connection, "update task_ledger set status = 'CONFIRMED', task_id = ?, message = null,"
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
                        Sql.instant(row, "updated_at"), row.getString("task_key"), row.getInt("attempts")), sink);
    }

    public long count(String sink, String status) {
        return Sql.count(connection, "select count(*) from task_ledger where sink = ? and status = ?", sink, status);
    }

    /**
     * Puts the FAILED tasks of a record back in the outbox (PENDING, attempts from zero): the next push reconciles
     * them against the CRM by key and sends those it does not find. Returns how many.
     */
    public int retryFailed(String sink, String recordId, Instant now) {
        return Sql.update(connection, "update task_ledger set status = 'PENDING', attempts = 0, message = null,"
                + " updated_at = ? where sink = ? and record_id = ? and status = 'FAILED'", now, sink, recordId);
    }
}
