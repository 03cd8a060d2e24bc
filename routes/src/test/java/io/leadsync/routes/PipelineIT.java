package io.leadsync.routes;

import io.leadsync.connector.Cursor;
import io.leadsync.connector.StreamId;
import io.leadsync.store.DatabaseSettings;
import io.leadsync.store.DeadLetter;
import io.leadsync.store.RunRecord;
import io.leadsync.store.RunStatus;
import io.leadsync.store.Store;
import io.leadsync.store.StoreTransaction;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole pipeline on Camel and H2, with in-memory connectors whose faults each test controls. */
class PipelineIT {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    private final FakeSource source = new FakeSource("crm");
    private final FakeSink sink = new FakeSink("crm", 3);
    private Store store;
    private DefaultCamelContext camel;
    private SyncEngine engine;

    @BeforeEach
    void setUp() {
        store = Store.open(DatabaseSettings.h2Memory("pipeline-" + DATABASES.incrementAndGet()));
        for (int i = 1; i <= 8; i++) {
            source.put(String.format("%03d", i), "person" + i + "@acme.de", i % 2 == 0 ? "VP Sales" : "Engineer",
                    T0.plusSeconds(i), Map.of("points", Integer.toString(i * 5)));
        }
    }

    private SyncEngine start(String schedule) throws Exception {
        return start(schedule, true);
    }

    private SyncEngine start(String schedule, boolean startSchedules) throws Exception {
        return start(schedule, startSchedules, new PointsScoring());
    }

