package io.leadsync.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.Page;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.mixpanel.MixpanelConnectorFactory;
import io.leadsync.sandbox.mixpanel.MixpanelSimulator;
import io.leadsync.store.DatabaseSettings;
import io.leadsync.store.RunRecord;
import io.leadsync.store.Store;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The completeness check of Mixpanel's streams through the pipeline, against the simulator: the export's own lines
 * of the days read against what was ingested (stored, refused to dead letters, skipped by design: unmapped events
 * and the export's repeats), and engage's {@code total} of the profiles against the store; a lost event is a gap.
 */
class MixpanelPipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODEL = Path.of("../config/scoring/default-model.yml");
    private static final int PROFILES = 30;

    @TempDir
    Path dataDir;
    private MixpanelSimulator mixpanel;
    private DefaultCamelContext camel;
    private Store store;

    @BeforeEach
    void start() {
        mixpanel = MixpanelSimulator.start(MixpanelSimulator.Options.defaults().withoutRateLimits());
        mixpanel.generateDaily(400, PROFILES, 5);
        Instant now = Instant.now();
        for (int n = 0; n < PROFILES; n++) {
            mixpanel.addProfile("u-" + n, "person" + n + "@acme.de", "P" + n, "Person", now.minus(Duration.ofDays(90)),
                    now.minus(Duration.ofMinutes(10 + n)));
        }
        Instant yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                .plus(Duration.ofHours(12));
        mixpanel.addEvent("Viewed Pricing", "u-1", yesterday, "ins-a", Map.of());
        mixpanel.addRawLine("{\"event\":\"API Call\",\"properties\":{\"time\":", yesterday);
        camel = new DefaultCamelContext();
        store = Store.open(DatabaseSettings.h2File(dataDir.resolve("leadsync").toString()));
    }

    @AfterEach
    void stop() {
        camel.stop();
        store.close();
        mixpanel.close();
    }

    private SyncEngine engine(UnaryOperator<SourceConnector> wrapper) throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put("type", "mixpanel");
        settings.put("export-url", mixpanel.exportUrl().toString());
        settings.put("query-url", mixpanel.queryUrl().toString());
        settings.put("project-id", MixpanelSimulator.PROJECT);
        settings.put("service-account-user", MixpanelSimulator.USER);
        settings.put("service-account-secret", MixpanelSimulator.SECRET);
        settings.put("read", Map.of("page-size", "100", "start-date",
                LocalDate.now(ZoneOffset.UTC).minusDays(2).toString(),
                "events", List.of(Map.of("name", "Viewed Pricing", "type", "pricing_page_view"),
                        Map.of("name", "Requested Demo", "type", "demo_request"))));
        SourceConnector source = wrapper.apply(new MixpanelConnectorFactory().createSource(
                ConnectorSettings.of("mixpanel-main", "sync.connectors.mixpanel-main", settings),
                ConnectorContext.of(Clock.systemUTC(), camel)));
        SyncEngine sync = SyncEngine.builder().store(store).camel(camel).scoring(ModelScoringService.load(MODEL))
                .startSchedules(false)
                .job(new SyncJob("usage", "0 0 3 * * ?", List.of(source), List.of(), SyncJob.TaskPolicy.defaults(),
                        SyncJob.Completeness.defaults()))
                .build();
        sync.start();
        camel.start();
        return sync;
    }

    private static JsonNode stats(RunRecord run) throws Exception {
        return JSON.readTree(run.statsJson());
    }

    @Test
    void eachReadOfEventsAndProfilesIsCheckedAgainstMixpanelsOwnCounts() throws Exception {
        SyncEngine sync = engine(s -> s);

        for (int run = 1; run <= 2; run++) {
            RunRecord record = sync.runNow("usage", "test");
            JsonNode counts = stats(record).path("counts").path("completeness");
            JsonNode states = stats(record).path("states");
            JsonNode events = counts.path("mixpanel-main/events");
            assertThat(states.path("completeness/mixpanel-main/events").path("status").asText())
                    .as("run " + run + ": " + record.message()).isEqualTo("COMPLETE");
            assertThat(states.path("completeness/mixpanel-main/events").path("method").asText())
                    .isEqualTo("Mixpanel export lines");
            assertThat(events.path("vendor").asLong()).as("run " + run + ": two days and today's part of 400 a day")
                    .isGreaterThan(800);
            assertThat(events.path("skipped").asLong()).as("six of the eight event names are mapped to no type")
                    .isGreaterThan(events.path("vendor").asLong() / 2);
            assertThat(events.path("rejected").asLong()).as("the cut line, refused on each read of its day")
                    .isEqualTo(1);
            assertThat(events.path("vendor").asLong()).isEqualTo(events.path("skipped").asLong()
                    + events.path("stored").asLong() + events.path("rejected").asLong());
            assertThat(events.path("missing").asLong()).isZero();

            JsonNode profiles = counts.path("mixpanel-main/profiles");
            assertThat(states.path("completeness/mixpanel-main/profiles").path("method").asText())
                    .isEqualTo("Mixpanel engage total");
            assertThat(states.path("completeness/mixpanel-main/profiles").path("status").asText())
                    .isEqualTo("COMPLETE");
            assertThat(profiles.path("vendor").asLong()).as("run " + run).isEqualTo(PROFILES);
            assertThat(profiles.path("missing").asLong()).isZero();
        }
    }

    /**
     * The second sync reads the late days again but hands on only what Mixpanel processed since the first began (less
     * the export delay): a late event is stored, the events the first read had are left out, and the completeness
     * check still counts every line against the store.
     */
    @Test
    void aSecondSyncHandsOnOnlyWhatMixpanelProcessedSinceTheFirstAndStoresALateEvent() throws Exception {
        SyncEngine sync = engine(s -> s);
        RunRecord first = sync.runNow("usage", "test");
        Instant yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                .plus(Duration.ofHours(9));
        mixpanel.addEvent("Requested Demo", "u-2", yesterday, "late-b", Map.of());

        RunRecord second = sync.runNow("usage", "test");

        JsonNode firstPull = stats(first).path("counts").path("pull").path("mixpanel-main/events");
        JsonNode pull = stats(second).path("counts").path("pull").path("mixpanel-main/events");
        JsonNode events = stats(second).path("counts").path("completeness").path("mixpanel-main/events");
        assertThat(stats(second).path("states").path("completeness/mixpanel-main/events").path("status").asText())
                .as(second.message()).isEqualTo("COMPLETE");
        assertThat(events.path("missing").asLong()).isZero();
        assertThat(events.path("stored").asLong()).as("the store holds the days read again")
                .isGreaterThan(firstPull.path("stored").asLong() / 2);
        assertThat(pull.path("received").asLong()).as("handed on: the last hour's, the late event, the cut line")
                .isLessThan(events.path("stored").asLong() / 5);
        assertThat(pull.path("stored").asLong()).as("the late event at least").isPositive();
        StreamId stream = new StreamId("mixpanel-main", "events");
        java.util.Optional<?> late = store.inTransaction(tx -> tx.sourceRecords().version(stream, "late-b"));
        assertThat(late).as("the late event is stored").isPresent();
    }

    @Test
    void anEventLostBetweenTheExportAndTheStoreIsFlaggedAsAGap() throws Exception {
        SyncEngine sync = engine(real -> new ForwardingSource(real) {
            @Override
            public Stream<Page<SourceRecord>> read(StreamId stream, Cursor from) {
                Stream<Page<SourceRecord>> pages = real.read(stream, from);
                if (!stream.stream().equals("events")) {
                    return pages;
                }
                AtomicInteger page = new AtomicInteger();
                return pages.map(p -> page.getAndIncrement() == 0 && !p.items().isEmpty()
                        ? new Page<>(p.items().subList(1, p.items().size()), p.rejected(), p.next()) : p);
            }
        });

        RunRecord run = sync.runNow("usage", "test");

        JsonNode events = stats(run).path("counts").path("completeness").path("mixpanel-main/events");
        assertThat(events.path("missing").asLong()).as(run.message()).isEqualTo(1);
        assertThat(stats(run).path("states").path("completeness/mixpanel-main/events").path("status").asText())
                .isEqualTo("GAP");
        assertThat(run.message()).contains("completeness mixpanel-main/events: Mixpanel export lines counts")
                .contains("skipped by design").contains("1 missing");
    }
}
