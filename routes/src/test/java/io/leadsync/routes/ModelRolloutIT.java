package io.leadsync.routes;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreReason;
import io.leadsync.connector.ScoreResult;
import io.leadsync.scoring.ModelValidationException;
import io.leadsync.store.DatabaseSettings;
import io.leadsync.store.RunRecord;
import io.leadsync.store.Store;
import io.leadsync.store.StoreTransaction;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Preview, activation, shadow scoring and hot reload of scoring models, on the whole pipeline. */
class ModelRolloutIT {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    private final FakeSource source = new FakeSource("crm");
    private final FakeSink sink = new FakeSink("crm", 3);
    private Store store;
    private DefaultCamelContext camel;
    private SyncEngine engine;

    /** The points model with every score raised by a bonus: a candidate that changes some grades. */
    private static final class BonusScoring implements ScoringService {
        private final PointsScoring base = new PointsScoring();
        private final int bonus;

        BonusScoring(int bonus) {
            this.bonus = bonus;
        }

        @Override
        public String modelId() {
            return "bonus@" + bonus;
        }

        @Override
        public OptionalInt taskThreshold() {
            return OptionalInt.of(60);
        }

        @Override
        public ScoreResult score(Person golden, List<Activity> activities, Instant asOf) {
            ScoreResult result = base.score(golden, activities, asOf);
            int score = Math.min(100, result.score() + bonus);
            return new ScoreResult(score, score >= 60 ? "A" : score >= 30 ? "B" : "C", null, modelId(),
                    List.of(new ScoreReason("Bonus", "fit", bonus, "")), result.reasonText() + "; +" + bonus + " Bonus");
        }
    }

    @BeforeEach
    void setUp() {
        store = Store.open(DatabaseSettings.h2Memory("rollout-" + DATABASES.incrementAndGet()));
        for (int i = 1; i <= 8; i++) {
            source.put(String.format("%03d", i), "person" + i + "@acme.de", i % 2 == 0 ? "VP Sales" : "Engineer",
                    T0.plusSeconds(i), Map.of("points", Integer.toString(i * 5), "lifecyclestage",
                            i >= 6 ? "customer" : "lead"));
        }
    }

