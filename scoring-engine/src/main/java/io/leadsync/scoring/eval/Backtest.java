package io.leadsync.scoring.eval;

import io.leadsync.connector.ScoreResult;
import io.leadsync.scoring.ModelKind;
import io.leadsync.scoring.RuleScorer;
import io.leadsync.scoring.ScoringModel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Scores labelled history with a model and measures how well scores foretell conversions: what RevOps looks at
 * before a model goes live, and what compares a challenger with the champion on the same cases.
 *
 * <p>Probabilities: a logistic model's score is one, its map from criteria to probability fitted on its training
 * cases only (out of sample for the cases evaluated here). A rule model's points are not, so for log loss, accuracy
 * and the reliability table they are calibrated out of sample: each case's probability comes from a one-feature
 * logistic regression of the outcome on the points (Platt scaling) fitted on the other four fifths of the cases,
 * never on the case itself. AUC, precision, recall and lift use the scores as they are.
 */
public final class Backtest {
    /** Score bands of the conversion chart: 0-9, 10-19, ..., 90-100. */
    public static final int BANDS = 10;
    private static final int CALIBRATION_FOLDS = 5;
    private static final long CALIBRATION_SEED = 17;

    private Backtest() {
    }

    /** Scores every case with the model and measures the result. */
    public static BacktestResult evaluate(ScoringModel model, List<LabelledCase> cases) {
        RuleScorer scorer = new RuleScorer();
        List<Scored> scored = new ArrayList<>(cases.size());
        for (LabelledCase labelled : cases) {
            ScoreResult result = scorer.score(labelled.person(), labelled.activities(), model, labelled.asOf());
            double raw = scorer.rawScore(labelled.person(), labelled.activities(), model, labelled.asOf());
            scored.add(new Scored(raw, result.score(), labelled.converted()));
        }
        return measure(model, scored, List.of());
    }

    /**
     * Stratified k-fold cross-validation ({@link Folds}): each of the {@code folds} parts is scored by a model trained
     * on the others, so no case is scored by a model that saw it. Figures are those of
     * the pooled held-out scores; the fold figures show their spread.
     *
     * @param train trains a model on the training cases of one fold (column binning and band choice included)
     */
    public static BacktestResult crossValidate(List<LabelledCase> cases, int folds, long seed,
                                               Function<List<LabelledCase>, ScoringModel> train) {
        int[] foldOf = Folds.stratified(cases, folds, seed);
        List<Scored> pooled = new ArrayList<>();
        List<BacktestResult> perFold = new ArrayList<>();
        ScoringModel last = null;
        for (int fold = 0; fold < folds; fold++) {
            List<LabelledCase> training = new ArrayList<>();
            List<LabelledCase> heldOut = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                (foldOf[i] == fold ? heldOut : training).add(cases.get(i));
            }
            last = train.apply(training);
            BacktestResult result = evaluate(last, heldOut);
            perFold.add(result);
            pooled.addAll(result.scored());
        }
        return measure(last, pooled, perFold);
    }

    /** One scored case: the raw score (points, or a probability), the whole score, the outcome. */
    public record Scored(double raw, int score, boolean converted) {
    }

    private static BacktestResult measure(ScoringModel model, List<Scored> scored, List<BacktestResult> folds) {
        int n = scored.size();
        if (n == 0) {
            throw new IllegalArgumentException("no cases to evaluate");
        }
        double[] raw = new double[n];
        boolean[] converted = new boolean[n];
        int positives = 0;
        for (int i = 0; i < n; i++) {
            raw[i] = scored.get(i).raw();
            converted[i] = scored.get(i).converted();
            positives += converted[i] ? 1 : 0;
        }
        double[] probability = model.kind() == ModelKind.LOGISTIC ? raw
                : Metrics.plattOutOfSample(raw, converted, CALIBRATION_FOLDS, CALIBRATION_SEED);
        int threshold = mqlThreshold(model);
        int mqls = 0;
        int mqlsConverted = 0;
        int[] bandCases = new int[BANDS];
        int[] bandConverted = new int[BANDS];
        for (int i = 0; i < n; i++) {
            Scored one = scored.get(i);
            if (one.score() >= threshold) {
                mqls++;
                mqlsConverted += one.converted() ? 1 : 0;
            }
            int band = Math.min(one.score() / 10, BANDS - 1);
            bandCases[band]++;
            bandConverted[band] += one.converted() ? 1 : 0;
        }
        List<BacktestResult.Group> bands = new ArrayList<>();
        for (int band = 0; band < BANDS; band++) {
            bands.add(new BacktestResult.Group(band * 10 + "-" + (band == BANDS - 1 ? 100 : band * 10 + 9),
                    bandCases[band], bandConverted[band], (double) positives / n));
        }
        return new BacktestResult(model.id(), n, positives, Metrics.auc(raw, converted),
                Metrics.logLoss(probability, converted), Metrics.accuracy(probability, converted), threshold, mqls,
                mqls == 0 ? 0 : (double) mqlsConverted / mqls, positives == 0 ? 0 : (double) mqlsConverted / positives,
                Metrics.deciles(raw, converted), bands, Metrics.reliability(probability, converted), folds,
                List.copyOf(scored));
    }

    /** The score that makes an MQL: the model's MQL stage, else its task threshold, else 50. */
    public static int mqlThreshold(ScoringModel model) {
        return model.stageThreshold("MQL").orElse(model.taskThreshold().orElse(50));
    }
}
