package io.leadsync.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.Page;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.hubspot.HubSpotConnectorFactory;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.store.DatabaseSettings;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline with the real HubSpot connector against the simulator and the real scoring model, on an H2
 * file: what a user's sync does, including restarts after failures.
 */
class HubSpotPipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODEL = Path.of("../config/scoring/default-model.yml");

    @TempDir
    Path dataDir;
    private HubSpotSimulator hubspot;
    private Engine engine;

    /** One "process": a Camel context, connectors, the store and the engine. */
    private final class Engine implements AutoCloseable {
        final DefaultCamelContext camel = new DefaultCamelContext();
        final Store store = Store.open(DatabaseSettings.h2File(dataDir.resolve("leadsync").toString()));
        final SyncEngine sync;

        Engine(java.util.function.UnaryOperator<SourceConnector> sourceWrapper,
               java.util.function.UnaryOperator<SinkConnector> sinkWrapper) throws Exception {
            ConnectorContext context = ConnectorContext.of(Clock.systemUTC(), camel);
            HubSpotConnectorFactory factory = new HubSpotConnectorFactory();
            SourceConnector source = sourceWrapper.apply(factory.createSource(
                    HubSpotTestSettings.of(hubspot, List.of("contacts", "emails", "meetings", "calls")), context));
            SinkConnector sink = sinkWrapper.apply(factory.createSink(
                    HubSpotTestSettings.of(hubspot, List.of("contacts", "emails", "meetings", "calls")), context));
            sync = SyncEngine.builder().store(store).camel(camel).scoring(ModelScoringService.load(MODEL))
                    .job(new SyncJob("full-sync", null, List.of(source), List.of(sink), SyncJob.TaskPolicy.defaults()))
                    .build();
            sync.start();
            camel.start();
        }

        RunRecord run() {
            return sync.runNow("full-sync", "test");
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
        hubspot.seed(new SandboxDataGenerator(11).generate(300, Instant.now()));
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        hubspot.close();
    }

    /** The property values sent to each contact, one map per batch update that included it, in order. */
    private Map<String, List<Map<String, String>>> pushesPerContact() {
        Map<String, List<Map<String, String>>> pushes = new HashMap<>();
        hubspot.requests().stream().filter(r -> r.path().equals("/crm/v3/objects/contacts/batch/update")
                && r.status() < 300).forEach(request -> {
                    try {
                        for (JsonNode input : JSON.readTree(request.body()).path("inputs")) {
                            Map<String, String> values = new HashMap<>();
                            input.path("properties").fields().forEachRemaining(f -> values.put(f.getKey(),
                                    f.getValue().asText()));
                            pushes.computeIfAbsent(input.path("id").asText(), k -> new java.util.ArrayList<>())
                                    .add(values);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        return pushes;
    }

    /** Every contact received its values, and no push re-sent a value the contact already held. */
    private void assertEveryContactPushedWithoutRepeats() {
        Map<String, List<Map<String, String>>> pushes = pushesPerContact();
        assertThat(pushes).hasSize(300);
        pushes.forEach((id, sent) -> {
            Map<String, String> held = new HashMap<>();
            for (Map<String, String> push : sent) {
                push.forEach((property, value) -> assertThat(held.get(property))
                        .as("contact %s was sent %s=%s again", id, property, value).isNotEqualTo(value));
                held.putAll(push);
            }
        });
    }

    private java.util.Optional<Cursor> cursor(String stream) {
        return engine.store.inTransaction((io.leadsync.store.StoreTransaction tx) -> tx.cursors()
                .load(new StreamId("hubspot-main", stream)));
    }

    private long stored(String stream) {
        return engine.store.inTransaction((io.leadsync.store.StoreTransaction tx) -> tx.sourceRecords()
                .count(new StreamId("hubspot-main", stream)));
    }

    private long contactsWithScores() {
        return hubspot.contacts().stream().filter(c -> c.properties().containsKey("leadsync_score")).count();
    }

    @Test
    void scoresEveryContactThenPushesNothingWhenNothingChanged() throws Exception {
        engine = new Engine(s -> s, s -> s);

        RunRecord first = engine.run();
        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(contactsWithScores()).isEqualTo(300);
        assertThat(hubspot.objects("tasks")).as("hot leads got tasks").isNotEmpty();
        assertThat(hubspot.contacts()).allSatisfy(contact -> assertThat(contact.properties())
                .containsKeys("leadsync_grade", "leadsync_reasons").containsEntry("leadsync_model_version", "default@5"));
        int tasks = hubspot.objects("tasks").size();
        int batches = (int) hubspot.requestCount("POST", "/crm/v3/objects/contacts/batch/update");
        assertThat(batches).as("vendor-sized batches: 300 contacts in 3 calls").isEqualTo(3);

        RunRecord second = engine.run();
        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(second.message()).contains("pushed nothing").contains("300 unchanged");
        assertThat(hubspot.requestCount("POST", "/crm/v3/objects/contacts/batch/update")).isEqualTo(batches);
        assertThat(hubspot.objects("tasks")).hasSize(tasks);
    }

    @Test
    void pushesTheNewScoreOfAContactEditedInTheCrm() throws Exception {
        engine = new Engine(s -> s, s -> s);
        engine.run();
        var student = hubspot.contacts().stream()
                .filter(c -> Integer.parseInt(c.properties().get("leadsync_score")) < 40).findFirst().orElseThrow();
        hubspot.updateContact(student.id(), Map.of("jobtitle", "VP Engineering", "industry", "COMPUTER_SOFTWARE",
                "numberofemployees", "900"));

        RunRecord run = engine.run();

        assertThat(run.message()).contains("1 new or changed").contains("pushed 1 records");
        assertThat(Integer.parseInt(hubspot.contact(student.id()).orElseThrow().properties().get("leadsync_score")))
                .isGreaterThan(Integer.parseInt(student.properties().get("leadsync_score")));
        assertThat(hubspot.contact(student.id()).orElseThrow().properties().get("leadsync_reasons"))
                .contains("Senior decision maker");
    }

    @Test
    void resumesAfterARestartFromTheSavedCursorWithoutLosingOrRePushingAfterAFailedPull() throws Exception {
        AtomicInteger pages = new AtomicInteger();
        engine = new Engine(source -> new FailingSource(source, "contacts", 3, pages), s -> s);
        RunRecord failed = engine.run();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.message()).contains("connection reset while reading page 4");
        long storedBeforeRestart = engine.store.inTransaction(tx -> tx.sourceRecords()
                .count(new StreamId("hubspot-main", "contacts")));
        assertThat(storedBeforeRestart).isEqualTo(150);
        Cursor saved = engine.store.inTransaction(tx -> tx.cursors().load(new StreamId("hubspot-main", "contacts")))
                .orElseThrow();
        engine.close();

        engine = new Engine(s -> s, s -> s);
        RunRecord resumed = engine.run();

        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.message()).as("resumed from the cursor, not from the start")
                .doesNotContain("pulled 300 records (300 new");
        assertThat(engine.store.inTransaction((io.leadsync.store.StoreTransaction tx) -> tx.cursors().load(new StreamId("hubspot-main", "contacts"))))
                .get().isNotEqualTo(saved);
        assertThat(contactsWithScores()).isEqualTo(300);
        assertEveryContactPushedWithoutRepeats();
    }

    @Test
    void resumesAfterARestartWithoutRePushingAfterAFailedPush() throws Exception {
        engine = new Engine(s -> s, sink -> new FailingSink(sink, 1));
        RunRecord failed = engine.run();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(contactsWithScores()).isEqualTo(100);
        engine.close();

        engine = new Engine(s -> s, s -> s);
        RunRecord resumed = engine.run();

        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.message()).contains("pushed 200 records");
        assertThat(contactsWithScores()).isEqualTo(300);
        assertThat(pushesPerContact()).as("after a failed push every contact is sent exactly once")
                .allSatisfy((id, sent) -> assertThat(sent).as(id).hasSize(1));
        assertEveryContactPushedWithoutRepeats();
    }

    @Test
    void anUnreadablePageFailsItsStreamKeepsItsCursorAndNeverEndsTheStreamSilently() throws Exception {
        engine = new Engine(s -> s, s -> s);
        engine.run();
        long storedBefore = stored("emails");
        Cursor cursorBefore = cursor("contacts").orElseThrow();
        // every attempt at the contacts search gets a proxy's HTML page with status 200
        hubspot.faults().add(FaultRule.malformed().on("POST", "/crm/v3/objects/contacts/search")
                .withParam("body", "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>").withCount(20));

        RunRecord run = engine.run();

        assertThat(run.status()).as("never SUCCEEDED with a stream cut short").isEqualTo(RunStatus.FAILED);
        assertThat(run.message()).contains("pull hubspot-main/contacts: HubSpot answered POST"
                + " /crm/v3/objects/contacts/search").contains("a body that is not JSON, 5 times")
                .contains("'<html><body><h1>502 Bad Gateway</h1>nginx</body></html>'");
        assertThat(cursor("contacts")).as("the cursor stays where it was").contains(cursorBefore);
        assertThat(stored("emails")).as("the other streams still ran").isEqualTo(storedBefore);
        JsonNode calls = JSON.readTree(run.statsJson()).path("counts").path("calls").path("hubspot-main");
        assertThat(calls.path("malformed").asLong()).isEqualTo(5);
        assertThat(calls.path("retries").asLong()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void anUnreadablePageIsReadAgainAndTheRunCarriesOn() throws Exception {
        hubspot.faults().add(FaultRule.truncated().on("GET", "/crm/v3/objects/contacts$").withCount(1));
        engine = new Engine(s -> s, s -> s);

        RunRecord run = engine.run();

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(contactsWithScores()).isEqualTo(300);
        JsonNode calls = JSON.readTree(run.statsJson()).path("counts").path("calls").path("hubspot-main");
        assertThat(calls.path("malformed").asLong()).isEqualTo(1);
        assertThat(calls.path("retries").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(run.statsJson()).path("states").path("calls/hubspot-main").path("circuit").asText())
                .isEqualTo("CLOSED");
    }

    @Test
    void aPageWithoutItsResultsListFailsTheStreamInsteadOfEndingIt() throws Exception {
        hubspot.faults().add(FaultRule.malformed().on("GET", "/crm/v3/objects/contacts$").withCount(1)
                .withParam("body", "{\"status\":\"ok\"}").withParam("contentType", "application/json"));
        engine = new Engine(s -> s, s -> s);

        RunRecord run = engine.run();

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.message()).contains("HubSpot answered GET /crm/v3/objects/contacts (hubspot-main/contacts) with"
                + " a body that has no 'results' list: '{\"status\":\"ok\"}'");
        assertThat(cursor("contacts")).isEmpty();
    }

    @Test
    void saysAPushThatFailedBeforeWritingFailedInsteadOfCallingEverythingCurrent() throws Exception {
        engine = new Engine(s -> s, sink -> new FailingSink(sink, 0));

        RunRecord run = engine.run();

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.message()).contains("pushed nothing: the push to hubspot-main failed (see problems)")
                .contains("problems: push hubspot-main: cannot reach HubSpot: connection refused")
                .doesNotContain("already current");
    }

    /** A source whose connection drops when page {@code failAfter + 1} of a stream is asked for. */
    private static final class FailingSource extends ForwardingSource {
        private final String stream;
        private final int failAfter;
        private final AtomicInteger pages;

        FailingSource(SourceConnector delegate, String stream, int failAfter, AtomicInteger pages) {
            super(delegate);
            this.stream = stream;
            this.failAfter = failAfter;
            this.pages = pages;
        }

        @Override
        public Stream<Page<SourceRecord>> read(StreamId streamId, Cursor from) {
            Stream<Page<SourceRecord>> pagesOfStream = delegate.read(streamId, from);
            if (!streamId.stream().equals(stream)) {
                return pagesOfStream;
            }
            return pagesOfStream.map(page -> {
                if (pages.incrementAndGet() > failAfter) {
                    throw new ConnectorException("connection reset while reading page " + pages.get());
                }
                return page;
            });
        }
    }

    /** A sink that writes {@code batchesBeforeFailure} batches, then fails as a whole (e.g. the network went). */
    private static final class FailingSink extends FakeSinkDelegate {
        private int batchesLeft;

        FailingSink(SinkConnector delegate, int batchesBeforeFailure) {
            super(delegate);
            this.batchesLeft = batchesBeforeFailure;
        }

        @Override
        public List<RecordResult> write(List<FieldChange> changes) {
            if (batchesLeft-- <= 0) {
                throw new ConnectorException("cannot reach HubSpot: connection refused");
            }
            return delegate.write(changes);
        }
    }
}
