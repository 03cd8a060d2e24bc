package io.leadsync.scoring.eval;

import io.leadsync.connector.Activity;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.PersonRef;
import io.leadsync.scoring.ActivityCriterion;
import io.leadsync.scoring.Category;
import io.leadsync.scoring.Criterion;
import io.leadsync.scoring.ModelKind;
import io.leadsync.scoring.ModelWriter;
import io.leadsync.scoring.RuleScorer;
import io.leadsync.scoring.ScoringModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrainingTest {
    private static final Instant AS_OF = Instant.parse("2025-06-02T09:00:00Z");

    /** Synthetic history where demos and senior titles raise conversion and bounces lower it, with noise. */
    static List<LabelledCase> history(int n, long seed) {
        Random random = new Random(seed);
        List<LabelledCase> cases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean senior = random.nextDouble() < 0.3;
            int demos = random.nextDouble() < 0.25 ? 1 + random.nextInt(2) : 0;
            boolean bounced = random.nextDouble() < 0.15;
            double logOdds = -1.5 + (senior ? 1.2 : 0) + 1.5 * demos - (bounced ? 2 : 0);
            boolean converted = random.nextDouble() < 1 / (1 + Math.exp(-logOdds));
            ExternalId id = new ExternalId("test", "p" + i);
            List<Activity> activities = new ArrayList<>();
            for (int d = 0; d < demos; d++) {
                activities.add(new Activity(new ExternalId("test", "a" + i + "-" + d), "demo_request",
                        AS_OF.minus(Duration.ofDays(1 + d)), PersonRef.of(id), Map.of()));
            }
            if (bounced) {
                activities.add(new Activity(new ExternalId("test", "b" + i), "email_bounce",
                        AS_OF.minus(Duration.ofDays(3)), PersonRef.of(id), Map.of()));
            }
            Person person = Person.builder(id, AS_OF).title(senior ? "VP Sales" : "Analyst").build();
            cases.add(new LabelledCase(person, activities, AS_OF, converted));
        }
        return cases;
    }

    static final ScoringModel RULES = ScoringModel.parse("""
            name: rules
            version: 1
            fit:
              - {name: Senior, field: title, contains-any: [vp], points: 20}
            engagement:
              - {name: Demo, activity: demo_request, points: 30, max: 60}
            negative:
              - {name: Bounce, activity: email_bounce, points: -20}
            grades: {A: 60, D: 0}
            stages: {MQL: 50, lead: 0}
            """, "rules.yml");

    @Test
    void learnsTheSignsAndSizesOfTheCriteriaFromOutcomes() {
        ScoringModel learned = LogisticTrainer.train(FeatureSet.of(RULES), history(20_000, 7), "learned", "1",
                LogisticTrainer.Options.defaults().withL2(0.1));

        assertThat(learned.kind()).isEqualTo(ModelKind.LOGISTIC);
        assertThat(learned.defaultSegment().intercept()).isCloseTo(-1.5, within(0.15));
        Map<String, Criterion> byName = new java.util.HashMap<>();
        learned.criteria().forEach(criterion -> byName.put(criterion.name(), criterion));
        assertThat(byName.get("Senior").points()).isCloseTo(1.2, within(0.15));
        assertThat(byName.get("Demo").points()).isCloseTo(1.5, within(0.15));
        assertThat(byName.get("Demo").category()).isEqualTo(Category.ENGAGEMENT);
        assertThat(((ActivityCriterion) byName.get("Demo")).max().getAsDouble())
                .as("the rule's cap of 2 demos, in log-odds").isCloseTo(2 * byName.get("Demo").points(), within(1e-3));
        assertThat(byName.get("Bounce").points()).isCloseTo(-2, within(0.2));
        assertThat(byName.get("Bounce").category()).isEqualTo(Category.NEGATIVE);
    }

    @Test
    void writesAModelFileThatReadsBackAndScoresTheSame(@TempDir Path dir) throws IOException {
        List<LabelledCase> cases = history(5_000, 11);
        ScoringModel learned = LogisticTrainer.train(FeatureSet.of(RULES), cases, "learned", "2",
                LogisticTrainer.Options.defaults());
        Path file = dir.resolve("learned.yml");
        Files.writeString(file, ModelWriter.toYaml(learned, List.of("trained on 5000 synthetic cases")));

        ScoringModel reread = ScoringModel.load(file);

        assertThat(reread).isEqualTo(learned);
        RuleScorer scorer = new RuleScorer();
        for (LabelledCase labelled : cases.subList(0, 200)) {
            assertThat(scorer.score(labelled.person(), labelled.activities(), reread, AS_OF))
                    .isEqualTo(scorer.score(labelled.person(), labelled.activities(), learned, AS_OF));
        }
    }

    @Test
    void aLearnedModelBacktestsBetterThanTheHandWrittenOneAndIsComparedOnTheSameCases() {
        List<LabelledCase> training = history(10_000, 1);
        List<LabelledCase> test = history(5_000, 2);
        ScoringModel learned = LogisticTrainer.train(FeatureSet.of(RULES), training, "learned", "1",
                LogisticTrainer.Options.defaults());

        BacktestResult champion = Backtest.evaluate(RULES, test);
        BacktestResult challenger = Backtest.evaluate(learned, test);

        assertThat(challenger.cases()).isEqualTo(champion.cases()).isEqualTo(5_000);
        assertThat(challenger.converted()).isEqualTo(champion.converted());
        assertThat(challenger.auc()).isGreaterThan(0.7).isGreaterThanOrEqualTo(champion.auc() - 0.01);
        assertThat(challenger.logLoss()).isLessThan(champion.logLoss() + 0.01);
        assertThat(champion.deciles()).hasSize(10);
        assertThat(champion.deciles().stream().mapToInt(BacktestResult.Group::cases).sum()).isEqualTo(5_000);
        assertThat(champion.bands().stream().mapToInt(BacktestResult.Group::converted).sum())
                .isEqualTo(champion.converted());
        assertThat(BacktestReport.lines(challenger, "challenger_")).contains("challenger_auc: 0.")
                .contains("challenger_mqls: ");
        assertThat(BacktestReport.html("test", List.of(champion, challenger))).contains("<svg").contains("rules@1")
                .contains("learned@1");
    }

    @Test
    void refusesToTrainOnASingleOutcome() {
        List<LabelledCase> allLost = history(50, 3).stream()
                .map(c -> new LabelledCase(c.person(), c.activities(), c.asOf(), false)).toList();
        assertThatThrownBy(() -> LogisticTrainer.train(FeatureSet.of(RULES), allLost, "x", "1",
                LogisticTrainer.Options.defaults())).hasMessageContaining("needs both outcomes");
    }

    @Test
    void readsACsvSkippingRowsWithoutAReadableLabelAndRejectsAnUnknownColumn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("leads.csv");
        Files.writeString(file, "Id;Industry;Converted\n1;\"Software; SaaS\";yes\n2;Retail;no\n3;Retail;maybe\n");

        LabelledCsv.Loaded loaded = LabelledCsv.withLabel("Converted", Set.of("Id")).load(file);

        assertThat(loaded.cases()).hasSize(2);
        assertThat(loaded.skipped()).isEqualTo(1);
        assertThat(loaded.cases().get(0).person().attributes()).containsExactly(Map.entry("Industry", "Software; SaaS"));
        assertThat(loaded.cases().get(0).converted()).isTrue();
        assertThatThrownBy(() -> LabelledCsv.withLabel("Outcome", Set.of()).load(file))
                .hasMessageContaining("label column 'Outcome' is not in the header");
    }
}
