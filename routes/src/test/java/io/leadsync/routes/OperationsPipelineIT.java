package io.leadsync.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.Page;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.hubspot.HubSpotConnectorFactory;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.store.DatabaseSettings;
import io.leadsync.store.DeadLetter;
import io.leadsync.store.DeadLetterRepository;
import io.leadsync.store.RunRecord;
import io.leadsync.store.RunStatus;
import io.leadsync.store.Store;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What operators do to a job, with the real HubSpot connector against the simulator: a dry run that writes nothing,
 * the completeness check against HubSpot's own count (a gap flagged, then re-read), schedules changed and paused at
 * run time, and dead letters replayed.
 */
class OperationsPipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODEL = Path.of("../config/scoring/default-model.yml");
    private static final int CONTACTS = 120;

    @TempDir
    Path dataDir;
    private HubSpotSimulator hubspot;
    private Engine engine;

    private final class Engine implements AutoCloseable {
        final DefaultCamelContext camel = new DefaultCamelContext();
        final Store store = Store.open(DatabaseSettings.h2File(dataDir.resolve("leadsync").toString()));
        final SyncEngine sync;

        Engine(java.util.function.UnaryOperator<SourceConnector> sourceWrapper, SyncJob.Completeness completeness)
                throws Exception {
            ConnectorContext context = ConnectorContext.of(Clock.systemUTC(), camel);
            HubSpotConnectorFactory factory = new HubSpotConnectorFactory();
            SourceConnector source = sourceWrapper.apply(factory.createSource(
                    HubSpotTestSettings.of(hubspot, List.of("contacts", "emails")), context));
            SinkConnector sink = factory.createSink(
                    HubSpotTestSettings.of(hubspot, List.of("contacts", "emails")), context);
            sync = SyncEngine.builder().store(store).camel(camel).scoring(ModelScoringService.load(MODEL))
                    .startSchedules(false)
                    .job(new SyncJob("full-sync", "0 0 3 * * ?", List.of(source), List.of(sink),
                            SyncJob.TaskPolicy.defaults(), completeness))
                    .build();
            sync.start();
            camel.start();
        }

        @Override
        public void close() {
            camel.stop();
            store.close();
        }
    }

    @BeforeEach
    void seed() {
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        hubspot.seed(new SandboxDataGenerator(17).generate(CONTACTS, Instant.now()));
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        hubspot.close();
    }

    private static JsonNode stats(RunRecord run) throws Exception {
        return JSON.readTree(run.statsJson());
    }

    private long contactsWithScores() {
        return hubspot.contacts().stream().filter(c -> c.properties().containsKey("leadsync_score")).count();
    }

    @Test
    void aDryRunReportsWhatItWouldWriteAndItsCallsAndKeepsNothing() throws Exception {
        engine = new Engine(s -> s, SyncJob.Completeness.defaults());

        RunRecord dry = engine.sync.runNow("full-sync", "test", true);

        assertThat(dry.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(dry.message()).startsWith("dry run: pulled").contains("would push " + CONTACTS + " records")
                .contains("nothing was written or kept");
        JsonNode push = stats(dry).path("counts").path("push").path("hubspot-main");
        assertThat(push.path("wouldWrite").asLong()).isEqualTo(CONTACTS);
        assertThat(push.path("wouldCall").asLong()).as("100 a call, and the tasks")
                .isGreaterThanOrEqualTo(2);
        assertThat(stats(dry).path("counts").path("calls").path("hubspot-main").path("attempts").asLong())
                .as("the reads' calls are counted").isPositive();
        assertThat(hubspot.requestCount("POST", "/crm/v3/objects/contacts/batch/update")).isZero();
        assertThat(hubspot.requestCount("POST", "/crm/v3/properties")).as("not even the properties").isZero();
        assertThat(hubspot.objects("tasks")).isEmpty();
        assertThat(contactsWithScores()).isZero();
        long stored = engine.store.inTransaction(tx -> tx.sourceRecords().count());
        long profiles = engine.store.inTransaction(tx -> tx.profiles().count());
        Optional<Cursor> cursor = engine.store.inTransaction(tx -> tx.cursors().load(
                new StreamId("hubspot-main", "contacts")));
        assertThat(stored).as("nothing stored").isZero();
        assertThat(profiles).isZero();
        assertThat(cursor).as("no cursor moved").isEmpty();

        RunRecord real = engine.sync.runNow("full-sync", "test");
        assertThat(real.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(contactsWithScores()).as("the real run writes what the dry run said").isEqualTo(CONTACTS);
        assertThat(stats(real).path("counts").path("push").path("hubspot-main").path("written").asLong())
                .isEqualTo(push.path("wouldWrite").asLong());
    }

    @Test
    void everyReadIsCheckedAgainstHubSpotsOwnCount() throws Exception {
        engine = new Engine(s -> s, SyncJob.Completeness.defaults());

        RunRecord run = engine.sync.runNow("full-sync", "test");

        JsonNode contacts = stats(run).path("counts").path("completeness").path("hubspot-main/contacts");
        assertThat(contacts.path("vendor").asLong()).isEqualTo(CONTACTS);
        assertThat(contacts.path("stored").asLong()).isEqualTo(CONTACTS);
        assertThat(contacts.path("missing").asLong()).isZero();
        assertThat(contacts.path("expected").asLong()).as("the first load was counted before, for its progress")
                .isEqualTo(CONTACTS);
        assertThat(stats(run).path("states").path("completeness/hubspot-main/contacts").path("status").asText())
                .isEqualTo("COMPLETE");
        assertThat(stats(run).path("states").path("completeness/hubspot-main/contacts").path("method").asText())
                .isEqualTo("HubSpot search total");
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    /** A source that loses one record of its first read of contacts, as a paging bug would. */
    private static SourceConnector losingOneContact(SourceConnector real, AtomicInteger reads) {
        return new ForwardingSource(real) {
            @Override
            public Stream<Page<SourceRecord>> read(StreamId stream, Cursor from) {
                Stream<Page<SourceRecord>> pages = real.read(stream, from);
                if (!stream.stream().equals("contacts") || reads.getAndIncrement() > 0) {
                    return pages;
                }
                AtomicInteger page = new AtomicInteger();
                return pages.map(p -> page.getAndIncrement() == 0
                        ? new Page<>(p.items().subList(1, p.items().size()), p.rejected(), p.next()) : p);
            }
        };
    }

    @Test
    void aReadThatLostARecordIsFlaggedAsAGap() throws Exception {
        engine = new Engine(s -> losingOneContact(s, new AtomicInteger()), SyncJob.Completeness.defaults());

        RunRecord run = engine.sync.runNow("full-sync", "test");

        JsonNode contacts = stats(run).path("counts").path("completeness").path("hubspot-main/contacts");
        assertThat(contacts.path("vendor").asLong()).isEqualTo(CONTACTS);
        assertThat(contacts.path("stored").asLong()).isEqualTo(CONTACTS - 1);
        assertThat(contacts.path("missing").asLong()).isEqualTo(1);
        assertThat(stats(run).path("states").path("completeness/hubspot-main/contacts").path("status").asText())
                .isEqualTo("GAP");
        assertThat(run.message()).contains("completeness hubspot-main/contacts: HubSpot search total counts "
                + CONTACTS).contains("1 missing").contains("completeness.reread-gaps: true");
    }

    @Test
    void aJobSetToRereadGapsReadsTheWindowAgainAndIsThenComplete() throws Exception {
        engine = new Engine(s -> losingOneContact(s, new AtomicInteger()), new SyncJob.Completeness(true, true));

        RunRecord run = engine.sync.runNow("full-sync", "test");

        JsonNode contacts = stats(run).path("counts").path("completeness").path("hubspot-main/contacts");
        assertThat(contacts.path("rereads").asLong()).isEqualTo(1);
        assertThat(contacts.path("stored").asLong()).isEqualTo(CONTACTS);
        assertThat(contacts.path("missing").asLong()).isZero();
        assertThat(stats(run).path("states").path("completeness/hubspot-main/contacts").path("status").asText())
                .isEqualTo("COMPLETE");
        assertThat(contactsWithScores()).isEqualTo(CONTACTS);
    }

    @Test
    void aScheduleChangedOrPausedAtRunTimeTakesEffectAndOutlivesARestart() throws Exception {
        engine = new Engine(s -> s, SyncJob.Completeness.defaults());
        SyncEngine.JobSchedule configured = engine.sync.schedule("full-sync");
        assertThat(configured.schedule()).isEqualTo("0 0 3 * * ?");
        assertThat(configured.active()).as("triggers held").isFalse();

        engine.sync.startSchedules();
        SyncEngine.JobSchedule changed = engine.sync.reschedule("full-sync", "0 30 5 * * ?", "test:ops");
        assertThat(changed.schedule()).isEqualTo("0 30 5 * * ?");
        assertThat(changed.configured()).isEqualTo("0 0 3 * * ?");
        assertThat(changed.active()).isTrue();
        assertThat(changed.nextFireTime()).isNotNull();
        assertThat(changed.changedBy()).isEqualTo("test:ops");
        assertThat(engine.camel.getRouteController().getRouteStatus("schedule-full-sync").isStarted()).isTrue();

        SyncEngine.JobSchedule paused = engine.sync.pause("full-sync", "test:ops");
        assertThat(paused.paused()).isTrue();
        assertThat(paused.active()).isFalse();
        assertThat(paused.nextFireTime()).isNull();
        assertThat(engine.camel.getRouteController().getRouteStatus("schedule-full-sync").isStopped()).isTrue();
        assertThat(engine.sync.runNow("full-sync", "test").status()).as("a paused trigger still runs on demand")
                .isEqualTo(RunStatus.SUCCEEDED);

        assertThatThrownBy(() -> engine.sync.reschedule("full-sync", "every five minutes", "test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid Quartz cron");
        engine.close();

        engine = new Engine(s -> s, SyncJob.Completeness.defaults());
        SyncEngine.JobSchedule restarted = engine.sync.schedule("full-sync");
        assertThat(restarted.schedule()).isEqualTo("0 30 5 * * ?");
        assertThat(restarted.paused()).isTrue();
        engine.sync.startSchedules();
        assertThat(engine.camel.getRouteController().getRouteStatus("schedule-full-sync").isStopped())
                .as("a paused trigger stays paused when the triggers start").isTrue();
        SyncEngine.JobSchedule resumed = engine.sync.resume("full-sync", "test:ops");
        assertThat(resumed.active()).isTrue();
        assertThat(engine.camel.getRouteController().getRouteStatus("schedule-full-sync").isStarted()).isTrue();
        SyncEngine.JobSchedule onDemand = engine.sync.reschedule("full-sync", null, "test:ops");
        assertThat(onDemand.schedule()).isNull();
        assertThat(engine.camel.getRoute("schedule-full-sync")).isNull();
    }

    @Test
    void replayedPushDeadLettersAreWrittenAndResolved() throws Exception {
        engine = new Engine(s -> s, SyncJob.Completeness.defaults());
        hubspot.faults().add(FaultRule.partialBatch(0.2).on("POST", "/crm/v3/objects/contacts/batch/update")
                .withCount(1));
        RunRecord first = engine.sync.runNow("full-sync", "test");
        assertThat(first.status()).isEqualTo(RunStatus.PARTIAL);
        List<DeadLetter> letters = engine.store.inTransaction(tx -> tx.deadLetters()
                .list(new DeadLetterRepository.Filter(DeadLetter.OPEN, "push", null, null, null), 500));
        assertThat(letters).isNotEmpty();
        assertThat(contactsWithScores()).isEqualTo(CONTACTS - letters.size());

        SyncEngine.Replay replay = engine.sync.replay("full-sync", letters, "test:ops");

        assertThat(replay.started()).isTrue();
        assertThat(replay.resolved()).hasSize(letters.size());
        assertThat(replay.outcomes().values()).allMatch(outcome -> outcome.endsWith("went through"));
        assertThat(contactsWithScores()).isEqualTo(CONTACTS);
        long open = engine.store.inTransaction(tx -> tx.deadLetters().countOpen());
        assertThat(open).isZero();
        DeadLetter resolved = engine.store.inTransaction(tx -> tx.deadLetters().get(letters.get(0).id())).orElseThrow();
        assertThat(resolved.status()).isEqualTo(DeadLetter.REPLAYED);
        assertThat(resolved.resolvedBy()).isEqualTo("test:ops");
        RunRecord replayRun = engine.store.inTransaction(tx -> tx.runs().get(replay.runId())).orElseThrow();
        assertThat(replayRun.trigger()).isEqualTo("replay:test:ops");
        assertThat(replayRun.status()).isEqualTo(RunStatus.SUCCEEDED);

        SyncEngine.Replay again = engine.sync.replay("full-sync", letters, "test:ops");
        assertThat(again.resolved()).isEmpty();
        assertThat(again.outcomes().values()).allMatch(outcome -> outcome.contains("it is replayed"));
    }
}
