package io.leadsync.store;

import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The work of a run shared between the instances of a cluster (PostgreSQL only): the run's owner offers its items (the
 * streams to pull), any instance claims the next open one with {@code FOR UPDATE SKIP LOCKED} (two instances never
 * claim the same item, and neither waits for the other's claim), keeps a heartbeat on it while it works, and marks it
 * DONE or FAILED with its counts. An item whose worker stopped beating is opened again for another.
 */
public final class RunWorkRepository {
    /** The advisory lock that orders identity work between instances sharing a run (see {@link #lockIdentity}). */
    static final long IDENTITY_LOCK = 0x1ead5_1d0L;

    private final Connection connection;

    RunWorkRepository(Connection connection) {
        this.connection = connection;
    }

    public enum State { OPEN, CLAIMED, DONE, FAILED }

    /** An item as stored: who took it, its last heartbeat, and when finished its counts (JSON) or its error. */
    public record Item(long runId, String item, int position, State state, String worker, Instant heartbeatAt,
                       String statsJson, String error) {
    }

    /** An item claimed: the run it belongs to, its job and lease owner, and the item. */
    public record Claim(long runId, String job, String owner, String item) {
    }

    /** Offers a run's items, in the order they should be taken. */
    public void offer(long runId, List<String> items) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            rows.add(new Object[] {runId, items.get(i), i, State.OPEN.name()});
        }
        Sql.batch(connection, "insert into run_work (run_id, item, position, state) values (?, ?, ?, ?)", rows);
    }

    /**
     * Claims the next open item of a run ({@code runId}), or of any run under way not owned by {@code notOwnedBy}'s
     * instance (when {@code runId} is null); empty when none is open. Use in a transaction of its own.
     *
     * @param notOwnedBy a node id: runs whose lease owner is {@code <node id>/...} are left to their own instance
     */
    public Optional<Claim> claim(Long runId, String worker, String notOwnedBy, Instant now) {
        Optional<Claim> claim = runId != null
                ? Sql.one(connection, "select w.run_id, r.job, r.owner, w.item from run_work w join sync_runs r"
                        + " on r.run_id = w.run_id where w.run_id = ? and w.state = 'OPEN' order by w.position"
                        + " limit 1 for update of w skip locked", RunWorkRepository::claimOf, runId)
                : Sql.one(connection, "select w.run_id, r.job, r.owner, w.item from run_work w join sync_runs r"
                        + " on r.run_id = w.run_id where w.state = 'OPEN' and r.status = 'RUNNING'"
                        + " and r.owner not like ? order by w.run_id, w.position limit 1 for update of w skip locked",
                        RunWorkRepository::claimOf, notOwnedBy + "/%");
        claim.ifPresent(taken -> Sql.update(connection, "update run_work set state = 'CLAIMED', worker = ?,"
                + " claimed_at = ?, heartbeat_at = ? where run_id = ? and item = ?", worker, now, now, taken.runId(),
                taken.item()));
        return claim;
    }

    private static Claim claimOf(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Claim(row.getLong(1), row.getString(2), row.getString(3), row.getString(4));
    }

    /** Whether any run under way has an open item (a cheap look before a claim). */
    public boolean anyOpen() {
        return Sql.count(connection, "select count(*) from run_work w join sync_runs r on r.run_id = w.run_id"
                + " where w.state = 'OPEN' and r.status = 'RUNNING'") > 0;
    }

    /** The heartbeat of a claimed item; false when the worker no longer holds it (it was opened again). */
    public boolean beat(long runId, String item, String worker, Instant now) {
        return Sql.update(connection, "update run_work set heartbeat_at = ? where run_id = ? and item = ?"
                + " and worker = ? and state = 'CLAIMED'", now, runId, item, worker) == 1;
    }

    /** Marks a claimed item DONE or FAILED with its counts (JSON) and error. */
    public void finish(long runId, String item, String worker, boolean done, String statsJson, String error,
                       Instant now) {
        Sql.update(connection, "update run_work set state = ?, stats = ?, error = ?, finished_at = ?"
                + " where run_id = ? and item = ? and worker = ? and state = 'CLAIMED'",
                (done ? State.DONE : State.FAILED).name(), Sql.text(statsJson), Sql.text(error), now, runId, item,
                worker);
    }

    /** Gives a claimed item back, open for any instance (its worker stopped before the item was done). */
    public void release(long runId, String item, String worker) {
        Sql.update(connection, "update run_work set state = 'OPEN', worker = null where run_id = ? and item = ?"
                + " and worker = ? and state = 'CLAIMED'", runId, item, worker);
    }

    /** A run's items, in order. */
    public List<Item> items(long runId) {
        return Sql.query(connection, "select * from run_work where run_id = ? order by position", row -> new Item(
                row.getLong("run_id"), row.getString("item"), row.getInt("position"),
                State.valueOf(row.getString("state")), row.getString("worker"), Sql.instant(row, "heartbeat_at"),
                row.getString("stats"), row.getString("error")), runId);
    }

    /** Opens again the items of a run whose worker's last heartbeat is older than {@code before}; how many. */
    public int reopenStale(long runId, Instant before) {
        return Sql.update(connection, "update run_work set state = 'OPEN', worker = null where run_id = ?"
                + " and state = 'CLAIMED' and heartbeat_at < ?", runId, before);
    }

    /**
     * Orders identity work between the instances sharing a run, for this transaction: a page that links persons (and
     * may merge profiles) takes the lock exclusively; a page of activities only shares it. Pages of activities of
     * several instances go on together; a page of persons never interleaves with another page, so no two instances
     * create a profile each for one person, and no activity attaches to a profile a concurrent merge absorbs.
     */
    public void lockIdentity(boolean exclusive) {
        Sql.one(connection, "select " + (exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared")
                + "(?)", row -> 1, IDENTITY_LOCK);
    }
}
