package io.leadsync.scoring.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Stratified k-fold assignment: converters and non-converters are each shuffled with the seed and dealt to the
 * folds in turn, so every fold has the base rate of the whole. The same cases, k and seed give the same folds in
 * every tool ({@code score-eval --folds}, the gradient-boosting peer of the bench), so their figures compare.
 */
public final class Folds {
    private Folds() {
    }

    /**
     * The fold (0..k-1) of each case.
     *
     * @param converted each case's outcome, in case order
     */
    public static int[] stratified(boolean[] converted, int k, long seed) {
        if (k < 2 || k > converted.length) {
            throw new IllegalArgumentException("folds must be 2.." + converted.length + " but is " + k);
        }
        List<Integer> positives = new ArrayList<>();
        List<Integer> negatives = new ArrayList<>();
        for (int i = 0; i < converted.length; i++) {
            (converted[i] ? positives : negatives).add(i);
        }
        Random random = new Random(seed);
        Collections.shuffle(positives, random);
        Collections.shuffle(negatives, random);
        int[] fold = new int[converted.length];
        int next = 0;
        for (int i : positives) {
            fold[i] = next++ % k;
        }
        for (int i : negatives) {
            fold[i] = next++ % k;
        }
        return fold;
    }

    /** The folds of labelled cases. */
    public static int[] stratified(List<LabelledCase> cases, int k, long seed) {
        return stratified(labels(cases), k, seed);
    }

    static boolean[] labels(List<LabelledCase> cases) {
        boolean[] labels = new boolean[cases.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = cases.get(i).converted();
        }
        return labels;
    }
}
