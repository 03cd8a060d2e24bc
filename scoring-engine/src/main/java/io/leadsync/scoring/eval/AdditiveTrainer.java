package io.leadsync.scoring.eval;

import io.leadsync.scoring.Criterion;
import io.leadsync.scoring.ScoringModel;
import io.leadsync.scoring.eval.internal.Booster;
import io.leadsync.scoring.eval.internal.Column;
import io.leadsync.scoring.eval.internal.Columns;
import io.leadsync.scoring.eval.internal.PointsPlan;
import io.leadsync.scoring.eval.internal.Pruning;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Learns a points table from labelled history: an additive model whose columns' shapes are learned by cyclic
 * boosting of shallow one-column trees, with a few pairwise terms chosen by their gain (the explainable-boosting
 * idea), written as an ordinary {@code kind: logistic} model a person can read, edit and roll out.
 *
 * <ol>
 *   <li>Columns: every attribute of the cases (identifiers, constants and duplicates of another column left out;
 *       numeric codes grouped like categories; sentinels such as {@code pdays = 999} apart), and per activity type
 *       the count within a window or the decayed count that separates converters best.</li>
 *   <li>Shapes: boosting in 8 bags, each on 85% of the cases until the log loss of its other 15% stops falling,
 *       the bags' shapes averaged; then the pairs whose four-leaf trees gain most on what the shapes leave, boosted
 *       the same way.</li>
 *   <li>Points table: within {@code max-criteria}, each shape becomes a few bands (one of them the reference,
 *       scoring nothing; missing and sentinels their own band; monotone where the shape nearly is; cut points
 *       rounded), each pair one or two segment rules; twice the budget is split where it loses least of each
 *       shape on its own, then lines are dropped or neighbouring bands joined, one at a time, where that loses least
 *       of the learned log-odds fitted jointly (of two columns that say the same, one keeps its lines).</li>
 *   <li>Weights: the bands' log-odds are fitted jointly (L2 logistic regression on the criteria as the scorer
 *       evaluates them); bands with weights below {@value #SMALLEST_WEIGHT} join their neighbours, bands breaking a
 *       monotone column's order are merged, and the fit repeated.</li>
 *   <li>Calibration: the score-to-probability map is fitted out of sample within the training cases (each case's
 *       log-odds from a fit on the other folds, then a one-variable logistic fit), and folded into the
 *       weights.</li>
 * </ol>
 * Deterministic for the same cases and options.
 */
public final class AdditiveTrainer {
    /** Weights smaller than this (log-odds) are not worth a line of the points table. */
    static final double SMALLEST_WEIGHT = 0.05;
    private static final int DECIMALS = 2;
    private static final int CALIBRATION_FOLDS = 5;
    /** Most value bins of a numeric column: the finest resolution of a learned shape. */
    private static final int MAX_BINS = 256;
    /** Pairwise terms learned unless told otherwise (the budget keeps the rules of those worth a line). */
    public static final int DEFAULT_INTERACTIONS = 30;
    /** Candidate lines cut from the shapes one term at a time, as a multiple of the budget (then cut jointly). */
    private static final double CANDIDATES = 2.0;

    /**
     * @param maxCriteria   the most criteria (lines) the model may have
     * @param interactions  how many pairwise terms to learn (some may get no rule within the budget)
     * @param l2            the L2 penalty of the final fit of the weights
     * @param seed          the seed of the validation split and of calibration folds
     * @param categorical   numeric columns to treat as codes (grouped, never ranges), besides those found
     * @param activities    whether to learn activity columns (counts, windows, decay) from the cases' activities
     * @param budgets       budgets to report the held-out accuracy of (the cost of fewer criteria)
     */
    public record Options(int maxCriteria, int interactions, double l2, long seed, Set<String> categorical,
                          boolean activities, List<Integer> budgets) {
        public Options {
            if (maxCriteria < 1) {
                throw new IllegalArgumentException("max-criteria must be at least 1 but is " + maxCriteria);
            }
            if (interactions < 0) {
                throw new IllegalArgumentException("interactions must be 0 or more but is " + interactions);
            }
            categorical = Set.copyOf(categorical);
            budgets = List.copyOf(budgets);
        }

        public static Options defaults() {
            return new Options(40, DEFAULT_INTERACTIONS, 1.0, 42, Set.of(), true, List.of(5, 10, 20, 30, 40));
        }

        public Options withMaxCriteria(int value) {
            return new Options(value, interactions, l2, seed, categorical, activities, budgets);
        }

        public Options withInteractions(int value) {
            return new Options(maxCriteria, value, l2, seed, categorical, activities, budgets);
        }

        public Options withSeed(long value) {
            return new Options(maxCriteria, interactions, l2, value, categorical, activities, budgets);
        }

        public Options withCategorical(Set<String> value) {
            return new Options(maxCriteria, interactions, l2, seed, value, activities, budgets);
        }

        public Options withBudgets(List<Integer> value) {
            return new Options(maxCriteria, interactions, l2, seed, categorical, activities, value);
        }

        public Options withL2(double value) {
            return new Options(maxCriteria, interactions, value, seed, categorical, activities, budgets);
        }

        public Options withActivities(boolean value) {
            return new Options(maxCriteria, interactions, l2, seed, categorical, value, budgets);
        }
    }

    /**
     * What training gave.
     *
     * @param model      the points table as a model
     * @param rows       each criterion with its weight and how many training cases it fires for
     * @param budgets    held-out accuracy by budget: the learned shapes in full ({@code criteria} -1), then the points
     *                   table at each budget, all fitted on the same 6/7 and measured on the other 1/7 (empty when
     *                   no budget was asked for)
     * @param columns    the columns considered
     * @param pairs      the pairwise terms learned
     */
    public record Result(ScoringModel model, List<Row> rows, List<Budget> budgets, List<String> columns,
                         List<String> pairs) {
    }

    /** One line of the points table: the criterion, its weight, the training cases it fires for, how many converted. */
    public record Row(Criterion criterion, int cases, int converted) {
    }

    /** The held-out figures of a points table with at most {@code criteria} criteria (-1: the full shapes). */
    public record Budget(int criteria, int used, double auc, double logLoss) {
    }

    /**
     * Hears the steps of a training as they end (columns, shapes and pairs, the budgets measured, the final fit,
     * calibration), so a long training can show how far it is; called on the training's thread.
     */
    @FunctionalInterface
    public interface Progress {
        /** Hears nothing. */
        Progress NONE = (step, done, total) -> { };

        /**
         * @param step  the step just ended
         * @param done  steps ended so far
         * @param total steps in all
         */
        void stepped(String step, int done, int total);
    }

    private AdditiveTrainer() {
    }

    /** Trains on all the cases (cross-validate with {@link Backtest#crossValidate} to measure it). */
    public static Result train(List<LabelledCase> cases, String name, String version, Options options) {
        return train(cases, name, version, options, Progress.NONE);
    }

    /** Trains on all the cases, telling {@code progress} of each step as it ends. */
    public static Result train(List<LabelledCase> cases, String name, String version, Options options,
                               Progress progress) {
        int measured = (int) options.budgets().stream().filter(budget -> budget <= options.maxCriteria()).count();
        int steps = 4 + (measured > 0 ? 1 : 0);
        int[] done = {0};
        java.util.function.Consumer<String> stepped = step -> progress.stepped(step, ++done[0], steps);
        int n = cases.size();
        boolean[] label = Folds.labels(cases);
        int positives = 0;
        for (boolean y : label) {
            positives += y ? 1 : 0;
        }
        if (positives == 0 || positives == n) {
            throw new IllegalArgumentException("training needs both outcomes, but all " + n + " cases "
                    + (positives == 0 ? "did not convert" : "converted"));
        }
        List<Column> columns = Columns.build(cases, label, new Columns.Options(MAX_BINS, Math.max(10, n / 1000),
                options.categorical(), options.activities()));
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no column of the " + n + " cases varies: nothing to learn from");
        }
        stepped.accept("columns built");
        int[] all = IntStream.range(0, n).toArray();
        Booster booster = shapes(columns, label, all, options);
        stepped.accept("shapes and pairs learned");
        double[] weights = curvature(booster.scores());
        List<Budget> budgets = List.of();
        if (measured > 0) {
            budgets = budgets(cases, columns, label, positives, options);
            stepped.accept(measured + " budgets measured");
        }

        Fitted fitted = fit(plan(booster, weights, options.maxCriteria(), cases, all), cases, label, all,
                options.l2());
        stepped.accept("weights fitted");
        LogisticTrainer.Fit calibrated = calibrate(fitted, label, options);
        stepped.accept("calibrated");
        FeatureSet features = FeatureSet.of(fitted.slots.stream().map(PointsPlan.Slot::criterion).toList());
        ScoringModel model = LogisticTrainer.toModel(features, calibrated, name, version, DECIMALS);
        List<Row> rows = new ArrayList<>();
        for (Criterion criterion : model.criteria()) {
            int index = indexOf(features, criterion.name());
            int firing = 0;
            int converted = 0;
            for (int i = 0; i < n; i++) {
                if (fitted.x[i][index] != 0) {
                    firing++;
                    converted += label[i] ? 1 : 0;
                }
            }
            rows.add(new Row(criterion, firing, converted));
        }
        return new Result(model, rows, budgets, columns.stream().map(Column::name).toList(),
                booster.pairs().stream().map(pair -> pair.toString()).toList());
    }

    /** The learned shapes and pairs of the cases {@code rows}. */
    private static Booster shapes(List<Column> columns, boolean[] label, int[] rows, Options options) {
        Booster booster = new Booster(columns, label, rows, Booster.Settings.defaults(), options.seed());
        booster.fitMains();
        booster.fitPairs(options.interactions());
        return booster;
    }

    /**
     * The lines of a points table within {@code budget}: {@value #CANDIDATES} times as many cut from the shapes, each
     * term on its own, then cut down to the budget jointly ({@link Pruning}: of two columns that say the same, one
     * keeps its lines).
     *
     * @param rows the cases the shapes were learned on
     */
    private static PointsPlan plan(Booster booster, double[] weights, int budget, List<LabelledCase> cases,
                                   int[] rows) {
        PointsPlan plan = PointsPlan.choose(booster, weights, (int) Math.round(budget * CANDIDATES));
        Pruning.toBudget(plan, values(plan.criteria(), cases), booster.scores(), weights, rows, budget);
        return plan;
    }

    /** Each case's weight in choosing the bands: the curvature {@code p(1-p)} of its log loss. */
    private static double[] curvature(double[] scores) {
        double[] weights = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            double p = 1 / (1 + Math.exp(-scores[i]));
            weights[i] = p * (1 - p);
        }
        return weights;
    }

    /**
     * The cost of fewer criteria: shapes learned on 6/7 of the cases, the points table of each budget fitted there,
     * both measured on the other 1/7 (which neither saw).
     */
    private static List<Budget> budgets(List<LabelledCase> cases, List<Column> columns, boolean[] label,
                                        int positives, Options options) {
        int n = label.length;
        int[] split = Folds.stratified(label, Math.min(7, Math.max(2, positives)), options.seed());
        int[] validation = IntStream.range(0, n).filter(i -> split[i] == 0).toArray();
        int[] fitting = IntStream.range(0, n).filter(i -> split[i] != 0).toArray();
        Booster booster = shapes(columns, label, fitting, options);
        double[] scores = booster.scores();
        double[] weights = curvature(scores);
        List<Budget> budgets = new ArrayList<>();
        budgets.add(new Budget(-1, -1, Metrics.auc(pick(scores, validation), pick(label, validation)),
                Metrics.logLoss(sigmoid(pick(scores, validation)), pick(label, validation))));
        for (int budget : options.budgets()) {
            if (budget > options.maxCriteria()) {
                continue;
            }
            List<PointsPlan.Slot> slots = plan(booster, weights, budget, cases, fitting).criteria();
            double[][] x = values(slots, cases);
            LogisticTrainer.Fit fit = LogisticTrainer.fit(pick(x, fitting), pick(label, fitting),
                    LogisticTrainer.Options.defaults().withL2(options.l2()));
            double[] held = logOdds(fit, x, validation);
            budgets.add(new Budget(budget, slots.size(), Metrics.auc(held, pick(label, validation)),
                    Metrics.logLoss(sigmoid(held), pick(label, validation))));
        }
        return budgets;
    }

    /** A plan's criteria and weights fitted on some cases, after tiny and order-breaking bands were merged. */
    private static final class Fitted {
        List<PointsPlan.Slot> slots;
        double[][] x;
        LogisticTrainer.Fit fit;

    }

    private static double[][] values(List<PointsPlan.Slot> slots, List<LabelledCase> cases) {
        FeatureSet features = FeatureSet.of(slots.stream().map(PointsPlan.Slot::criterion).toList());
        double[][] x = new double[cases.size()][];
        for (int i = 0; i < cases.size(); i++) {
            x[i] = features.values(cases.get(i));
        }
        return x;
    }

    private static double[] logOdds(LogisticTrainer.Fit fit, double[][] x, int[] rows) {
        double[] result = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            double eta = fit.intercept();
            for (int j = 0; j < fit.weights().length; j++) {
                eta += fit.weights()[j] * x[rows[r]][j];
            }
            result[r] = eta;
        }
        return result;
    }

    private static Fitted fit(PointsPlan plan, List<LabelledCase> cases, boolean[] label, int[] rows, double l2) {
        Fitted fitted = new Fitted();
        for (int round = 0; round < 60; round++) {
            fitted.slots = plan.criteria();
            fitted.x = values(fitted.slots, cases);
            if (fitted.slots.isEmpty()) {
                fitted.fit = LogisticTrainer.fit(pick(fitted.x, rows), pick(label, rows),
                        LogisticTrainer.Options.defaults().withL2(l2));
                return fitted;
            }
            fitted.fit = LogisticTrainer.fit(pick(fitted.x, rows), pick(label, rows),
                    LogisticTrainer.Options.defaults().withL2(l2));
            double[] w = fitted.fit.weights();
            int smallest = -1;
            for (int j = 0; j < w.length; j++) {
                if (Math.abs(w[j]) < SMALLEST_WEIGHT && (smallest < 0 || Math.abs(w[j]) < Math.abs(w[smallest]))) {
                    smallest = j;
                }
            }
            if (smallest >= 0) {
                plan.drop(fitted.slots.get(smallest));
                continue;
            }
            if (!plan.mergeViolation(fitted.slots, w)) {
                return fitted;
            }
        }
        return fitted;
    }

    /**
     * Platt scaling fitted out of sample: each training case's log-odds come from weights fitted on the other
     * folds; the map {@code a × log-odds + b} fitted to those is folded into the final weights.
     */
    private static LogisticTrainer.Fit calibrate(Fitted fitted, boolean[] label, Options options) {
        int n = label.length;
        int positives = 0;
        for (boolean y : label) {
            positives += y ? 1 : 0;
        }
        int k = Math.min(CALIBRATION_FOLDS, Math.min(positives, n - positives));
        if (k < 2 || fitted.slots.isEmpty()) {
            return fitted.fit;
        }
        int[] fold = Folds.stratified(label, k, options.seed() + 1);
        double[][] outOfFold = new double[n][1];
        for (int f = 0; f < k; f++) {
            int current = f;
            int[] training = IntStream.range(0, n).filter(i -> fold[i] != current).toArray();
            LogisticTrainer.Fit partial = LogisticTrainer.fit(pick(fitted.x, training), pick(label, training),
                    LogisticTrainer.Options.defaults().withL2(options.l2()));
            for (int i = 0; i < n; i++) {
                if (fold[i] == current) {
                    double eta = partial.intercept();
                    for (int j = 0; j < partial.weights().length; j++) {
                        eta += partial.weights()[j] * fitted.x[i][j];
                    }
                    outOfFold[i][0] = eta;
                }
            }
        }
        LogisticTrainer.Fit platt = LogisticTrainer.fit(outOfFold, label,
                LogisticTrainer.Options.defaults().withL2(1e-6));
        double a = platt.weights()[0];
        double b = platt.intercept();
        double[] weights = fitted.fit.weights().clone();
        for (int j = 0; j < weights.length; j++) {
            weights[j] *= a;
        }
        return new LogisticTrainer.Fit(a * fitted.fit.intercept() + b, weights, fitted.fit.iterations());
    }

    private static int indexOf(FeatureSet features, String name) {
        for (int j = 0; j < features.size(); j++) {
            if (features.criteria().get(j).name().equalsIgnoreCase(name)) {
                return j;
            }
        }
        throw new IllegalStateException("no feature " + name);
    }

    private static double[] pick(double[] values, int[] rows) {
        double[] picked = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            picked[r] = values[rows[r]];
        }
        return picked;
    }

    private static boolean[] pick(boolean[] values, int[] rows) {
        boolean[] picked = new boolean[rows.length];
        for (int r = 0; r < rows.length; r++) {
            picked[r] = values[rows[r]];
        }
        return picked;
    }

    private static double[][] pick(double[][] values, int[] rows) {
        double[][] picked = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            picked[r] = values[rows[r]];
        }
        return picked;
    }

    private static double[] sigmoid(double[] logOdds) {
        double[] p = new double[logOdds.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = 1 / (1 + Math.exp(-logOdds[i]));
        }
        return p;
    }
}
