package io.leadsync.store;

import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Leases that keep two runs of one job from overlapping, across processes sharing the database. The run's process
 * holds its lease by a heartbeat for the whole run; a lease expires if its holder dies without releasing it. The
 * holder's host, pid and process start time are kept, so a process on the same host can tell at once that a holder
 * is gone rather than wait for the lease to expire.
 *
 * <p>Use {@link #tryAcquire} in a transaction of its own: on PostgreSQL a concurrent acquisition can fail with a
 * unique violation, which {@link Store#tryAcquireJobLock} turns into {@code false}.
 */
public final class JobLockRepository {
    private final Connection connection;

    JobLockRepository(Connection connection) {
        this.connection = connection;
    }

    /** A lease as stored. */
    public record Lease(String job, String owner, String host, Long pid, Instant processStartedAt, Instant acquiredAt,
                        Instant heartbeatAt, Instant expiresAt) {
        public boolean expiredAt(Instant now) {
            return expiresAt.isBefore(now);
        }
    }

    /** The process that takes a lease. */
    public record Holder(String owner, String host, long pid, Instant processStartedAt) {
    }

    /** Takes the lease if it is free or expired. */
    public boolean tryAcquire(String job, Holder holder, Instant now, Duration ttl) {
        return Sql.update(connection, """
                merge into job_locks t
                using (values (cast(? as varchar(100)), cast(? as varchar(200)), cast(? as varchar(255)),
                    cast(? as bigint), cast(? as timestamp with time zone), cast(? as timestamp with time zone),
                    cast(? as timestamp with time zone))) as s(job, owner, owner_host, owner_pid, owner_started_at,
                                                          acquired_at, expires_at)
                on t.job = s.job
                when matched and t.expires_at < s.acquired_at then update set owner = s.owner,
                    owner_host = s.owner_host, owner_pid = s.owner_pid, owner_started_at = s.owner_started_at,
                    acquired_at = s.acquired_at, heartbeat_at = s.acquired_at, expires_at = s.expires_at
                when not matched then insert (job, owner, owner_host, owner_pid, owner_started_at, acquired_at,
                                              heartbeat_at, expires_at)
                    values (s.job, s.owner, s.owner_host, s.owner_pid, s.owner_started_at, s.acquired_at,
                            s.acquired_at, s.expires_at)
                """, job, holder.owner(), Sql.text(holder.host()), holder.pid(),
                Sql.timestamp(holder.processStartedAt()), now, now.plus(ttl)) == 1;
    }

    /** Takes a lease from a holder known to be dead, if that holder still has it; returns whether it was taken. */
    public boolean takeOver(String job, String deadOwner, Holder holder, Instant now, Duration ttl) {
        return Sql.update(connection, "update job_locks set owner = ?, owner_host = ?, owner_pid = ?,"
                + " owner_started_at = ?, acquired_at = ?, heartbeat_at = ?, expires_at = ? where job = ? and owner = ?",
                holder.owner(), Sql.text(holder.host()), holder.pid(), Sql.timestamp(holder.processStartedAt()), now,
                now, now.plus(ttl), job, deadOwner) == 1;
    }

    /** Extends a lease this owner holds (the heartbeat); false if it lost it. */
    public boolean refresh(String job, String owner, Instant now, Duration ttl) {
        return Sql.update(connection, "update job_locks set expires_at = ?, heartbeat_at = ? where job = ? and owner = ?",
                now.plus(ttl), now, job, owner) == 1;
    }

    public void release(String job, String owner) {
        Sql.update(connection, "delete from job_locks where job = ? and owner = ?", job, owner);
    }

    /** Who holds the lease now, if anyone. */
    public Optional<String> holder(String job, Instant now) {
        return Sql.one(connection, "select owner from job_locks where job = ? and expires_at >= ?",
                row -> row.getString(1), job, now);
    }

    /** The lease of a job as stored, expired or not. */
    public Optional<Lease> lease(String job) {
        return Sql.one(connection, "select * from job_locks where job = ?", row -> new Lease(row.getString("job"),
                row.getString("owner"), row.getString("owner_host"),
                row.getObject("owner_pid") == null ? null : row.getLong("owner_pid"),
                Sql.instant(row, "owner_started_at"), Sql.instant(row, "acquired_at"), Sql.instant(row, "heartbeat_at"),
                Sql.instant(row, "expires_at")), job);
    }
}
