package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Weights learned by expectation-maximization, and the guards that keep a bad estimate out of service. */
class WeightEstimatorTest {
    private static final Comparison[] COMPARISONS = Comparison.values();
    private final WeightEstimator estimator = new WeightEstimator();

    /** Level shares of matches and of non-matching candidates, for the comparisons a test uses (others missing). */
    private static final double[][] MATCH = new double[COMPARISONS.length][];
    private static final double[][] OTHER = new double[COMPARISONS.length][];
    private static final double[][] RANDOM = new double[COMPARISONS.length][];

    static {
        set(Comparison.FIRST_NAME, new double[] {0.85, 0.08, 0.04, 0.03}, new double[] {0.05, 0.02, 0.08, 0.85},
                new double[] {0.01, 0.004, 0.03, 0.956});
        set(Comparison.LAST_NAME, new double[] {0.9, 0.05, 0.02, 0.03}, new double[] {0.7, 0.05, 0.05, 0.2},
                new double[] {0.002, 0.002, 0.01, 0.986});
        set(Comparison.EMAIL, new double[] {0.5, 0.1, 0.05, 0.35}, new double[] {0.001, 0.002, 0.002, 0.995},
                new double[] {0.0001, 0.0002, 0.0002, 0.9995});
        set(Comparison.PHONE, new double[] {0.6, 0.05, 0.35}, new double[] {0.02, 0.01, 0.97},
                new double[] {0.0005, 0.0005, 0.999});
        set(Comparison.ORGANISATION, new double[] {0.7, 0.1, 0.2}, new double[] {0.3, 0.1, 0.6},
                new double[] {0.005, 0.005, 0.99});
    }

    private static void set(Comparison comparison, double[] match, double[] other, double[] random) {
        MATCH[comparison.ordinal()] = match;
        OTHER[comparison.ordinal()] = other;
        RANDOM[comparison.ordinal()] = random;
    }

    private static int[] draw(double[][] shares, SplittableRandom random) {
        int[] levels = new int[COMPARISONS.length];
        Arrays.fill(levels, PairComparison.MISSING);
        for (int c = 0; c < levels.length; c++) {
            if (shares[c] == null) {
                continue;
            }
            double roll = random.nextDouble();
            int level = 0;
            while (level < shares[c].length - 1 && roll >= shares[c][level]) {
                roll -= shares[c][level];
                level++;
            }
            levels[c] = level;
        }
        return levels;
    }

    /** Candidate pairs a quarter of which are matches, and random pairs: what the store's sample gives. */
    private static WeightEstimator.TrainingData data(double matchShare) {
        return data(matchShare, MATCH);
    }