    private SyncEngine start(String schedule, boolean startSchedules, ScoringService scoring)
            throws Exception {
        camel = new DefaultCamelContext();
        engine = SyncEngine.builder().store(store).camel(camel).scoring(scoring)
                .clock(Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC)).startSchedules(startSchedules)
                .job(new SyncJob("full-sync", schedule, List.of(source), List.of(sink), SyncJob.TaskPolicy.defaults()))
                .build();
        engine.start();
        camel.start();
        return engine;
    }

    @AfterEach
    void tearDown() {
        if (camel != null) {
            camel.stop();
        }
        store.close();
    }

    private <T> T read(java.util.function.Function<StoreTransaction, T> query) {
        return store.inTransaction(query);
    }

    @Test
    void pullsScoresAndPushesEveryContactOnTheFirstRun() throws Exception {
        RunRecord run = start(null).runNow("full-sync", "test");

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.message()).contains("pulled 8 records (8 new or changed").contains("scored 8 changed profiles")
                .contains("pushed 8 records in 3 batches");
        assertThat(sink.values).hasSize(8);
        assertThat(sink.values.get("008")).containsEntry("score", "80").containsEntry("grade", "A")
                .containsEntry("model-version", "points@1").containsEntry("reasons", "+40 Points; +40 VP title");
        assertThat(sink.batchSizes).as("vendor-sized batches").containsExactly(3, 3, 2);
        assertThat(read((StoreTransaction tx) -> tx.cursors().load(new StreamId("crm", "contacts")))).get()
                .extracting(Cursor::position).isEqualTo(T0.plusSeconds(8).toString());
        assertThat(run.statsJson()).contains("\"written\":8");
    }

    @Test
    void pushesFlowWhileTheScoreStageGoesOnInFullBatchesWithTheFewestCalls() throws Exception {
        for (int i = 9; i <= 450; i++) {
            source.put(String.format("%03d", i), "person" + i + "@acme.de", "Engineer", T0.plusSeconds(i),
                    Map.of("points", Integer.toString(i % 100)));
        }
        PointsScoring points = new PointsScoring();
        java.util.concurrent.atomic.AtomicInteger scored = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean wroteWhileScoring = new java.util.concurrent.atomic.AtomicBoolean();
        // the score stage commits its first batch (200 profiles), then holds its second until the sink has had a
        // write: pushed only after the stage, the sink would get none and the wait would time out
        ScoringService holding = new ScoringService() {
            @Override
            public String modelId() {
                return points.modelId();
            }

            @Override
            public java.util.OptionalInt taskThreshold() {
                return points.taskThreshold();
            }

            @Override
            public io.leadsync.connector.ScoreResult score(io.leadsync.connector.Person golden,
                                                         List<io.leadsync.connector.Activity> activities,
                                                         Instant asOf) {
                if (scored.incrementAndGet() == 201) {
                    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
                    while (sink.batchSizes.isEmpty() && System.nanoTime() < deadline) {
                        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                    }
                    wroteWhileScoring.set(!sink.batchSizes.isEmpty());
                }
                return points.score(golden, activities, asOf);
            }
        };

        RunRecord run = start(null, true, holding).runNow("full-sync", "test");

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(wroteWhileScoring).as("a batch written while the score stage went on").isTrue();
        assertThat(sink.values).hasSize(450);
        assertThat(sink.writesPerRecord.values()).as("no record pushed twice").containsOnly(1);
        assertThat(sink.batchSizes).as("the fewest calls: every batch full").hasSize(150).containsOnly(3);
        assertThat(run.statsJson()).contains("\"written\":450").contains("batchesBesideScoring");
    }

    @Test
    void secondRunWithNothingChangedPushesNothingAndSaysSo() throws Exception {
        start(null).runNow("full-sync", "test");
        int callsAfterFirst = sink.batchSizes.size();

        RunRecord second = engine.runNow("full-sync", "test");

        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sink.batchSizes).hasSize(callsAfterFirst);
        assertThat(second.message()).contains("pushed nothing: every CRM value is already current")
                .contains("scored 0 changed profiles");
        assertThat(second.message()).as("the overlap re-reads recent records; they are recognised, not stored")
                .contains("0 new or changed").contains("8 re-seen");
    }

    @Test
    void pushesOnlyTheFieldsThatChanged() throws Exception {
        start(null).runNow("full-sync", "test");
        source.put("002", "person2@acme.de", "VP Sales", T0.plusSeconds(100), Map.of("points", "45"));

        RunRecord run = engine.runNow("full-sync", "test");

        assertThat(run.message()).contains("pushed 1 records");
        assertThat(sink.writesPerRecord).containsEntry("002", 2);
        assertThat(sink.values.get("002")).containsEntry("score", "85");
    }

    @Test
    void resumesFromTheSavedCursorAfterAFailureMidRunWithoutLosingOrRePushing() throws Exception {
        source.failAtPage = 2;
        start(null);

        RunRecord failed = engine.runNow("full-sync", "test");

        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.message()).contains("fake source dropped the connection before page 2");
        assertThat(sink.values).as("what was stored before the failure is still scored and pushed")
                .containsOnlyKeys("001", "002", "003", "004", "005", "006");
        assertThat(read((StoreTransaction tx) -> tx.cursors().load(new StreamId("crm", "contacts")))).get()
                .extracting(Cursor::position).isEqualTo(T0.plusSeconds(6).toString());

        source.failAtPage = -1;
        RunRecord resumed = engine.runNow("full-sync", "test");

        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(source.readsFrom.get(1).position()).as("resumed from the saved cursor")
                .isEqualTo(T0.plusSeconds(6).toString());
        assertThat(sink.values).hasSize(8);
        assertThat(sink.writesPerRecord.values()).as("no record pushed twice").containsOnly(1);
        assertThat(read((StoreTransaction tx) -> tx.profiles().count())).isEqualTo(8);
    }

    @Test
    void catchesARecordModifiedDuringARunOnTheNextRun() throws Exception {
        start(null).runNow("full-sync", "test");
        // modified while the first run was reading, but indexed by the vendor with a time before the saved cursor
        source.put("001", "person1@acme.de", "VP Marketing", T0.plusSeconds(7), Map.of("points", "5"));

        RunRecord next = engine.runNow("full-sync", "test");

        assertThat(next.message()).contains("1 new or changed");
        assertThat(sink.values.get("001")).containsEntry("score", "45");
    }

    @Test
    void refusesACursorWrittenByAnotherConnectorVersion() throws Exception {
        start(null).runNow("full-sync", "test");
        source.cursorVersion = 2;
        source.put("009", "new@acme.de", "CTO", T0.plusSeconds(500), Map.of());

        RunRecord run = engine.runNow("full-sync", "test");

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.message()).contains("format version 1 but this connector reads version 2");
        assertThat(read((StoreTransaction tx) -> tx.sourceRecords().count())).as("nothing re-pulled or skipped silently").isEqualTo(8);
    }

    @Test
    void neverOverlapsTwoRunsOfOneJob() throws Exception {
        source.hold = new CountDownLatch(1);
        start(null);
        SyncEngine.RunRequest first = engine.trigger("full-sync", "api");
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.runningRun("full-sync").isPresent());

        SyncEngine.RunRequest second = engine.trigger("full-sync", "api");

        assertThat(first.started()).isTrue();
        assertThat(second.started()).isFalse();
        assertThat(second.runningRunId()).isEqualTo(first.runId());
        assertThat(second.message()).contains("run " + first.runId() + " of job full-sync is under way");
        source.hold.countDown();
        assertThat(engine.await(first.runId(), Duration.ofSeconds(10)).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(read((StoreTransaction tx) -> tx.runs().get(second.runId()))).get().extracting(RunRecord::status)
                .isEqualTo(RunStatus.SKIPPED);
    }

    @Test
    void refusesToStartWhileAnotherProcessHoldsTheJobLease() throws Exception {
        start(null);
        assertThat(store.tryAcquireJobLock("full-sync", new io.leadsync.store.JobLockRepository.Holder("other-node/1", "other-host", 77, T0), T0.plusSeconds(3600), Duration.ofMinutes(10)))
                .isTrue();

        RunRecord run = engine.runNow("full-sync", "api");

        assertThat(run.status()).isEqualTo(RunStatus.SKIPPED);
        assertThat(run.message()).contains("job full-sync is running on other-node/1");
    }

    @Test
    void sendsMalformedRecordsToDeadLettersAndCarriesOn() throws Exception {
        source.put("004", "person4@acme.de", "VP Sales", T0.plusSeconds(4), Map.of("broken", "yes"));

        RunRecord run = start(null).runNow("full-sync", "test");

        assertThat(run.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(sink.values).hasSize(7).doesNotContainKey("004");
        List<DeadLetter> letters = read(tx -> tx.deadLetters().forRun(run.runId()));
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.stage()).isEqualTo("pull");
            assertThat(letter.recordId()).isEqualTo("004");
            assertThat(letter.reason()).contains("properties.lastmodifieddate");
        });
    }

    @Test
    void keepsARefusedWriteInDeadLettersAndWritesTheRest() throws Exception {
        sink.refused.add("003");

        RunRecord run = start(null).runNow("full-sync", "test");

        assertThat(run.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(run.message()).contains("pushed 7 records (1 refused)");
        assertThat(read((StoreTransaction tx) -> tx.deadLetters().forRun(run.runId()))).singleElement()
                .satisfies(letter -> assertThat(letter.reason()).isEqualTo("INVALID_FIELD: value refused for 003"));
    }

    @Test
    void keepsTheRunGoingWhenOneProfileCannotBeScored() throws Exception {
        source.put("005", "person5@acme.de", "Engineer", T0.plusSeconds(5), Map.of("unscorable", "x"));

        RunRecord run = start(null).runNow("full-sync", "test");

        assertThat(run.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(sink.values).hasSize(7);
        assertThat(read((StoreTransaction tx) -> tx.deadLetters().forRun(run.runId()))).singleElement()
                .satisfies(letter -> assertThat(letter.reason()).contains("attribute 'unscorable' cannot be scored"));
    }

    @Test
    void createsOneTaskPerThresholdCrossingAndNoneOnReRuns() throws Exception {
        start(null).runNow("full-sync", "test");
        assertThat(sink.tasks).extracting(task -> task.person().id()).containsExactlyInAnyOrder("004", "006", "008");
        assertThat(sink.tasks).allSatisfy(task -> assertThat(task.subject()).startsWith("Hot lead: "));

        engine.runNow("full-sync", "test");
        assertThat(sink.tasks).hasSize(3);

        source.put("001", "person1@acme.de", "VP Sales", T0.plusSeconds(600), Map.of("points", "30"));
        engine.runNow("full-sync", "test");
        assertThat(sink.tasks).hasSize(4);
        assertThat(sink.tasks.get(3).person().id()).isEqualTo("001");
    }

    @Test
    void keepsARecordTheCrmCouldNotWriteThisTimeForTheNextRunInsteadOfDeadLetteringIt() throws Exception {
        sink.lockedOnce.add("003");
        RunRecord first = start(null).runNow("full-sync", "test");

        assertThat(first.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(first.message()).contains("(1 the CRM could not write this time, kept for the next run)");
        assertThat(read((StoreTransaction tx) -> tx.deadLetters().forRun(first.runId()))).isEmpty();
        assertThat(sink.values).doesNotContainKey("003");

        RunRecord second = engine.runNow("full-sync", "test");

        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(second.message()).contains("pushed 1 records");
        assertThat(sink.values).containsKey("003");
    }

    private List<io.leadsync.store.TaskRepository.TaskEntry> ledger() {
        return read((StoreTransaction tx) -> tx.tasks().entries("crm"));
    }

    @Test
    void keepsTasksWhoseCallFailedPendingAndCreatesThemOnceOnTheNextRun() throws Exception {
        sink.failTaskCallsBefore = 1;
        RunRecord failed = start(null).runNow("full-sync", "test");

        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.message()).contains("3 kept pending for the next run");
        assertThat(sink.tasks).isEmpty();
        assertThat(ledger()).hasSize(3).allSatisfy(entry -> {
            assertThat(entry.status()).isEqualTo("PENDING");
            assertThat(entry.message()).contains("503");
            assertThat(entry.key()).matches("ls-[0-9a-f]{12}");
        });

        RunRecord next = engine.runNow("full-sync", "test");

        assertThat(next.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sink.tasks).extracting(task -> task.person().id()).containsExactlyInAnyOrder("004", "006", "008");
        assertThat(ledger()).allSatisfy(entry -> assertThat(entry.status()).isEqualTo("CONFIRMED"));
        assertThat(sink.tasks).allSatisfy(task -> assertThat(task.body()).contains("leadsync ref: ls-"));
    }

    @Test
    void findsTasksWhoseAnswerWasLostInsteadOfCreatingThemAgain() throws Exception {
        sink.loseTaskAnswers = 1;
        RunRecord failed = start(null).runNow("full-sync", "test");
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(sink.tasks).as("created, but leadsync never heard").hasSize(3);
        assertThat(ledger()).allSatisfy(entry -> assertThat(entry.status()).isEqualTo("PENDING"));

        RunRecord next = engine.runNow("full-sync", "test");

        assertThat(next.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(next.message()).contains("found 3 an interrupted attempt had created");
        assertThat(sink.tasks).as("no task created twice").hasSize(3);
        assertThat(ledger()).extracting(io.leadsync.store.TaskRepository.TaskEntry::taskId)
                .containsExactlyInAnyOrder("task-1", "task-2", "task-3");
    }

    @Test
    void givesUpOnATaskAfterFiveAttemptsWithADeadLetterNeverLeavingItPending() throws Exception {
        sink.failTaskCallsBefore = Integer.MAX_VALUE;
        start(null);
        for (int run = 1; run <= 5; run++) {
            assertThat(engine.runNow("full-sync", "test").status()).as("run " + run).isEqualTo(RunStatus.FAILED);
        }
        assertThat(ledger()).allSatisfy(entry -> {
            assertThat(entry.status()).isEqualTo("PENDING");
            assertThat(entry.attempts()).isEqualTo(5);
        });

        RunRecord last = engine.runNow("full-sync", "test");

        assertThat(last.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(ledger()).allSatisfy(entry -> {
            assertThat(entry.status()).isEqualTo("FAILED");
            assertThat(entry.message()).startsWith("gave up after 5 attempts: fake CRM answered 503");
        });
        assertThat(read((StoreTransaction tx) -> tx.deadLetters().forRun(last.runId()))).hasSize(3)
                .allSatisfy(letter -> assertThat(letter.stage()).isEqualTo("task"));
    }

    @Test
    void linksRecordsWithTheSameEmailIntoOneProfileAndWritesBoth() throws Exception {
        source.put("100", "PERSON2@acme.de ", "Engineer", T0.plusSeconds(9), Map.of());

        start(null).runNow("full-sync", "test");

        assertThat(read((StoreTransaction tx) -> tx.profiles().count())).isEqualTo(8);
        assertThat(sink.values.get("100")).isEqualTo(sink.values.get("002"));
    }

    @Test
    void runsOnTheJobsCronSchedule() throws Exception {
        start("0/1 * * * * ?");

        await().atMost(Duration.ofSeconds(10)).until(() -> read(tx -> tx.runs().recent("full-sync", 10)).stream()
                .anyMatch(run -> run.trigger().startsWith("schedule 20") && run.status() == RunStatus.SUCCEEDED));
        assertThat(sink.values).hasSize(8);
    }

    @Test
    void heldSchedulesWaitUntilStartedWhileRunsOnDemandGoAhead() throws Exception {
        SyncEngine held = start("0/1 * * * * ?", false);

        RunRecord demand = held.runNow("full-sync", "demo");
        Thread.sleep(2_500);   // two and a half cron periods: a running trigger would have fired twice
        assertThat(demand.runId()).isEqualTo(1);
        assertThat(demand.status()).isEqualTo(RunStatus.SUCCEEDED);
        List<RunRecord> runs = read(tx -> tx.runs().recent("full-sync", 10));
        assertThat(runs).extracting(RunRecord::trigger)
                .containsExactly("demo");

        held.startSchedules();

        await().atMost(Duration.ofSeconds(10)).until(() -> read(tx -> tx.runs().recent("full-sync", 10)).stream()
                .anyMatch(run -> run.trigger().startsWith("schedule 20") && run.status() == RunStatus.SUCCEEDED));
    }
}
