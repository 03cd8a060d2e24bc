package io.leadsync.routes;

import io.leadsync.connector.Change;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.store.ChangeInboxRepository;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The event path on Camel and H2: changes in through the intake, stored, scored and pushed by event runs. */
class EventPipelineIT {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");
    private static final StreamId CONTACTS = new StreamId("crm", "contacts");

    private final FakeSource source = new FakeSource("crm");
    private final FakeSink sink = new FakeSink("crm", 3);
    private final MovableClock clock = new MovableClock(T0.plusSeconds(3600));
    private Store store;
    private DefaultCamelContext camel;
    private SyncEngine engine;

    @BeforeEach
    void setUp() {
        store = Store.open(DatabaseSettings.h2Memory("events-" + DATABASES.incrementAndGet()));
        for (int i = 1; i <= 8; i++) {
            source.put(String.format("%03d", i), "person" + i + "@acme.de", i % 2 == 0 ? "VP Sales" : "Engineer",
                    T0.plusSeconds(i), Map.of("points", Integer.toString(i * 5)));
        }
    }

    private SyncEngine start(EventSettings events) throws Exception {
        camel = new DefaultCamelContext();
        engine = SyncEngine.builder().store(store).camel(camel).scoring(new PointsScoring()).clock(clock)
                .events(events)
                .job(new SyncJob("full-sync", null, List.of(source), List.of(sink), SyncJob.TaskPolicy.defaults()))
                .build();
        engine.start();
        camel.start();
        return engine;
    }

