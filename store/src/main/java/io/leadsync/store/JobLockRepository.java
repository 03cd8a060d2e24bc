package io.leadsync.store;

import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Leases that keep two runs of one job from overlapping, across processes sharing the database. A lease expires
 * if its holder dies without releasing it; a live holder refreshes it while it works.
 *
 * <p>Use {@link #tryAcquire} in a transaction of its own: on PostgreSQL a concurrent acquisition can fail with a
 * unique violation, which {@link Store#tryAcquireJobLock} turns into {@code false}.
 */
public final class JobLockRepository {
    private final Connection connection;

    JobLockRepository(Connection connection) {
        this.connection = connection;
    }

    /** Takes the lease if it is free or expired. */
    public boolean tryAcquire(String job, String owner, Instant now, Duration ttl) {
        return Sql.update(connection, """
                merge into job_locks t
                using (values (?, ?, ?, ?)) as s(job, owner, acquired_at, expires_at)
                on t.job = s.job
                when matched and t.expires_at < s.acquired_at then update set owner = s.owner,
                    acquired_at = s.acquired_at, expires_at = s.expires_at
                when not matched then insert (job, owner, acquired_at, expires_at)
                    values (s.job, s.owner, s.acquired_at, s.expires_at)
                """, job, owner, now, now.plus(ttl)) == 1;
    }

    /** Extends a lease this owner holds; false if it lost it. */
    public boolean refresh(String job, String owner, Instant now, Duration ttl) {
        return Sql.update(connection, "update job_locks set expires_at = ? where job = ? and owner = ?",
                now.plus(ttl), job, owner) == 1;
    }

    public void release(String job, String owner) {
        Sql.update(connection, "delete from job_locks where job = ? and owner = ?", job, owner);
    }

    /** Who holds the lease now, if anyone. */
    public Optional<String> holder(String job, Instant now) {
        return Sql.one(connection, "select owner from job_locks where job = ? and expires_at >= ?",
                row -> row.getString(1), job, now);
    }
}
