package io.leadsync.app;

import io.leadsync.routes.IdentityService;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Identity resolution's upkeep, on a thread of its own: at start, gives identity resolution the records linked before
 * it kept its own (after an upgrade); then re-estimates the weights from the store's records on
 * {@code leadsync.identity.weights-schedule} (every night at 03:00 unless configured otherwise). Held, like the jobs'
 * triggers, when {@code leadsync.start-schedules} is false.
 */
@Context
public class IdentityMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityMaintenance.class);

    private final IdentityService identity;
    private final Clock clock;
    private final CronExpression schedule;
    private final ScheduledExecutorService timer;

    public IdentityMaintenance(IdentityService identity, LeadsyncConfig config, Clock clock) throws ParseException {
        this.identity = identity;
        this.clock = clock;
        String cron = config.identity().weightsSchedule();
        this.schedule = cron == null ? null : new CronExpression(cron);
        if (!config.startSchedules()) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "leadsync-identity");
            thread.setDaemon(true);
            return thread;
        });
        timer.execute(this::backfill);
        scheduleNext();
    }

    private void backfill() {
        try {
            int added = identity.backfill();
            if (added > 0) {
                LOG.info("Identity resolution now holds {} person records linked before it kept its own", added);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not give identity resolution the records linked before: {}", e.getMessage(), e);
        }
    }

    private void scheduleNext() {
        if (schedule == null || timer == null) {
            return;
        }
        Date next = schedule.getNextValidTimeAfter(Date.from(clock.instant()));
        if (next == null) {
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), next.toInstant()).toMillis());
        timer.schedule(() -> {
            try {
                identity.estimate("schedule");
            } catch (RuntimeException e) {
                LOG.warn("Scheduled estimate of the identity weights failed: {}", e.getMessage(), e);
            } finally {
                scheduleNext();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
