package io.leadsync.routes;

import io.leadsync.connector.FieldChange;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.StreamId;
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

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs of a job across processes and restarts: a lease held by a heartbeat for the whole run, a dead holder's lease
 * taken at once on its own host, graceful shutdown at a safe point or by abandoning a call that hangs.
 */
class RunRecoveryIT {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private final List<DefaultCamelContext> contexts = new ArrayList<>();
    private final List<SyncEngine> engines = new ArrayList<>();
    private Store store;

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
        engines.forEach(engine -> engine.shutdown(Duration.ZERO));
        contexts.forEach(DefaultCamelContext::stop);
        if (store != null) {
            store.close();
        }
    }

    private Store postgresStore() throws Exception {
        String database = "recovery_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("create database " + database);
        }
        return Store.open(new DatabaseSettings(postgres.getJdbcUrl("postgres", database), "postgres", null, 10));
    }

    private static FakeSource source() {
        FakeSource source = new FakeSource("crm");
        Instant t0 = Instant.parse("2026-11-24T09:00:00Z");
        for (int i = 1; i <= 9; i++) {
            source.put(String.format("%03d", i), "person" + i + "@acme.de", "VP Sales", t0.plusSeconds(i),
                    Map.of("points", Integer.toString(i * 5)));
        }
        return source;
    }

    /** One process: its own Camel context and engine on the shared store. */
    private SyncEngine process(String node, FakeSource source, io.leadsync.connector.SinkConnector sink,
                               Duration leaseTtl) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        SyncEngine engine = SyncEngine.builder().store(store).camel(camel).scoring(new PointsScoring()).nodeId(node)
                .leaseTtl(leaseTtl)
                .job(new SyncJob("full-sync", null, List.of(source), List.of(sink), SyncJob.TaskPolicy.defaults()))
                .build();
        engine.start();
        camel.start();
        contexts.add(camel);
        engines.add(engine);
        return engine;
    }

    private RunRecord run(long id) {
        return store.inTransaction((StoreTransaction tx) -> tx.runs().get(id)).orElseThrow();
    }

    /** A sink whose every write takes {@code millis}: a long push stage. */
    private static final class SlowSink extends FakeSinkDelegate {
        private final long millis;

        SlowSink(long millis) {
            super(new FakeSink("crm", 3));
            this.millis = millis;
        }

        @Override
        public List<RecordResult> write(List<FieldChange> changes) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.write(changes);
        }
    }

    /** A sink whose first write hangs like a socket read that never returns: interrupts do not end it. */
    private static final class HangingSink extends FakeSinkDelegate {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);

        HangingSink() {
            super(new FakeSink("crm", 3));
        }

        @Override
        public List<RecordResult> write(List<FieldChange> changes) {
            entered.countDown();
            boolean released = false;
            while (!released) {
                try {
                    released = release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    // a blocking socket read does not end on an interrupt either
                }
            }
            return super.write(changes);
        }
    }

    @Test
    void holdsTheLeaseForTheWholeRunSoAnotherProcessNeverStartsTheJobDuringALongPush() throws Exception {
        store = postgresStore();
        Duration ttl = Duration.ofMillis(600);
        SyncEngine a = process("node-a", source(), new SlowSink(900), ttl);
        SyncEngine b = process("node-b", source(), new FakeSink("crm", 3), ttl);

        SyncEngine.RunRequest first = a.trigger("full-sync", "test");
        // three batches of 900 ms: the push alone lasts more than four lease lifetimes
        Thread.sleep(2_000);
        RunRecord during = b.runNow("full-sync", "test");

        assertThat(during.status()).as("the lease was kept by the heartbeat, not by page stores")
                .isEqualTo(RunStatus.SKIPPED);
        assertThat(during.message()).contains("job full-sync is running on node-a/");
        assertThat(a.await(first.runId(), Duration.ofSeconds(20)).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(b.runNow("full-sync", "test").status()).as("free once the run ended").isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void takesOverAtOnceTheLeaseOfAProcessOnThisHostThatIsGoneAndClosesItsRunAsAborted() throws Exception {
        store = Store.open(DatabaseSettings.h2Memory("recovery-" + DATABASES.incrementAndGet()));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String name = ManagementFactory.getRuntimeMXBean().getName();
        String host = name.substring(name.indexOf('@') + 1);
        Instant now = Instant.now();
        String deadOwner = "dead-node/7f3a";
        assertThat(store.tryAcquireJobLock("full-sync", new JobLockRepository.Holder(deadOwner, host, gone.pid(),
                now.minusSeconds(30)), now, Duration.ofMinutes(10))).isTrue();
        long orphan = store.inTransaction((StoreTransaction tx) -> tx.runs().start("full-sync", "schedule", deadOwner,
                now));

        SyncEngine engine = process("node-a", source(), new FakeSink("crm", 3), Duration.ofSeconds(60));

        assertThat(run(orphan).status()).as("closed when the process started").isEqualTo(RunStatus.ABORTED);
        assertThat(run(orphan).message()).contains("(pid " + gone.pid() + " on " + host + ") is gone")
                .contains("the next run resumes from the saved cursors");
        RunRecord next = engine.runNow("full-sync", "test");
        assertThat(next.status()).as("started at once, not after ten minutes").isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void takesOverAnExpiredLeaseOfAnotherHostAndClosesItsRun() throws Exception {
        store = Store.open(DatabaseSettings.h2Memory("recovery-" + DATABASES.incrementAndGet()));
        Instant now = Instant.now();
        assertThat(store.tryAcquireJobLock("full-sync", new JobLockRepository.Holder("far-node/1", "far-host", 99,
                now), now.minusSeconds(120), Duration.ofSeconds(60))).isTrue();
        long orphan = store.inTransaction((StoreTransaction tx) -> tx.runs().start("full-sync", "schedule",
                "far-node/1", now.minusSeconds(120)));
        SyncEngine engine = process("node-a", source(), new FakeSink("crm", 3), Duration.ofSeconds(60));

        assertThat(engine.runNow("full-sync", "test").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run(orphan).status()).isEqualTo(RunStatus.ABORTED);
        assertThat(run(orphan).message()).contains("its lease expired at");
    }

    @Test
    void waitsForALiveLeaseOfAnotherHost() throws Exception {
        store = Store.open(DatabaseSettings.h2Memory("recovery-" + DATABASES.incrementAndGet()));
        Instant now = Instant.now();
        store.tryAcquireJobLock("full-sync", new JobLockRepository.Holder("far-node/1", "far-host", 99, now), now,
                Duration.ofMinutes(5));
        SyncEngine engine = process("node-a", source(), new FakeSink("crm", 3), Duration.ofSeconds(60));

        RunRecord run = engine.runNow("full-sync", "test");

        assertThat(run.status()).isEqualTo(RunStatus.SKIPPED);
        assertThat(run.message()).contains("running on far-node/1");
    }

    @Test
    void stopsARunAtItsNextSafePointOnShutdownAndTheNextProcessResumes() throws Exception {
        store = Store.open(DatabaseSettings.h2Memory("recovery-" + DATABASES.incrementAndGet()));
        FakeSource source = source();
        source.hold = new CountDownLatch(1);
        FakeSink sink = new FakeSink("crm", 3);
        SyncEngine engine = process("node-a", source, sink, Duration.ofSeconds(60));
        SyncEngine.RunRequest request = engine.trigger("full-sync", "test");
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.runningRun("full-sync").isPresent());

        Thread release = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                // released at once then
            }
            source.hold.countDown();
        });
        release.start();
        int stopped = engine.shutdown(Duration.ofSeconds(10));

        assertThat(stopped).isEqualTo(1);
        RunRecord aborted = run(request.runId());
        assertThat(aborted.status()).isEqualTo(RunStatus.ABORTED);
        assertThat(aborted.message()).startsWith("stopped at a safe point: the process is stopping");
        assertThat(sink.calls.get()).as("nothing pushed after the stop").isZero();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.jobLocks().lease("full-sync"))).isEmpty();
        assertThat(engine.runNow("full-sync", "test").status()).as("a stopped engine starts nothing")
                .isEqualTo(RunStatus.SKIPPED);

        SyncEngine next = process("node-b", source(), sink, Duration.ofSeconds(60));
        RunRecord resumed = next.runNow("full-sync", "test");
        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.sourceRecords()
                .count(new StreamId("crm", "contacts")))).isEqualTo(9);
    }

    @Test
    void abandonsACallThatHangsPastTheGraceRecordsTheRunAbortedAndFreesTheJob() throws Exception {
        HangingRun hung = startHangingRun();
        HangingSink hanging = hung.sink();
        SyncEngine engine = hung.engine();
        SyncEngine.RunRequest request = hung.request();

        long started = System.nanoTime();
        engine.shutdown(Duration.ofMillis(500));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(tookMillis).as("bounded by the grace").isLessThan(5_000);
        RunRecord aborted = run(request.runId());
        assertThat(aborted.status()).isEqualTo(RunStatus.ABORTED);
        assertThat(aborted.message()).contains("the process stopped while a call was under way");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.jobLocks().lease("full-sync"))).isEmpty();

        SyncEngine next = process("node-b", source(), new FakeSink("crm", 3), Duration.ofSeconds(60));
        assertThat(next.runNow("full-sync", "test").status()).as("not blocked by the abandoned run")
                .isEqualTo(RunStatus.SUCCEEDED);
        hanging.release.countDown();
        Thread.sleep(500);
        assertThat(run(request.runId()).status()).as("the late call does not rewrite how the run ended")
                .isEqualTo(RunStatus.ABORTED);
    }

    /** A store out of reach at shutdown (the database gone) does not keep the engine from stopping within its grace. */
    @Test
    void stopsWithinTheGraceEvenWhenTheStoreIsOutOfReach() throws Exception {
        HangingRun hung = startHangingRun();
        java.util.concurrent.CompletableFuture<RunRecord> waiter = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return hung.engine().await(hung.request().runId(), Duration.ofSeconds(60));
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        Thread.sleep(200);   // the waiter waits on the run's completion
        store.close();

        long started = System.nanoTime();
        assertThat(hung.engine().shutdown(Duration.ofMillis(500))).as("runs stopped").isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bounded by the grace")
                .isLessThan(Duration.ofSeconds(5));
        hung.sink().release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(waiter::isDone);
        assertThat(waiter).as("a waiter learns the run's end could not be recorded").isCompletedExceptionally();
    }

    /** A run under way whose push call hangs until released. */
    private record HangingRun(SyncEngine engine, SyncEngine.RunRequest request, HangingSink sink) {
    }

    private HangingRun startHangingRun() throws Exception {
        store = Store.open(DatabaseSettings.h2Memory("recovery-" + DATABASES.incrementAndGet()));
        HangingSink hanging = new HangingSink();
        SyncEngine engine = process("node-a", source(), hanging, Duration.ofSeconds(60));
        SyncEngine.RunRequest request = engine.trigger("full-sync", "test");
        assertThat(hanging.entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new HangingRun(engine, request, hanging);
    }
}
