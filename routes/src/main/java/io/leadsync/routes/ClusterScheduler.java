package io.leadsync.routes;

import io.leadsync.store.Store;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Quartz scheduler behind the jobs' cron triggers ({@code quartz://leadsync/<job>}). In one process: Quartz's RAM
 * store, as camel-quartz makes it. In a cluster ({@code leadsync.cluster.enabled}): Quartz's clustered JDBC job store
 * ({@code JobStoreTX}, {@code PostgreSQLDelegate}) on the store's own PostgreSQL database and connection pool (no second
 * pool), its {@code QRTZ_} tables created by the store's migrations. Every instance shares the triggers: each fire
 * runs on exactly one instance, a paused or rescheduled trigger is paused or rescheduled for all, and an instance that
 * stops checking in is taken over by the others (Quartz's cluster manager frees its triggers).
 *
 * <p>Misfires: a fire missed by more than {@link Settings#misfireThreshold} (every instance down, or the job's previous
 * run still going) fires once as soon as possible and the trigger then keeps its cron ("fire once now", Quartz's
 * {@code MISFIRE_INSTRUCTION_FIRE_ONCE_NOW}): a sync that missed several slots runs once, not once per slot.
 */
public final class ClusterScheduler {
    /** The Quartz scheduler name: the same on every instance of a cluster (the {@code sched_name} of its rows). */
    public static final String SCHEDULER_NAME = "leadsync";
    /** The trigger group of the jobs' cron triggers. */
    public static final String TRIGGER_GROUP = "leadsync";
    private static final AtomicInteger DATA_SOURCES = new AtomicInteger();

    private ClusterScheduler() {
    }

    /**
     * How the cluster's scheduler runs.
     *
     * @param enabled          whether the clustered JDBC store is used (else the RAM store of one process)
     * @param instanceId       this instance's id in the cluster, unique per instance; null: Quartz's AUTO (host name and
     *                         start time)
     * @param checkinInterval  how often an instance checks in; an instance silent for this plus 7.5 s is taken as dead
     * @param misfireThreshold how late a fire may be before it counts as missed (then: fire once now)
     * @param threads          Quartz worker threads: jobs that can run at once on this instance
     */
    public record Settings(boolean enabled, String instanceId, Duration checkinInterval, Duration misfireThreshold,
                           int threads) {
        public Settings {
            Objects.requireNonNull(checkinInterval, "checkinInterval");
            Objects.requireNonNull(misfireThreshold, "misfireThreshold");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1 but is " + threads);
            }
        }

        /** One process, Quartz's RAM store. */
        public static Settings single() {
            return new Settings(false, null, Duration.ofSeconds(5), Duration.ofSeconds(60), 4);
        }
    }

    /**
     * Installs the {@code quartz} component on a Camel context not yet started: with the clustered JDBC store on the
     * store's database when the settings say so (the store must be PostgreSQL). In a cluster the scheduler starts with
     * the context only when {@code startSchedules}; otherwise it stays in standby (it takes no fires) until
     * {@link SyncEngine#startSchedules()}.
     *
     * @throws IllegalStateException when clustering is asked for on a database that is not PostgreSQL
     */
    public static void install(CamelContext camel, Store store, Settings settings, boolean startSchedules) {
        if (!settings.enabled()) {
            return;
        }
        if (!store.isPostgres()) {
            throw new IllegalStateException("leadsync.cluster.enabled needs PostgreSQL: the instances of a cluster share"
                    + " its database and Quartz's tables in it");
        }
        QuartzComponent quartz = new QuartzComponent();
        quartz.setScheduler(scheduler(store, settings));
        quartz.setAutoStartScheduler(startSchedules);
        camel.addComponent("quartz", quartz);
    }

    /** The Quartz properties of a clustered scheduler on the named data source. */
    static Properties properties(Settings settings, String dataSource) {
        Properties properties = new Properties();
        properties.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, SCHEDULER_NAME);
        properties.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID,
                settings.instanceId() == null ? StdSchedulerFactory.AUTO_GENERATE_INSTANCE_ID : settings.instanceId());
        properties.setProperty(StdSchedulerFactory.PROP_SCHED_INTERRUPT_JOBS_ON_SHUTDOWN, "false");
        properties.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        properties.setProperty("org.quartz.threadPool.threadCount", Integer.toString(settings.threads()));
        properties.setProperty("org.quartz.threadPool.threadNamePrefix", "leadsync-quartz");
        properties.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.impl.jdbcjobstore.JobStoreTX");
        properties.setProperty("org.quartz.jobStore.driverDelegateClass",
                "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        properties.setProperty("org.quartz.jobStore.dataSource", dataSource);
        properties.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval",
                Long.toString(settings.checkinInterval().toMillis()));
        properties.setProperty("org.quartz.jobStore.misfireThreshold",
                Long.toString(settings.misfireThreshold().toMillis()));
        // take the trigger rows' lock while acquiring, as Quartz advises for clusters
        properties.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        return properties;
    }

    private static Scheduler scheduler(Store store, Settings settings) {
        String dataSource = "leadsync-store-" + DATA_SOURCES.incrementAndGet();
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new StoreConnections(store));
        try {
            return new StdSchedulerFactory(properties(settings, dataSource)).getScheduler();
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz's clustered job store could not start: " + e.getMessage(), e);
        }
    }

    /** Quartz's connections: borrowed from the store's pool, returned to it when Quartz closes them. */
    private record StoreConnections(Store store) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return store.connection();
        }

        @Override
        public void shutdown() {
            // the store owns its pool
        }

        @Override
        public void initialize() {
            // the pool is open already
        }
    }
}
