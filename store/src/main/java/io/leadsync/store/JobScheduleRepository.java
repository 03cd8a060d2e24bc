package io.leadsync.store;

import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Job schedules changed at run time (over the API or the command line) and paused triggers; a job without a row
 * runs on its configured schedule.
 */
public final class JobScheduleRepository {
    private final Connection connection;

    JobScheduleRepository(Connection connection) {
        this.connection = connection;
    }

    /**
     * A job's schedule as changed at run time.
     *
     * @param schedule  the Quartz cron in force, or null to run on demand only
     * @param paused    whether its cron trigger is paused
     * @param updatedBy who changed it ({@code api:<token name>}, {@code cli})
     */
    public record Override(String job, String schedule, boolean paused, Instant updatedAt, String updatedBy) {
    }

    public Optional<Override> get(String job) {
        return Sql.one(connection, "select * from job_schedules where job = ?", JobScheduleRepository::map, job);
    }

    public Map<String, Override> all() {
        Map<String, Override> all = new LinkedHashMap<>();
        Sql.query(connection, "select * from job_schedules order by job", JobScheduleRepository::map)
                .forEach(o -> all.put(o.job(), o));
        return all;
    }

    public void save(Override override) {
        Sql.update(connection, """
                merge into job_schedules t
                using (values (?, ?, ?, ?, ?)) as s(job, schedule, paused, updated_at, updated_by)
                on t.job = s.job
                when matched then update set schedule = s.schedule, paused = s.paused, updated_at = s.updated_at,
                     updated_by = s.updated_by
                when not matched then insert (job, schedule, paused, updated_at, updated_by)
                     values (s.job, s.schedule, s.paused, s.updated_at, s.updated_by)
                """, override.job(), Sql.text(override.schedule()), override.paused(), override.updatedAt(),
                Sql.text(override.updatedBy()));
    }

    private static Override map(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Override(row.getString("job"), row.getString("schedule"), row.getBoolean("paused"),
                Sql.instant(row, "updated_at"), row.getString("updated_by"));
    }
}
