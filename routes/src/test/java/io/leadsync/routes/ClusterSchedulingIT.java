package io.leadsync.routes;

import io.leadsync.store.DatabaseSettings;
import io.leadsync.store.JobLockRepository;
import io.leadsync.store.RunRecord;
import io.leadsync.store.RunStatus;
import io.leadsync.store.Store;
import io.leadsync.store.StoreTransaction;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A clustered engine on a real PostgreSQL: its cron trigger lives in Quartz's JDBC store (the {@code qrtz_} tables our
 * migrations create), reschedule, pause and resume change that shared trigger, and a run left RUNNING by a stopped
 * instance is taken over and resumed without waiting for a schedule. The two-JVM cluster test is the bench's
 * {@code ClusterIT}; Quartz keeps one scheduler per name in a JVM, so one clustered engine at a time runs here.
 */
class ClusterSchedulingIT {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private DefaultCamelContext camel;
    private SyncEngine engine;
    private Store store;
    private String url;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @AfterEach
    void tearDown() {
        stop();
        if (store != null) {
            store.close();
        }
    }

    private void stop() {
        if (engine != null) {
            engine.shutdown(Duration.ZERO);
            camel.stop();
            engine = null;
        }
    }

    private Store postgresStore() throws Exception {
        String database = "cluster_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("create database " + database);
        }
        url = postgres.getJdbcUrl("postgres", database);
        return Store.open(new DatabaseSettings(url, "postgres", null, 10));
    }

    private SyncEngine instance(String node, String cron, Duration leaseTtl) throws Exception {
        camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("leadsync");
        ClusterScheduler.install(camel, store, new ClusterScheduler.Settings(true, node, Duration.ofSeconds(1),
                Duration.ofSeconds(60), 2), true);
        FakeSource source = new FakeSource("crm");
        source.put("001", "ada@acme.de", "VP Sales", Instant.parse("2026-11-24T09:00:00Z"), Map.of("points", "40"));
        engine = SyncEngine.builder().store(store).camel(camel).scoring(new PointsScoring()).nodeId(node)
                .leaseTtl(leaseTtl).clustered(true)
                .job(new SyncJob("full-sync", cron, List.of(source), List.of(new FakeSink("crm", 3)),
                        SyncJob.TaskPolicy.defaults()))
                .build();
        engine.start();
        camel.start();
        return engine;
    }

    private String one(String sql) throws Exception {
        try (Connection connection = java.sql.DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private List<RunRecord> runs() {
        return store.inTransaction((StoreTransaction tx) -> tx.runs().recent("full-sync", 100));
    }

    @Test
    void keepsTheCronTriggerInQuartzsTablesAndFiresItWithTheFireTimeOnTheRun() throws Exception {
        store = postgresStore();
        instance("node-a", "* * * * * ?", Duration.ofSeconds(10));

        assertThat(one("select cron_expression from qrtz_cron_triggers where trigger_name = 'full-sync'"))
                .isEqualTo("* * * * * ?");
        assertThat(one("select instance_name from qrtz_scheduler_state")).isEqualTo("node-a");
        await().atMost(Duration.ofSeconds(20)).until(() -> runs().stream()
                .filter(run -> run.status() == RunStatus.SUCCEEDED).count() >= 2);
        assertThat(runs()).allSatisfy(run -> {
            assertThat(run.trigger()).matches("schedule 2\\d{3}-.*Z");
            assertThat(run.node()).isEqualTo("node-a");
        });
        assertThat(runs().stream().map(RunRecord::trigger).distinct().count()).as("each fire once")
                .isEqualTo(runs().size());
    }

    @Test
    void pausesReschedulesAndResumesTheSharedTriggerSoAnInstanceStartedLaterFollowsIt() throws Exception {
        store = postgresStore();
        instance("node-a", "0 0 3 * * ?", Duration.ofSeconds(10));

        engine.pause("full-sync", "test");
        assertThat(one("select trigger_state from qrtz_triggers where trigger_name = 'full-sync'")).isEqualTo("PAUSED");
        engine.reschedule("full-sync", "0 30 4 * * ?", "test");
        assertThat(one("select cron_expression from qrtz_cron_triggers where trigger_name = 'full-sync'"))
                .isEqualTo("0 30 4 * * ?");
        assertThat(one("select trigger_state from qrtz_triggers where trigger_name = 'full-sync'"))
                .as("a rescheduled paused trigger stays paused").isEqualTo("PAUSED");
        assertThat(engine.schedule("full-sync").paused()).isTrue();

        // another instance (here: the next one on the same database) sees the shared trigger as it was left
        stop();
        instance("node-b", "0 0 3 * * ?", Duration.ofSeconds(10));
        assertThat(engine.schedule("full-sync").schedule()).isEqualTo("0 30 4 * * ?");
        assertThat(one("select trigger_state from qrtz_triggers where trigger_name = 'full-sync'")).isEqualTo("PAUSED");
        engine.resume("full-sync", "test");
        assertThat(one("select trigger_state from qrtz_triggers where trigger_name = 'full-sync'")).isEqualTo("WAITING");
        SyncEngine.JobSchedule schedule = engine.schedule("full-sync");
        assertThat(schedule.nextFireTime()).as("from the shared trigger").isNotNull();
        assertThat(schedule.nextFireTime().atZone(java.time.ZoneOffset.UTC).getMinute()).isEqualTo(30);

        engine.reschedule("full-sync", null, "test");
        assertThat(one("select count(*) from qrtz_triggers")).as("on demand only: no trigger fires anywhere")
                .isEqualTo("0");
    }

    @Test
    void startsARecoveryRunAtOnceWhenAnotherInstancesRunWasLeftWithAnExpiredLease() throws Exception {
        store = postgresStore();
        Instant now = Instant.now();
        assertThat(store.tryAcquireJobLock("full-sync", new JobLockRepository.Holder("node-gone/1", "far-host", 99,
                now), now.minusSeconds(10), Duration.ofSeconds(2))).isTrue();
        long left = store.inTransaction((StoreTransaction tx) -> tx.runs().start("full-sync", "schedule",
                "node-gone/1", now.minusSeconds(10)));

        instance("node-a", null, Duration.ofMillis(900));

        await().atMost(Duration.ofSeconds(20)).until(() -> runs().stream().anyMatch(run ->
                run.trigger().startsWith("recovery of run " + left) && run.status() == RunStatus.SUCCEEDED));
        RunRecord dead = runs().stream().filter(run -> run.runId() == left).findFirst().orElseThrow();
        assertThat(dead.status()).isEqualTo(RunStatus.ABORTED);
        assertThat(runs()).as("one recovery, no skipped runs").hasSize(2);
    }

    @Test
    void resumesAtOnceARunItsInstanceStoppedGracefullyAndOnlyOnce() throws Exception {
        store = postgresStore();
        Instant now = Instant.now();
        long stopped = store.inTransaction((StoreTransaction tx) -> {
            long id = tx.runs().start("full-sync", "schedule", "node-gone/1", now.minusSeconds(5));
            tx.runs().finish(id, RunStatus.ABORTED, "stopped at a safe point: the process is stopping",
                    "{\"states\":{\"run\":{\"interrupted\":\"shutdown\"}}}", now);
            return id;
        });

        instance("node-a", null, Duration.ofMillis(900));

        await().atMost(Duration.ofSeconds(20)).until(() -> runs().stream().anyMatch(run ->
                run.trigger().startsWith("recovery of run " + stopped) && run.status() == RunStatus.SUCCEEDED));
        Thread.sleep(1_500);   // several heartbeats later
        assertThat(runs()).as("resumed once, not again at every heartbeat").hasSize(2);
    }

    @Test
    void showsTheRunUnderWayInAnotherInstanceFromItsLease() throws Exception {
        store = postgresStore();
        instance("node-a", null, Duration.ofSeconds(30));
        Instant now = Instant.now();
        assertThat(store.tryAcquireJobLock("full-sync", new JobLockRepository.Holder("node-b/9", "far-host", 99,
                now), now, Duration.ofSeconds(30))).isTrue();
        long elsewhere = store.inTransaction((StoreTransaction tx) -> tx.runs().start("full-sync", "api", "node-b/9",
                now));

        assertThat(engine.runningRun("full-sync")).contains(elsewhere);
    }

    /** A source whose every page takes {@code millis} to read: a long stream. */
    private static final class SlowSource extends ForwardingSource {
        private final long millis;

        SlowSource(FakeSource delegate, long millis) {
            super(delegate);
            this.millis = millis;
        }

        @Override
        public java.util.stream.Stream<io.leadsync.connector.Page<io.leadsync.connector.SourceRecord>> read(
                io.leadsync.connector.StreamId stream, io.leadsync.connector.Cursor from) {
            return delegate.read(stream, from).peek(page -> {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Test
    void sharesARunsStreamsWithAnotherInstanceThatClaimsThemFromTheDatabase() throws Exception {
        store = postgresStore();
        List<io.leadsync.connector.SourceConnector> sources = new java.util.ArrayList<>();
        for (int s = 1; s <= 4; s++) {
            FakeSource source = new FakeSource("crm" + s);
            for (int i = 1; i <= 9; i++) {
                source.put(s + "-" + i, "person" + s + "x" + i + "@acme.de", "VP Sales",
                        Instant.parse("2026-11-24T09:00:00Z").plusSeconds(i), Map.of("points", "10"));
            }
            sources.add(new SlowSource(source, 400));
        }
        // two instances of a cluster in this JVM: their schedules are not under test (on demand only), so the second
        // needs no Quartz of its own
        List<DefaultCamelContext> contexts = new java.util.ArrayList<>();
        List<SyncEngine> both = new java.util.ArrayList<>();
        try {
            for (String node : List.of("node-a", "node-b")) {
                DefaultCamelContext context = new DefaultCamelContext();
                SyncEngine instance = SyncEngine.builder().store(store).camel(context).scoring(new PointsScoring())
                        .nodeId(node).leaseTtl(Duration.ofSeconds(10)).clustered(true)
                        .job(new SyncJob("full-sync", null, sources, List.of(new FakeSink("crm1", 3)),
                                SyncJob.TaskPolicy.defaults()))
                        .build();
                instance.start();
                context.start();
                contexts.add(context);
                both.add(instance);
            }
            RunRecord run = both.get(0).runNow("full-sync", "test");

            assertThat(run.status()).as(run.message()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(one("select count(*) from run_work where run_id = " + run.runId() + " and state = 'DONE'"))
                    .isEqualTo("4");
            assertThat(one("select count(*) from run_work where run_id = " + run.runId() + " and worker = 'node-b'"))
                    .as("streams node-b claimed and pulled").isNotEqualTo("0");
            assertThat(one("select count(*) from source_records")).isEqualTo("36");
            assertThat(run.statsJson()).as("node-b's counts are the run's").contains("\"shared\":{\"node-b\"")
                    .contains("\"received\":9");
            assertThat(one("select count(*) from profiles")).isEqualTo("36");
        } finally {
            both.forEach(instance -> instance.shutdown(Duration.ZERO));
            contexts.forEach(DefaultCamelContext::stop);
        }
    }

    @Test
    void refusesClusteringOnADatabaseOtherThanPostgres() {
        store = Store.open(DatabaseSettings.h2Memory("cluster-h2"));
        assertThatThrownBy(() -> ClusterScheduler.install(new DefaultCamelContext(), store,
                new ClusterScheduler.Settings(true, null, Duration.ofSeconds(5), Duration.ofSeconds(60), 2), true))
                .hasMessageContaining("leadsync.cluster.enabled needs PostgreSQL");
    }
}
