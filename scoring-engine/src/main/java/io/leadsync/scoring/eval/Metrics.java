package io.leadsync.scoring.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Ranking and probability metrics over scored cases: what backtests report, for any scorer's output. */
public final class Metrics {
    private static final double EPSILON = 1e-15;

    private Metrics() {
    }

    /** ROC AUC by the rank-sum (Mann-Whitney) formula, ties counted half. */
    public static double auc(double[] score, boolean[] positive) {
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
        double rankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Mean negative log-likelihood of the outcomes under the probabilities (clipped away from 0 and 1). */
    public static double logLoss(double[] probability, boolean[] positive) {
        double sum = 0;
        for (int i = 0; i < probability.length; i++) {
            double p = Math.min(Math.max(probability[i], EPSILON), 1 - EPSILON);
            sum -= positive[i] ? Math.log(p) : Math.log(1 - p);
        }
        return sum / probability.length;
    }

    /** Share of cases whose probability is on the right side of 0.5. */
    public static double accuracy(double[] probability, boolean[] positive) {
        int right = 0;
        for (int i = 0; i < probability.length; i++) {
            right += (probability[i] >= 0.5) == positive[i] ? 1 : 0;
        }
        return (double) right / probability.length;
    }

    /** Cases sorted by score, highest first, in ten groups as equal as can be; ties keep input order. */
    static List<BacktestResult.Group> deciles(double[] score, boolean[] positive) {
        int n = score.length;
        Integer[] order = new Integer[n];
        int positives = 0;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            positives += positive[i] ? 1 : 0;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> score[i]).reversed());
        List<BacktestResult.Group> deciles = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            int from = (int) ((long) d * n / 10);
            int to = (int) ((long) (d + 1) * n / 10);
            int converted = 0;
            for (int k = from; k < to; k++) {
                converted += positive[order[k]] ? 1 : 0;
            }
            deciles.add(new BacktestResult.Group(Integer.toString(d + 1), to - from, converted, (double) positives / n));
        }
        return deciles;
    }

    /**
     * Platt scaling out of sample: each case's probability from a logistic regression of the outcome on the raw
     * score fitted on the cases of the other folds.
     */
    static double[] plattOutOfSample(double[] raw, boolean[] positive, int folds, long seed) {
        int positives = 0;
        for (boolean p : positive) {
            positives += p ? 1 : 0;
        }
        int k = Math.min(folds, Math.min(positives, raw.length - positives));
        if (k < 2) {
            return plattScale(raw, positive, raw);
        }
        int[] fold = Folds.stratified(positive, k, seed);
        double[] probability = new double[raw.length];
        for (int f = 0; f < k; f++) {
            int current = f;
            int[] fitting = java.util.stream.IntStream.range(0, raw.length).filter(i -> fold[i] != current)
                    .toArray();
            int[] held = java.util.stream.IntStream.range(0, raw.length).filter(i -> fold[i] == current).toArray();
            double[] fitRaw = new double[fitting.length];
            boolean[] fitPositive = new boolean[fitting.length];
            for (int r = 0; r < fitting.length; r++) {
                fitRaw[r] = raw[fitting[r]];
                fitPositive[r] = positive[fitting[r]];
            }
            double[] heldRaw = new double[held.length];
            for (int r = 0; r < held.length; r++) {
                heldRaw[r] = raw[held[r]];
            }
            double[] heldProbability = plattScale(fitRaw, fitPositive, heldRaw);
            for (int r = 0; r < held.length; r++) {
                probability[held[r]] = heldProbability[r];
            }
        }
        return probability;
    }

    /** Cases by predicted probability in tenths: mean predicted and observed conversion in each non-empty one. */
    static List<BacktestResult.Reliability> reliability(double[] probability, boolean[] positive) {
        int[] cases = new int[10];
        double[] predicted = new double[10];
        int[] converted = new int[10];
        for (int i = 0; i < probability.length; i++) {
            int bin = Math.min(9, Math.max(0, (int) (probability[i] * 10)));
            cases[bin]++;
            predicted[bin] += probability[i];
            converted[bin] += positive[i] ? 1 : 0;
        }
        List<BacktestResult.Reliability> table = new ArrayList<>();
        for (int bin = 0; bin < 10; bin++) {
            if (cases[bin] > 0) {
                table.add(new BacktestResult.Reliability(bin * 10 + "-" + (bin + 1) * 10 + "%", cases[bin],
                        predicted[bin] / cases[bin], (double) converted[bin] / cases[bin]));
            }
        }
        return table;
    }

    /** Platt scaling: fitted on {@code raw}/{@code positive}, the probabilities of {@code apply}. */
    static double[] plattScale(double[] raw, boolean[] positive, double[] apply) {
        double[][] x = new double[raw.length][1];
        double mean = 0;
        double sd = 0;
        for (double value : raw) {
            mean += value;
        }
        mean /= raw.length;
        for (double value : raw) {
            sd += (value - mean) * (value - mean);
        }
        sd = Math.sqrt(sd / raw.length);
        double scale = sd == 0 ? 1 : sd;
        for (int i = 0; i < raw.length; i++) {
            x[i][0] = (raw[i] - mean) / scale;
        }
        int positives = 0;
        for (boolean p : positive) {
            positives += p ? 1 : 0;
        }
        double[] probability = new double[apply.length];
        if (positives == 0 || positives == raw.length) {
            Arrays.fill(probability, positives == 0 ? 0 : 1);
            return probability;
        }
        LogisticTrainer.Fit fit = LogisticTrainer.fit(x, positive, LogisticTrainer.Options.defaults().withL2(1e-6));
        for (int i = 0; i < apply.length; i++) {
            probability[i] = 1 / (1 + Math.exp(-(fit.intercept() + fit.weights()[0] * (apply[i] - mean) / scale)));
        }
        return probability;
    }
}
