package io.leadsync.store;

import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Sync runs: when, what started them, how they ended, and their per-stage counts. */
public final class RunRepository {
    private final Connection connection;

    RunRepository(Connection connection) {
        this.connection = connection;
    }

    /** Records a run under way, owned by the lease owner {@code owner}. */
    public long start(String job, String trigger, String owner, Instant now) {
        return Sql.insertReturningId(connection, "insert into sync_runs (job, trigger_type, status, started_at, owner)"
                + " values (?, ?, 'RUNNING', ?, ?)", "run_id", job, trigger, now, owner);
    }

    /** Records a run that did not start, e.g. because another run of the job was under way. */
    public long recordSkipped(String job, String trigger, String message, Instant now) {
        return Sql.insertReturningId(connection, "insert into sync_runs (job, trigger_type, status, started_at,"
                + " finished_at, message) values (?, ?, 'SKIPPED', ?, ?, ?)", "run_id", job, trigger, now, now, message);
    }

    /** Saves the counts so far of a run under way. */
    public void progress(long runId, String statsJson) {
        Sql.update(connection, "update sync_runs set stats = ? where run_id = ?", statsJson, runId);
    }

    /**
     * Records how a run ended, if it is still RUNNING: a run another process already closed as ABORTED (its lease
     * was taken over) keeps that status. Returns whether it was recorded.
     */
    public boolean finish(long runId, RunStatus status, String message, String statsJson, Instant now) {
        return Sql.update(connection, "update sync_runs set status = ?, message = ?, stats = ?, finished_at = ?"
                + " where run_id = ? and status = 'RUNNING'", status.name(), Sql.text(message), Sql.text(statsJson),
                now, runId) == 1;
    }

    /**
     * Closes as ABORTED the runs of a job left RUNNING by {@code owner}, or by any owner when it is null (the job's
     * lease is free, so no run of it can be under way); returns how many.
     */
    public int abortRunning(String job, String owner, String message, Instant now) {
        if (owner == null) {
            return Sql.update(connection, "update sync_runs set status = 'ABORTED', message = ?, finished_at = ?"
                    + " where job = ? and status = 'RUNNING'", message, now, job);
        }
        return Sql.update(connection, "update sync_runs set status = 'ABORTED', message = ?, finished_at = ?"
                + " where job = ? and status = 'RUNNING' and owner = ?", message, now, job, owner);
    }

    /** The run of a job still RUNNING under the lease owner {@code owner}, if any (the run under way, in any process). */
    public Optional<RunRecord> running(String job, String owner) {
        return Sql.one(connection, "select * from sync_runs where job = ? and status = 'RUNNING' and owner = ?"
                + " order by run_id desc limit 1", RunRepository::map, job, owner);
    }

    /** The runs of a job left RUNNING, newest first (under way somewhere, or left by a process that died). */
    public List<RunRecord> runningOf(String job) {
        return Sql.query(connection, "select * from sync_runs where job = ? and status = 'RUNNING' order by run_id desc",
                RunRepository::map, job);
    }

    public Optional<RunRecord> get(long runId) {
        return Sql.one(connection, "select * from sync_runs where run_id = ?", RunRepository::map, runId);
    }

    /** The latest runs, newest first; of one job, or of all when {@code job} is null. */
    public List<RunRecord> recent(String job, int limit) {
        if (job == null) {
            return Sql.query(connection, "select * from sync_runs order by run_id desc limit ?", RunRepository::map,
                    limit);
        }
        return Sql.query(connection, "select * from sync_runs where job = ? order by run_id desc limit ?",
                RunRepository::map, job, limit);
    }

    private static RunRecord map(ResultSet row) throws SQLException {
        return new RunRecord(row.getLong("run_id"), row.getString("job"), row.getString("trigger_type"),
                RunStatus.valueOf(row.getString("status")), Sql.instant(row, "started_at"),
                Sql.instant(row, "finished_at"), row.getString("message"), row.getString("stats"),
                row.getString("owner"));
    }
}