    private SyncEngine start() throws Exception {
        return start(EventSettings.defaults().withDebounce(Duration.ofMillis(50)));
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.shutdown(Duration.ofSeconds(5));
        }
        if (camel != null) {
            camel.stop();
        }
        store.close();
    }

    private <T> T read(Function<StoreTransaction, T> query) {
        return store.inTransaction(query);
    }

    private List<RunRecord> eventRuns() {
        return read((StoreTransaction tx) -> tx.runs().recent("full-sync", 100)).stream()
                .filter(run -> run.trigger().equals("events")).toList();
    }

    private static Change named(String eventId, String id) {
        return Change.of(eventId, CONTACTS, id, Change.Kind.UPSERTED, T0.plusSeconds(100));
    }

    @Test
    void aNamedChangeIsReadByIdScoredAndPushedByAnEventRun() throws Exception {
        start().runNow("full-sync", "test");
        source.put("002", "person2@acme.de", "VP Sales", T0.plusSeconds(100), Map.of("points", "45"));

        ChangeIntake.Receipt receipt = engine.changes().accept(List.of(named("ev-1", "002")));

        assertThat(receipt).isEqualTo(new ChangeIntake.Receipt(1, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.writesPerRecord.getOrDefault("002", 0) == 2);
        assertThat(sink.values.get("002")).containsEntry("score", "85");
        assertThat(source.fetches).containsExactly(List.of("002"));
        await().until(() -> !eventRuns().isEmpty() && eventRuns().get(0).finishedAt() != null);
        RunRecord run = eventRuns().get(0);
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.message()).startsWith("event run: 1 changes (0 carrying their record, 1 records read by id")
                .contains("scored 1 changed profiles").contains("pushed 1 records");
        assertThat(run.statsJson()).contains("\"events\"").contains("p50Millis");
        assertThat(read((StoreTransaction tx) -> tx.changeInbox().count(ChangeInboxRepository.DONE))).isEqualTo(1);
        assertThat(read((StoreTransaction tx) -> tx.cursors().load(CONTACTS))).get().as("an event run never moves a cursor")
                .extracting(cursor -> cursor.position()).isEqualTo(T0.plusSeconds(8).toString());
    }

    @Test
    void aRepeatedEventIsCountedAndIgnored() throws Exception {
        start(EventSettings.defaults().withDebounce(Duration.ofSeconds(30)));

        ChangeIntake.Receipt first = engine.changes().accept(List.of(named("ev-1", "001"), named("ev-2", "002")));
        ChangeIntake.Receipt again = engine.changes().accept(List.of(named("ev-2", "002"), named("ev-3", "003")));

        assertThat(first).isEqualTo(new ChangeIntake.Receipt(2, 0));
        assertThat(again).isEqualTo(new ChangeIntake.Receipt(1, 1));
        assertThat(read((StoreTransaction tx) -> tx.changeInbox().pending())).isEqualTo(3);
    }

    @Test
    void aChangeNamingAnUnknownSourceOrStreamIsRefusedAndNothingOfItsBatchIsStored() throws Exception {
        start();

        assertThatThrownBy(() -> engine.changes().accept(List.of(named("ev-1", "001"),
                Change.of("ev-2", new StreamId("elsewhere", "contacts"), "9", Change.Kind.UPSERTED, T0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'elsewhere', which no job reads");
        assertThatThrownBy(() -> engine.changes().accept(List.of(
                Change.of("ev-3", new StreamId("crm", "deals"), "9", Change.Kind.UPSERTED, T0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("its streams are [contacts]");
        assertThat(read((StoreTransaction tx) -> tx.changeInbox().pending())).isZero();
    }

    @Test
    void aSourceSwitchedOffRefusesItsChangesNamingTheSetting() throws Exception {
        start(new EventSettings(true, Duration.ofMillis(50), 1000, 5, Set.of("crm")));

        assertThatThrownBy(() -> engine.changes().accept(List.of(named("ev-1", "001"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sync.connectors.crm.events");
        assertThat(read((StoreTransaction tx) -> tx.changeInbox().pending())).isZero();
    }

    @Test
    void switchedOffEveryBatchIsRefused() throws Exception {
        start(EventSettings.off());

        assertThatThrownBy(() -> engine.changes().accept(List.of(named("ev-1", "001"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("leadsync.events.enabled");
    }

    @Test
    void aChangeCarryingItsRecordIsStoredWithoutReadingTheSource() throws Exception {
        start().runNow("full-sync", "test");
        Person person = Person.builder(new ExternalId("crm", "020"), T0.plusSeconds(200)).email("new@acme.de")
                .title("VP Sales").firstName("New").lastName("Lead").attributes(Map.of("points", "30")).build();

        engine.changes().accept(List.of(Change.carrying("ev-9", SourceRecord.of(CONTACTS, person, person.updatedAt(),
                "{\"id\":\"020\"}"))));

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.values.containsKey("020"));
        assertThat(sink.values.get("020")).containsEntry("score", "70");
        assertThat(source.fetches).isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.sourceRecords().normalized(CONTACTS, "020"))).get().asString().contains("new@acme.de");
    }

    @Test
    void aDeletedRecordLeavesItsProfileAsAScheduledReadWouldHaveIt() throws Exception {
        start().runNow("full-sync", "test");
        assertThat(read((StoreTransaction tx) -> tx.profiles().count())).isEqualTo(8);

        engine.changes().accept(List.of(Change.of("ev-d", CONTACTS, "003", Change.Kind.DELETED, T0.plusSeconds(300))));

        await().atMost(Duration.ofSeconds(10)).until(() -> read((StoreTransaction tx) -> tx.sourceRecords().version(CONTACTS, "003"))
                .map(SourceRecordVersion -> SourceRecordVersion.deleted()).orElse(false));
        assertThat(source.fetches).isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.profiles().profilesOf("crm", Set.of("003")))).isEmpty();
    }

    @Test
    void aGapReadsTheStreamFromItsSavedCursorWithoutMovingIt() throws Exception {
        start().runNow("full-sync", "test");
        source.put("004", "person4@acme.de", "VP Sales", T0.plusSeconds(500), Map.of("points", "50"));
        int readsBefore = source.readsFrom.size();

        engine.changes().accept(List.of(Change.of("gap-1", CONTACTS, "*", Change.Kind.GAP, T0.plusSeconds(500))));

        await().atMost(Duration.ofSeconds(10)).until(() -> "90".equals(sink.values.get("004").get("score")));
        assertThat(source.readsFrom).hasSize(readsBefore + 1);
        assertThat(source.readsFrom.get(readsBefore).position()).isEqualTo(T0.plusSeconds(8).toString());
        assertThat(read((StoreTransaction tx) -> tx.cursors().load(CONTACTS))).get().extracting(cursor -> cursor.position())
                .isEqualTo(T0.plusSeconds(8).toString());
    }

    @Test
    void changesForAJobWhoseRunIsUnderWayWaitAndGoInTheEventRunRightAfterIt() throws Exception {
        start().runNow("full-sync", "test");
        source.put("005", "person5@acme.de", "VP Sales", T0.plusSeconds(600), Map.of("points", "10"));
        source.hold = new CountDownLatch(1);
        SyncEngine.RunRequest scheduled = engine.trigger("full-sync", "schedule");
        await().until(() -> engine.runningRun("full-sync").isPresent());

        engine.changes().accept(List.of(named("ev-5", "005")));
        Thread.sleep(500);
        assertThat(eventRuns()).as("no event run while the scheduled run holds the job").isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.changeInbox().pending())).isEqualTo(1);
        source.hold.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> read((StoreTransaction tx) -> tx.changeInbox().pending()) == 0
                && !eventRuns().isEmpty() && eventRuns().get(0).finishedAt() != null);
        RunRecord first = engine.await(scheduled.runId(), Duration.ofSeconds(5));
        RunRecord events = eventRuns().get(0);
        assertThat(events.startedAt()).isAfterOrEqualTo(first.finishedAt());
        assertThat(read((StoreTransaction tx) -> tx.runs().recent("full-sync", 100)).stream()
                .filter(run -> run.status() == RunStatus.SKIPPED)).as("waiting records no skipped runs").isEmpty();
        assertThat(sink.writesPerRecord.get("005")).as("the scheduled run wrote it; the event run found it current")
                .isEqualTo(2);
    }

    @Test
    void aReadByIdThatFailsIsTriedAgainAndAfterItsAttemptsDeadLettered() throws Exception {
        start(new EventSettings(true, Duration.ofMillis(50), 1000, 2, Set.of())).runNow("full-sync", "test");
        source.failFetches = -1;

        engine.changes().accept(List.of(named("ev-f", "006")));

        await().atMost(Duration.ofSeconds(10)).until(() -> eventRuns().size() == 1
                && eventRuns().get(0).finishedAt() != null);
        assertThat(eventRuns().get(0).status()).isEqualTo(RunStatus.FAILED);
        assertThat(eventRuns().get(0).message()).contains("1 to be tried again")
                .contains("fake source answered 503 to the read by id");
        assertThat(read((StoreTransaction tx) -> tx.changeInbox().pending())).as("kept for its retry").isEqualTo(1);

        clock.advance(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> read((StoreTransaction tx) -> tx.changeInbox().pending()) == 0);
        List<DeadLetter> letters = read((StoreTransaction tx) -> tx.deadLetters().recent(10));
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.stage()).isEqualTo("events");
            assertThat(letter.recordId()).isEqualTo("006");
            assertThat(letter.reason()).contains("fake source answered 503").contains("given up after 2 attempts");
        });
        assertThat(read((StoreTransaction tx) -> tx.changeInbox().count(ChangeInboxRepository.FAILED))).isEqualTo(1);
    }

    @Test
    void aSourceThatCannotReadByIdReadsTheStreamIncrementallyInstead() throws Exception {
        start().runNow("full-sync", "test");
        source.canFetch = false;
        source.put("007", "person7@acme.de", "VP Sales", T0.plusSeconds(700), Map.of("points", "40"));

        engine.changes().accept(List.of(named("ev-7", "007")));

        await().atMost(Duration.ofSeconds(10)).until(() -> "80".equals(sink.values.get("007").get("score")));
        await().until(() -> read((StoreTransaction tx) -> tx.changeInbox().pending()) == 0);
    }

    @Test
    void theNextScheduledRunFindsNothingTheEventsMissedAndWritesNothing() throws Exception {
        start().runNow("full-sync", "test");
        List<Change> changes = new ArrayList<>();
        for (String id : List.of("001", "003", "005")) {
            source.put(id, "person" + id + "@acme.de", "VP Sales", T0.plusSeconds(900), Map.of("points", "35"));
            changes.add(Change.of("ev-" + id, CONTACTS, id, Change.Kind.UPSERTED, T0.plusSeconds(900)));
        }
        engine.changes().accept(changes);
        await().atMost(Duration.ofSeconds(10)).until(() -> read((StoreTransaction tx) -> tx.changeInbox().pending()) == 0
                && sink.writesPerRecord.get("005") == 2 && engine.runningRun("full-sync").isEmpty());
        int callsBefore = sink.batchSizes.size();
        int tasksBefore = sink.tasks.size();

        RunRecord scheduled = engine.runNow("full-sync", "schedule");

        assertThat(scheduled.message()).contains("0 new or changed records missed by change events (expected 0)")
                .contains("pushed nothing");
        assertThat(sink.batchSizes).hasSize(callsBefore);
        assertThat(sink.tasks).hasSize(tasksBefore);

        // changed after the events began to arrive (the clock reads T0 + 3600 s), and no event announced it
        source.put("002", "person2@acme.de", "VP Sales", T0.plusSeconds(4000), Map.of("points", "5"));
        RunRecord next = engine.runNow("full-sync", "schedule");
        assertThat(next.message()).as("a change no event announced is counted")
                .contains("1 new or changed records missed by change events (expected 0)");
    }

    private long inboxRows() {
        return read((StoreTransaction tx) -> tx.changeInbox().count(ChangeInboxRepository.PENDING)
                + tx.changeInbox().count(ChangeInboxRepository.DONE) + tx.changeInbox().count(ChangeInboxRepository.FAILED));
    }

    @Test
    void aFeedResumesAfterARestartFromItsSavedPositionWithNothingLostOrRepeated() throws Exception {
        FakeFeed feed = new FakeFeed();
        feed.pauseMillis = 200;
        source.feed = feed;
        for (int i = 1; i <= 30; i++) {
            feed.log.add(Change.of("cdc-" + i, CONTACTS, String.format("%03d", 1 + i % 8), Change.Kind.UPSERTED,
                    T0.plusSeconds(i)));
        }
        start();
        await().atMost(Duration.ofSeconds(10)).until(() -> inboxRows() >= 9);

        engine.shutdown(Duration.ofSeconds(5));   // the process stops in the middle of the log
        camel.stop();
        long accepted = inboxRows();
        String saved = read((StoreTransaction tx) -> tx.changeInbox().feedPosition("crm")).orElseThrow();
        assertThat(saved).as("the position is saved with the changes it follows").isEqualTo(Long.toString(accepted));
        assertThat(accepted).isLessThan(30);
        for (int i = 31; i <= 35; i++) {
            feed.log.add(Change.of("cdc-" + i, CONTACTS, "002", Change.Kind.UPSERTED, T0.plusSeconds(i)));
        }

        start();

        await().atMost(Duration.ofSeconds(20)).until(() -> inboxRows() == 35
                && read((StoreTransaction tx) -> tx.changeInbox().pending()) == 0);
        assertThat(feed.startedFrom).containsExactly("null", saved);
        assertThat(feed.delivered).as("each change delivered once: nothing lost, nothing repeated").hasSize(35)
                .doesNotHaveDuplicates();
        assertThat(read((StoreTransaction tx) -> tx.changeInbox().feedPosition("crm"))).contains("35");
        assertThat(read((StoreTransaction tx) -> tx.changeInbox().count(ChangeInboxRepository.DONE))).isEqualTo(35);
    }

    @Test
    void feedsOpenOnceCamelHasStartedWhicheverStartsFirst() throws Exception {
        // the service starts the engine before Camel; a feed subscribing through Camel needs Camel started
        FakeFeed feed = new FakeFeed();
        source.feed = feed;
        feed.log.add(Change.of("cdc-1", CONTACTS, "002", Change.Kind.UPSERTED, T0.plusSeconds(1)));
        camel = new DefaultCamelContext();
        engine = SyncEngine.builder().store(store).camel(camel).scoring(new PointsScoring()).clock(clock)
                .events(EventSettings.defaults().withDebounce(Duration.ofMillis(50)))
                .job(new SyncJob("full-sync", null, List.of(source), List.of(sink), SyncJob.TaskPolicy.defaults()))
                .build();
        engine.start();
        assertThat(feed.startedFrom).as("not opened before Camel starts").isEmpty();

        camel.start();

        // the event worker opens the feeds once it sees Camel started
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(feed.startedFrom)
                .containsExactly("null"));
        await().atMost(Duration.ofSeconds(10)).until(() -> read((StoreTransaction tx) -> tx.changeInbox()
                .count(ChangeInboxRepository.DONE)) == 1);
        engine.shutdown(Duration.ofSeconds(5));
        camel.stop();
        camel = new DefaultCamelContext();
        camel.start();
        engine = SyncEngine.builder().store(store).camel(camel).scoring(new PointsScoring()).clock(clock)
                .events(EventSettings.defaults().withDebounce(Duration.ofMillis(50)))
                .job(new SyncJob("full-sync", null, List.of(source), List.of(sink), SyncJob.TaskPolicy.defaults()))
                .build();
        engine.start();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(feed.startedFrom)
                .as("Camel already started: opened, from the saved position").containsExactly("null", "1"));
    }

    @Test
    void aBurstOfTenThousandChangesIsAbsorbedWithoutLosingOne() throws Exception {
        FakeSink wide = new FakeSink("crm", 100);
        for (int i = 1; i <= 10_000; i++) {
            source.put(String.format("b%05d", i), "burst" + i + "@acme.de", i % 2 == 0 ? "VP Sales" : "Engineer",
                    T0.plusSeconds(i), Map.of("points", Integer.toString(i % 10)));
        }
        camel = new DefaultCamelContext();
        engine = SyncEngine.builder().store(store).camel(camel).scoring(new PointsScoring()).clock(clock)
                .events(EventSettings.defaults().withDebounce(Duration.ofMillis(100)))
                .job(new SyncJob("full-sync", null, List.of(source), List.of(wide), SyncJob.TaskPolicy.defaults()))
                .build();
        engine.start();
        camel.start();

        List<Thread> senders = new ArrayList<>();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger repeats = new AtomicInteger();
        for (int sender = 0; sender < 4; sender++) {
            int first = sender * 2500 + 1;
            Thread thread = new Thread(() -> {
                for (int from = first; from < first + 2500; from += 250) {
                    List<Change> batch = new ArrayList<>();
                    for (int i = from; i < from + 250; i++) {
                        batch.add(Change.of("burst-" + i, CONTACTS, String.format("b%05d", i), Change.Kind.UPSERTED,
                                T0.plusSeconds(i)));
                    }
                    ChangeIntake.Receipt receipt = engine.changes().accept(batch);
                    // a sender that retries delivers the batch again: the repeats are recognised
                    ChangeIntake.Receipt retry = engine.changes().accept(batch.subList(0, 10));
                    accepted.addAndGet(receipt.accepted());
                    repeats.addAndGet(receipt.duplicates() + retry.duplicates());
                }
            });
            senders.add(thread);
            thread.start();
        }
        for (Thread thread : senders) {
            thread.join();
        }

        assertThat(accepted.get()).isEqualTo(10_000);
        assertThat(repeats.get()).isEqualTo(400);
        await().atMost(Duration.ofMinutes(3)).until(() -> read((StoreTransaction tx) -> tx.changeInbox().pending()) == 0
                && engine.runningRun("full-sync").isEmpty());
        assertThat(read((StoreTransaction tx) -> tx.changeInbox().count(ChangeInboxRepository.DONE))).isEqualTo(10_000);
        assertThat(read((StoreTransaction tx) -> tx.sourceRecords().count(CONTACTS))).isEqualTo(10_000);
        assertThat(read((StoreTransaction tx) -> tx.profiles().count())).isEqualTo(10_000);
        assertThat(wide.values).hasSize(10_000);
        assertThat(wide.writesPerRecord.values()).as("each record written once").containsOnly(1);
        assertThat(eventRuns()).allSatisfy(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED));
        assertThat(eventRuns().size()).as("runs of at most 1,000 changes").isGreaterThanOrEqualTo(10);
    }

    /** A clock a test moves forward (retry times). */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
