package io.leadsync.scoring.eval;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.scoring.Criterion;
import io.leadsync.scoring.FieldCondition;
import io.leadsync.scoring.FieldCriterion;
import io.leadsync.scoring.ModelWriter;
import io.leadsync.scoring.RuleScorer;
import io.leadsync.scoring.ScoringModel;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The points table learned from data whose effects are known. */
class AdditiveTrainerTest {
    private static final Instant AS_OF = Instant.parse("2025-06-02T09:00:00Z");

    /** The true log-odds of a lead: the effects the trainer should recover. */
    static double truth(int minutes, int pdays, int trafficType, String source, boolean countryMissing) {
        double logOdds = -2;
        logOdds += minutes >= 60 ? 2 : minutes >= 20 ? 1 : 0;
        logOdds += pdays == 999 ? -0.5 : pdays < 10 ? 1.5 : 0;
        logOdds += trafficType == 3 || trafficType == 7 || trafficType == 11 ? 1.5 : 0;
        logOdds += switch (source) {
            case "Referral" -> 1.5;
            case "Partner" -> -1;
            default -> 0;
        };
        logOdds += countryMissing ? -1 : 0;
        logOdds += source.equals("Referral") && minutes >= 60 ? 1.5 : 0;
        return logOdds;
    }

    static List<LabelledCase> leads(int n, long seed, List<Double> trueLogOdds) {
        Random random = new Random(seed);
        String[] sources = {"Referral", "Google", "Ads", "Partner"};
        List<LabelledCase> cases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int minutes = (int) Math.min(120, -Math.log(1 - random.nextDouble()) * 30);
            int pdays = random.nextDouble() < 0.6 ? 999 : random.nextInt(30);
            int trafficType = 1 + random.nextInt(12);
            String source = sources[random.nextInt(sources.length)];
            boolean countryMissing = random.nextDouble() < 0.2;
            double logOdds = truth(minutes, pdays, trafficType, source, countryMissing);
            trueLogOdds.add(logOdds);
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("Id", "lead-" + i);
            attributes.put("Minutes", Integer.toString(minutes));
            attributes.put("pdays", Integer.toString(pdays));
            attributes.put("TrafficType", Integer.toString(trafficType));
            attributes.put("Source", source);
            attributes.put("Source copy", source.toUpperCase(java.util.Locale.ROOT));
            attributes.put("Weekend", random.nextBoolean() ? "TRUE" : "FALSE");
            if (!countryMissing) {
                attributes.put("Country", random.nextBoolean() ? "India" : "Germany");
            }
            boolean converted = random.nextDouble() < 1 / (1 + Math.exp(-logOdds));
            cases.add(new LabelledCase(Person.builder(new ExternalId("csv", "" + i), AS_OF).attributes(attributes)
                    .build(), List.of(), AS_OF, converted));
        }
        return cases;
    }

    private static List<FieldCriterion> on(ScoringModel model, String field) {
        return model.criteria().stream().filter(c -> c instanceof FieldCriterion f && f.field().equals(field)
                && f.when().isEmpty()).map(c -> (FieldCriterion) c).toList();
    }

    @Test
    void recoversKnownEffectsAsAReadablePointsTableWithinTheBudget() {
        List<Double> truth = new ArrayList<>();
        List<LabelledCase> training = leads(12_000, 1, new ArrayList<>());
        List<LabelledCase> heldOut = leads(6_000, 2, truth);

        AdditiveTrainer.Result result = AdditiveTrainer.train(training, "learned", "1",
                AdditiveTrainer.Options.defaults().withMaxCriteria(20));
        ScoringModel model = result.model();

        assertThat(model.criteria()).hasSizeLessThanOrEqualTo(20);
        // identifiers and a column repeating another are left out; a column without effect gets no mirror pair
        assertThat(model.criteria()).noneMatch(c -> c.name().startsWith("Id ") || c.name().startsWith("Source copy"));
        assertThat(on(model, "Weekend")).hasSizeLessThanOrEqualTo(1);
        assertThat(model.criteria()).allMatch(c -> Math.abs(c.points()) >= 0.05);
        // the sentinel is its own band, and no band of pdays reaches it
        assertThat(on(model, "pdays")).anyMatch(c -> c.condition().equals(new FieldCondition.Equals("999")));
        assertThat(on(model, "pdays")).filteredOn(c -> c.condition() instanceof FieldCondition.Between)
                .allMatch(c -> ((FieldCondition.Between) c.condition()).below().compareTo(BigDecimal.valueOf(999)) <= 0);
        assertThat(on(model, "pdays")).noneMatch(c -> c.condition() instanceof FieldCondition.AtLeast);
        // a code column is grouped, never given ranges
        assertThat(on(model, "TrafficType")).isNotEmpty().allMatch(c -> c.condition() instanceof FieldCondition.In
                || c.condition() instanceof FieldCondition.Equals);
        // missing is its own band, with the sign of its effect
        assertThat(on(model, "Country")).anyMatch(c -> c.condition().equals(new FieldCondition.Present(false))
                && c.points() < -0.5);
        // a rising column keeps rising, with round cut points
        List<FieldCriterion> minutes = new ArrayList<>(on(model, "Minutes"));
        assertThat(minutes).isNotEmpty();
        minutes.sort(Comparator.comparing(AdditiveTrainerTest::lower));
        for (int i = 1; i < minutes.size(); i++) {
            assertThat(minutes.get(i).points()).isGreaterThanOrEqualTo(minutes.get(i - 1).points());
        }
        assertThat(minutes).allMatch(c -> lower(c).remainder(BigDecimal.valueOf(5)).signum() == 0);
        // the interaction of source and time on site is a segment rule
        assertThat(model.criteria()).anyMatch(c -> !c.when().isEmpty());

        // as accurate on new leads as the true model, nearly
        BacktestResult backtest = Backtest.evaluate(model, heldOut);
        double[] logOdds = truth.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] converted = new boolean[heldOut.size()];
        for (int i = 0; i < converted.length; i++) {
            converted[i] = heldOut.get(i).converted();
        }
        assertThat(backtest.auc()).isCloseTo(Metrics.auc(logOdds, converted), within(0.015));

        // what fewer criteria cost is measured, and more criteria never hurt much
        assertThat(result.budgets()).extracting(AdditiveTrainer.Budget::criteria).contains(-1, 5, 10, 20);
        assertThat(result.rows()).hasSameSizeAs(model.criteria());
    }

    @Test
    void writesAModelFileThatReadsBackAndScoresTheSame() {
        List<LabelledCase> cases = leads(4_000, 3, new ArrayList<>());
        ScoringModel model = AdditiveTrainer.train(cases, "learned", "1", AdditiveTrainer.Options.defaults()
                .withMaxCriteria(12)).model();

        ScoringModel reread = ScoringModel.parse(ModelWriter.toYaml(model, List.of("test")), "learned.yml");

        assertThat(reread).isEqualTo(model);
        RuleScorer scorer = new RuleScorer();
        for (LabelledCase labelled : cases.subList(0, 200)) {
            assertThat(scorer.score(labelled.person(), List.of(), reread, AS_OF))
                    .isEqualTo(scorer.score(labelled.person(), List.of(), model, AS_OF));
        }
    }

    @Test
    void theSameCasesAndOptionsGiveTheSameModelThoughTheBagsRunInParallel() {
        List<LabelledCase> cases = leads(3_000, 4, new ArrayList<>());
        AdditiveTrainer.Options options = AdditiveTrainer.Options.defaults().withMaxCriteria(10)
                .withBudgets(List.of());

        ScoringModel first = AdditiveTrainer.train(cases, "learned", "1", options).model();
        ScoringModel second = AdditiveTrainer.train(cases, "learned", "1", options).model();

        assertThat(second).isEqualTo(first);
        assertThat(ModelWriter.toYaml(second, List.of())).isEqualTo(ModelWriter.toYaml(first, List.of()));
    }

    @Test
    void aMeasureTakenTwiceGetsItsLinesOnceAndTheBudgetGoesToWhatElseMatters() {
        // "Seconds" is "Minutes" measured again (to the second): two columns, one effect
        List<LabelledCase> cases = new ArrayList<>();
        Random random = new Random(5);
        for (LabelledCase lead : leads(12_000, 5, new ArrayList<>())) {
            Map<String, String> attributes = new LinkedHashMap<>(lead.person().attributes());
            int minutes = Integer.parseInt(attributes.get("Minutes"));
            attributes.put("Seconds", Integer.toString(minutes * 60 + random.nextInt(60)));
            cases.add(new LabelledCase(lead.person().toBuilder().attributes(attributes).build(),
                    List.of(), AS_OF, lead.converted()));
        }

        ScoringModel model = AdditiveTrainer.train(cases, "learned", "1", AdditiveTrainer.Options.defaults()
                .withMaxCriteria(8).withInteractions(0).withBudgets(List.of())).model();

        assertThat(model.criteria()).hasSizeLessThanOrEqualTo(8);
        assertThat(on(model, "Minutes").isEmpty() || on(model, "Seconds").isEmpty())
                .as("lines on both Minutes and Seconds: %s", model.criteria()).isTrue();
        assertThat(on(model, "Minutes").size() + on(model, "Seconds").size()).isGreaterThanOrEqualTo(2);
        assertThat(on(model, "Source")).isNotEmpty();
        assertThat(on(model, "pdays")).isNotEmpty();
        assertThat(on(model, "TrafficType")).isNotEmpty();
    }

    private static BigDecimal lower(FieldCriterion criterion) {
        FieldCondition condition = criterion.condition();
        if (condition instanceof FieldCondition.AtLeast atLeast) {
            return atLeast.bound();
        }
        if (condition instanceof FieldCondition.Between between) {
            return between.atLeast() == null ? BigDecimal.ZERO : between.atLeast();
        }
        return BigDecimal.ZERO;
    }

    static List<Criterion> criteria(ScoringModel model) {
        return model.criteria();
    }
}
