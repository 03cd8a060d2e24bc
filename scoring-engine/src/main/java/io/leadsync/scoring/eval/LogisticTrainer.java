package io.leadsync.scoring.eval;

import io.leadsync.scoring.ActivityCriterion;
import io.leadsync.scoring.Band;
import io.leadsync.scoring.Category;
import io.leadsync.scoring.Criterion;
import io.leadsync.scoring.FieldCriterion;
import io.leadsync.scoring.ModelKind;
import io.leadsync.scoring.ScoringModel;
import io.leadsync.scoring.Segment;
import io.leadsync.scoring.internal.ModelRules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Fits a {@link ModelKind#LOGISTIC logistic} scoring model to labelled history: L2-regularized logistic regression
 * over a {@link FeatureSet}, solved by Newton's method (iteratively reweighted least squares), deterministic for the
 * same input. The result is an ordinary model a person can read, edit and roll out: each feature becomes a criterion
 * with its learned {@code weight} (log-odds; those that lower the odds go under {@code negative}), the score is the
 * calibrated conversion probability in percent.
 */
public final class LogisticTrainer {
    /** Weights are written with this many decimals; smaller ones are dropped as noise. */
    private static final int WEIGHT_DECIMALS = 4;

    /**
     * @param l2            the penalty {@code λ/2 · Σ w²} on the weights (not the intercept): larger keeps weights
     *                      smaller and the model steadier on little data
     * @param maxIterations Newton steps at most
     * @param tolerance     stop when the largest step is below it
     */
    public record Options(double l2, int maxIterations, double tolerance) {
        public Options {
            if (!(l2 >= 0) || maxIterations < 1 || !(tolerance > 0)) {
                throw new IllegalArgumentException("l2 must be 0 or more, max-iterations at least 1, tolerance above 0");
            }
        }

        public static Options defaults() {
            return new Options(1.0, 100, 1e-7);
        }

        public Options withL2(double value) {
            return new Options(value, maxIterations, tolerance);
        }
    }

    /**
     * Fitted coefficients.
     *
     * @param intercept  log-odds with no feature set
     * @param weights    one per feature, log-odds per unit
     * @param iterations Newton steps taken
     */
    public record Fit(double intercept, double[] weights, int iterations) {
    }

    private LogisticTrainer() {
    }

    /**
     * Trains on the cases and writes the result as a model.
     *
     * @param name    the new model's name
     * @param version its version
     */
    public static ScoringModel train(FeatureSet features, List<LabelledCase> cases, String name, String version,
                                     Options options) {
        double[][] x = new double[cases.size()][];
        boolean[] y = new boolean[cases.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = features.values(cases.get(i));
            y[i] = cases.get(i).converted();
        }
        return toModel(features, fit(x, y, options), name, version);
    }

    /**
     * Minimizes {@code -Σ log-likelihood + λ/2 · Σ w²}.
     *
     * @throws IllegalArgumentException if there are no cases or only one outcome
     */
    public static Fit fit(double[][] x, boolean[] y, Options options) {
        int n = x.length;
        if (n == 0) {
            throw new IllegalArgumentException("no cases to train on");
        }
        int positives = 0;
        for (boolean converted : y) {
            positives += converted ? 1 : 0;
        }
        if (positives == 0 || positives == n) {
            throw new IllegalArgumentException("training needs both outcomes, but all " + n + " cases "
                    + (positives == 0 ? "did not convert" : "converted"));
        }
        int d = x[0].length;
        // sparse rows: most features are 0/1 indicators that rarely fire
        int[][] index = new int[n][];
        double[][] value = new double[n][];
        for (int i = 0; i < n; i++) {
            int nonZero = 0;
            for (double v : x[i]) {
                nonZero += v != 0 ? 1 : 0;
            }
            index[i] = new int[nonZero + 1];
            value[i] = new double[nonZero + 1];
            index[i][0] = 0;    // the intercept
            value[i][0] = 1;
            int k = 1;
            for (int j = 0; j < d; j++) {
                if (x[i][j] != 0) {
                    index[i][k] = j + 1;
                    value[i][k++] = x[i][j];
                }
            }
        }
        int m = d + 1;
        double[] beta = new double[m];
        double rate = (double) positives / n;
        beta[0] = Math.log(rate / (1 - rate));
        int iteration = 0;
        while (iteration < options.maxIterations()) {
            iteration++;
            double[] gradient = new double[m];
            double[][] hessian = new double[m][m];
            for (int i = 0; i < n; i++) {
                double eta = 0;
                for (int k = 0; k < index[i].length; k++) {
                    eta += beta[index[i][k]] * value[i][k];
                }
                double p = 1 / (1 + Math.exp(-eta));
                double residual = p - (y[i] ? 1 : 0);
                double curvature = Math.max(p * (1 - p), 1e-12);
                for (int k = 0; k < index[i].length; k++) {
                    int a = index[i][k];
                    double va = value[i][k];
                    gradient[a] += residual * va;
                    double scaled = curvature * va;
                    for (int l = 0; l <= k; l++) {
                        hessian[a][index[i][l]] += scaled * value[i][l];
                    }
                }
            }
            for (int j = 1; j < m; j++) {
                gradient[j] += options.l2() * beta[j];
                hessian[j][j] += options.l2();
            }
            hessian[0][0] += 1e-9;
            double[] step = solveSymmetric(hessian, gradient);
            // damped Newton: halve the step until the penalized loss goes down, so it never diverges
            double before = objective(beta, index, value, y, options.l2());
            double[] next = new double[m];
            double scale = 1;
            for (int halving = 0; halving < 40; halving++) {
                for (int j = 0; j < m; j++) {
                    next[j] = beta[j] - scale * step[j];
                }
                if (objective(next, index, value, y, options.l2()) <= before) {
                    break;
                }
                scale /= 2;
            }
            double largest = 0;
            for (int j = 0; j < m; j++) {
                largest = Math.max(largest, Math.abs(next[j] - beta[j]));
            }
            beta = next;
            if (largest < options.tolerance()) {
                break;
            }
        }
        double[] weights = new double[d];
        System.arraycopy(beta, 1, weights, 0, d);
        return new Fit(beta[0], weights, iteration);
    }

    private static double objective(double[] beta, int[][] index, double[][] value, boolean[] y, double l2) {
        double loss = 0;
        for (int i = 0; i < index.length; i++) {
            double eta = 0;
            for (int k = 0; k < index[i].length; k++) {
                eta += beta[index[i][k]] * value[i][k];
            }
            // log(1 + e^eta) - y * eta, computed without overflow
            loss += (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - (y[i] ? eta : 0);
        }
        double penalty = 0;
        for (int j = 1; j < beta.length; j++) {
            penalty += beta[j] * beta[j];
        }
        return loss + l2 / 2 * penalty;
    }

    /** Solves {@code H s = g} for a symmetric positive-definite H given by its lower triangle (Cholesky). */
    private static double[] solveSymmetric(double[][] lower, double[] g) {
        int m = g.length;
        double[][] l = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = lower[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    l[i][i] = Math.sqrt(Math.max(sum, 1e-12));
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        double[] z = new double[m];
        for (int i = 0; i < m; i++) {
            double sum = g[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * z[k];
            }
            z[i] = sum / l[i][i];
        }
        double[] s = new double[m];
        for (int i = m - 1; i >= 0; i--) {
            double sum = z[i];
            for (int k = i + 1; k < m; k++) {
                sum -= l[k][i] * s[k];
            }
            s[i] = sum / l[i][i];
        }
        return s;
    }

    /** The fitted coefficients as a logistic model: one criterion per feature whose weight is not negligible. */
    public static ScoringModel toModel(FeatureSet features, Fit fit, String name, String version) {
        return toModel(features, fit, name, version, WEIGHT_DECIMALS);
    }

    /** The same, weights written with {@code decimals} decimals. */
    static ScoringModel toModel(FeatureSet features, Fit fit, String name, String version, int decimals) {
        List<Criterion> criteria = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            double weight = round(fit.weights()[i], decimals);
            if (weight == 0) {
                continue;
            }
            criteria.add(withWeight(features.criteria().get(i), weight, features.occurrenceCap(i), decimals));
        }
        // fit, then engagement, then negative, strongest first within each: the order a person reads it in
        criteria.sort(java.util.Comparator.comparing(Criterion::category)
                .thenComparing(criterion -> -Math.abs(criterion.points())));
        Segment segment = new Segment(Segment.DEFAULT, List.of(), round(fit.intercept(), decimals), criteria,
                Map.of());
        int max = ModelRules.maxPossibleScore(ModelKind.LOGISTIC, segment);
        List<Band> grades = max >= 4 ? List.of(new Band("A", Math.min(75, max)), new Band("B", Math.min(50, max - 1)),
                new Band("C", Math.min(25, max - 2)), new Band("D", 0)) : List.of(new Band("D", 0));
        List<Band> stages = max >= 50 ? List.of(new Band("MQL", 50), new Band("lead", 0)) : List.of();
        return new ScoringModel(name, version, ModelKind.LOGISTIC, segment, List.of(), List.of(), grades, stages,
                OptionalInt.empty(), ScoringModel.DEFAULT_REASONS_MAX_LENGTH);
    }

    private static Criterion withWeight(Criterion criterion, double weight, double occurrenceCap, int decimals) {
        Category category;
        if (weight < 0) {
            category = Category.NEGATIVE;
        } else {
            category = criterion instanceof ActivityCriterion ? Category.ENGAGEMENT
                    : criterion.category() == Category.NEGATIVE ? Category.FIT : criterion.category();
        }
        if (criterion instanceof FieldCriterion field) {
            return new FieldCriterion(field.name(), category, field.field(), field.condition(), weight, field.when());
        }
        ActivityCriterion activity = (ActivityCriterion) criterion;
        OptionalDouble max = Double.isNaN(occurrenceCap) ? OptionalDouble.empty()
                : OptionalDouble.of(round(weight * occurrenceCap, decimals));
        if (max.isPresent() && max.getAsDouble() == 0) {
            max = OptionalDouble.of(weight);
        }
        return new ActivityCriterion(activity.name(), category, activity.activityTypes(), weight, max,
                activity.withinDays(), activity.halfLifeDays(), activity.where(), activity.atLeast(),
                activity.atMost(), activity.when());
    }

    private static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