    private void start(ScoringService scoring, ScoringService challenger) throws Exception {
        camel = new DefaultCamelContext();
        engine = SyncEngine.builder().store(store).camel(camel).scoring(scoring).challenger(challenger)
                .clock(Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC))
                .job(new SyncJob("full-sync", null, List.of(source), List.of(sink), SyncJob.TaskPolicy.defaults()))
                .build();
        engine.start();
        camel.start();
    }

    @AfterEach
    void tearDown() {
        if (camel != null) {
            camel.stop();
        }
        store.close();
    }

    @Test
    void previewsWhatACandidateWouldChangeAndCostWithoutWritingAnything() throws Exception {
        start(new PointsScoring(), null);
        engine.runNow("full-sync", "test");
        int writesBefore = sink.batchSizes.size();
        ModelRollout rollout = new ModelRollout(store, engine.clock(), engine.sinks());

        ModelRollout.Preview preview = rollout.preview(new BonusScoring(25), "points@1");

        assertThat(preview.profiles()).isEqualTo(8);
        assertThat(preview.scoresChanged()).isEqualTo(8);
        // points 5..40, +40 for VP on even ids: 5,50,15,60,25,70,35,80 -> with +25: 30,75,40,85,50,95,60,100
        assertThat(preview.gradeMoves()).containsEntry("C -> B", 3L).containsEntry("B -> A", 2L);
        assertThat(preview.tasksToCreate()).as("002 (50 -> 75) and 007 (35 -> 60) cross 60").isEqualTo(2);
        assertThat(preview.sinks().get("crm")).as("8 records x 4 fields, but 004, 006, 008 stay grade A")
                .isEqualTo(new ModelRollout.SinkCost(8, 29, 3 + 2, 2));
        assertThat(sink.batchSizes).as("a preview writes nothing").hasSize(writesBefore);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.scores().gradeCounts()))
                .as("stored scores untouched").isEqualTo(Map.of("A", 3L, "B", 2L, "C", 3L));
    }

    @Test
    void activationReScoresEveryProfileFromStoredDataAndPushesOnlyWhatChanged() throws Exception {
        SwitchableScoring scoring = new SwitchableScoring(new PointsScoring());
        start(scoring, null);
        engine.runNow("full-sync", "test");
        Map<String, Integer> writesBefore = Map.copyOf(sink.writesPerRecord);

        scoring.use(new BonusScoring(0));
        long marked = new ModelRollout(store, engine.clock(), engine.sinks()).activated("bonus@0", "points@1", "m.yml");
        RunRecord run = engine.runNow("full-sync", "test");

        assertThat(marked).isEqualTo(8);
        assertThat(run.message()).contains("scored 8 changed profiles").contains("0 new or changed");
        assertThat(sink.values.get("004")).containsEntry("model-version", "bonus@0");
        assertThat(sink.writesPerRecord).allSatisfy((id, writes) -> assertThat(writes).isEqualTo(writesBefore.get(id) + 1));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.models().activations(5))).singleElement()
                .satisfies(a -> assertThat(a.modelVersion()).isEqualTo("bonus@0"));
    }

    @Test
    void scoresAChallengerInShadowWithoutWritingItAndComparesOnKnownOutcomes() throws Exception {
        start(new PointsScoring(), new BonusScoring(10));
        engine.runNow("full-sync", "test");

        assertThat(sink.values.values()).allSatisfy(values -> assertThat(values).containsEntry("model-version", "points@1"));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.models().pairs("bonus@10"))).hasSize(8);

        ModelRollout.ShadowReport report = new ModelRollout(store, engine.clock(), engine.sinks())
                .shadowReport("points@1", "bonus@10", person -> Optional.ofNullable(person.attributes().get("lifecyclestage"))
                        .map("customer"::equals));

        assertThat(report.profiles()).isEqualTo(8);
        assertThat(report.converted()).isEqualTo(3);
        assertThat(report.championAuc()).isBetween(0.0, 1.0);
        assertThat(report.challengerAuc()).as("a constant bonus keeps the ranking").isEqualTo(report.championAuc());

        // outcomes may come from the profile's activities too (e.g. a won Salesforce opportunity)
        java.util.List<Integer> activityCounts = new java.util.ArrayList<>();
        ModelRollout.ShadowReport byActivity = new ModelRollout(store, engine.clock(), engine.sinks())
                .shadowReport("points@1", "bonus@10", (person, activities) -> {
                    activityCounts.add(activities.size());
                    return Optional.ofNullable(person.attributes().get("lifecyclestage")).map("customer"::equals);
                });
        assertThat(activityCounts).as("called once per scored profile with its activities").hasSize(8);
        assertThat(byActivity).isEqualTo(report);
    }

    @Test
    void reloadsAChangedModelFileOnlyWhenItValidates(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.yml");
        Files.copy(Path.of("../config/scoring/default-model.yml"), file);
        ModelScoringService service = ModelScoringService.load(file);
        String original = service.modelId();
        assertThat(service.reloadIfChanged()).as("unchanged file").isEmpty();

        // the shipped model's next version, whatever it is now
        String version = original.substring(original.indexOf('@') + 1);
        String next = original.replace("@" + version, "@" + (Integer.parseInt(version) + 1));
        Files.writeString(file, Files.readString(file).replace("version: " + version,
                "version: " + (Integer.parseInt(version) + 1)));
        assertThat(service.reloadIfChanged()).get().extracting(m -> m.id()).isEqualTo(next);

        Files.writeString(file, Files.readString(file).replace("grades:", "grades:\n  Z: 500"));
        assertThatThrownBy(service::reloadIfChanged).isInstanceOf(ModelValidationException.class)
                .hasMessageContaining(file.toString());
        assertThat(service.modelId()).as("the working model stays").isEqualTo(next);
        assertThat(service.lastProblem()).isPresent();
        assertThat(service.reloadIfChanged()).as("reported once per version").isEmpty();
    }

    /** A scoring service whose model a test swaps. */
    private static final class SwitchableScoring implements ScoringService {
        private volatile ScoringService current;

        SwitchableScoring(ScoringService initial) {
            this.current = initial;
        }

        void use(ScoringService next) {
            current = next;
        }

        @Override
        public String modelId() {
            return current.modelId();
        }

        @Override
        public OptionalInt taskThreshold() {
            return current.taskThreshold();
        }

        @Override
        public ScoreResult score(Person golden, List<Activity> activities, Instant asOf) {
            return current.score(golden, activities, asOf);
        }
    }
}