    private static WeightEstimator.TrainingData data(double matchShare, double[][] match) {
        SplittableRandom random = new SplittableRandom(17);
        List<int[]> candidates = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            candidates.add(draw(random.nextDouble() < matchShare ? match : OTHER, random));
        }
        List<int[]> randomPairs = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            randomPairs.add(draw(RANDOM, random));
        }
        return WeightEstimator.TrainingData.of(candidates, randomPairs, 20_000, 10_000);
    }

    @Test
    void learnsTheWeightsOfDataMadeFromKnownShares() {
        WeightEstimator.Estimate estimate = estimator.estimate(data(0.25), MatchWeights.defaults());

        assertThat(estimate.accepted()).isTrue();
        assertThat(estimate.matches() / estimate.pairs()).isCloseTo(0.25, within(0.02));
        for (Comparison comparison : List.of(Comparison.FIRST_NAME, Comparison.EMAIL, Comparison.PHONE)) {
            assertThat(estimate.weights().m(comparison, 0)).as(comparison.key())
                    .isCloseTo(MATCH[comparison.ordinal()][0], within(0.04));
            assertThat(estimate.weights().u(comparison, 0)).as("u is measured on random pairs")
                    .isCloseTo(RANDOM[comparison.ordinal()][0], within(0.002));
        }
    }

    @Test
    void refusesAnEstimateWhoseClassesCameOutSwapped() {
        WeightEstimator.TrainingData data = data(0.25);
        // started with the classes the wrong way round: the "match" class disagreeing, the other agreeing
        WeightEstimator.Start swapped = new WeightEstimator.Start(MatchWeights.defaults().uTable(),
                MatchWeights.defaults().mTable());
        WeightEstimator.Mixture mixture = WeightEstimator.mixture(data.candidates, swapped.m(), swapped.u());
        assertThat(mixture.swapped()).as("expectation-maximization started there ends with its classes swapped")
                .isTrue();

        WeightEstimator.Estimate estimate = estimator.estimate(data, MatchWeights.defaults(), List.of(swapped));

        assertThat(estimate.accepted()).isFalse();
        assertThat(estimate.weights()).isNull();
        assertThat(estimate.warnings()).singleElement().asString().contains("classes swapped")
                .endsWith("the weights in service stay");
    }

    @Test
    void poolsNeighbouringLevelsSoThatACloserAgreementNeverWeighsLess() {
        double[][] m = MatchWeights.defaults().mTable();
        double[][] u = MatchWeights.defaults().uTable();
        int first = Comparison.FIRST_NAME.ordinal();
        m[first] = new double[] {0.80, 0.10, 0.05, 0.05};
        u[first] = new double[] {0.02, 0.001, 0.03, 0.949};   // close agreement rarer among strangers than exact

        List<String> warnings = WeightEstimator.orderLevels(m, u);

        double[] weights = new double[4];
        for (int level = 0; level < 4; level++) {
            weights[level] = MatchWeights.log2(m[first][level] / u[first][level]);
        }
        assertThat(weights[0]).isGreaterThanOrEqualTo(weights[1] - 1e-9);
        assertThat(weights[1]).isGreaterThanOrEqualTo(weights[2] - 1e-9);
        assertThat(weights[2]).isGreaterThanOrEqualTo(weights[3] - 1e-9);
        assertThat(Arrays.stream(m[first]).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(warnings).singleElement().asString()
                .isEqualTo("first name: a closer level weighed less than a farther one; pooled exact = nickname or"
                        + " close");
    }

    @Test
    void anEstimateInWhichACloserAgreementWouldWeighLessIsPooled() {
        double[][] match = MATCH.clone();
        // nicknames are common among one person's records but rarer than exact names among strangers
        match[Comparison.FIRST_NAME.ordinal()] = new double[] {0.6, 0.3, 0.05, 0.05};

        MatchWeights weights = estimator.estimate(data(0.25, match), MatchWeights.defaults()).weights();

        assertThat(weights.weight(Comparison.FIRST_NAME, 0))
                .isGreaterThanOrEqualTo(weights.weight(Comparison.FIRST_NAME, 1) - 1e-9);
        for (Comparison comparison : COMPARISONS) {
            for (int level = 1; level < comparison.levelCount(); level++) {
                assertThat(weights.weight(comparison, level - 1)).as(comparison.key() + " level " + level)
                        .isGreaterThanOrEqualTo(weights.weight(comparison, level) - 1e-9);
            }
        }
    }

    @Test
    void refusesAMatchClassThatCannotTellPeopleApart() {
        WeightEstimator.Estimate estimate = estimator.estimate(data(0.0), MatchWeights.defaults());

        assertThat(estimate.accepted()).isFalse();
        assertThat(estimate.warnings()).singleElement().asString().containsAnyOf("too little to tell people apart",
                "expected matches");
    }

    @Test
    void keepsTheLastGoodWeightsInServiceAndSaysWhy() {
        InMemoryIdentityStore store = new InMemoryIdentityStore();
        MatchWeights good = estimator.estimate(data(0.25), MatchWeights.defaults()).weights();
        store.saveWeights(new WeightEstimator.Estimate(good, true, List.of(), 20_000, 20_000, 5_000), "test");
        IdentityResolver resolver = IdentitySettings.defaults().resolver();
        List<Person> strangers = new ArrayList<>();
        String[] first = {"Ana", "Ben", "Chloe", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivo", "Jin"};
        String[] last = {"Abara", "Bloch", "Cortez", "Dunn", "Eklund", "Fabre", "Grieg", "Horvat", "Ilves", "Jansen"};
        for (int i = 0; i < 100; i++) {
            strangers.add(Person.builder(new ExternalId("crm", "s" + i), Instant.EPOCH).firstName(first[i % 10])
                    .lastName(last[i / 10]).email(first[i % 10].toLowerCase() + i + "@example.org").build());
        }
        resolver.resolve(strangers, store);

        WeightEstimator.Estimate estimate = resolver.estimate(store, "on-demand");

        assertThat(estimate.accepted()).isFalse();
        assertThat(estimate.warnings()).isNotEmpty().allMatch(warning -> warning.endsWith("the weights in service stay"));
        assertThat(store.weights()).contains(good);
        assertThat(resolver.weights(store)).isEqualTo(good);
    }
}
