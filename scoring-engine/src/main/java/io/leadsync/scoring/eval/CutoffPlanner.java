package io.leadsync.scoring.eval;

import java.util.List;

/**
 * Sets the MQL threshold by sales capacity: for a target number of MQLs a week, the lowest score whose leads, at the
 * rate leads arrive, stay within it, and the conversion that threshold buys, from backtested scores and outcomes.
 */
public final class CutoffPlanner {

    /**
     * A threshold and what it gives.
     *
     * @param threshold      leads scoring at least this are MQLs
     * @param share          the share of leads at or above it
     * @param mqlsPerWeek    the MQLs a week it gives at the given arrival rate
     * @param conversionRate the share of those MQLs that converted in the backtest
     * @param recall         the share of all converters they include
     * @param baseRate       the conversion rate of all leads
     */
    public record Plan(int threshold, double share, double mqlsPerWeek, double conversionRate, double recall,
                       double baseRate) {
    }

    private CutoffPlanner() {
    }

    /**
     * The plan for a capacity.
     *
     * @param scored       backtested cases: whole score 0..100 and outcome
     * @param leadsPerWeek how many new leads arrive a week
     * @param mqlsPerWeek  how many MQLs sales can work a week
     * @throws IllegalArgumentException without cases or with a rate that is not positive
     */
    public static Plan plan(List<Backtest.Scored> scored, double leadsPerWeek, double mqlsPerWeek) {
        if (scored.isEmpty()) {
            throw new IllegalArgumentException("no backtested cases to plan the threshold from");
        }
        if (!(leadsPerWeek > 0) || !(mqlsPerWeek > 0)) {
            throw new IllegalArgumentException("leads per week and MQLs per week must be above 0");
        }
        int[] cases = new int[102];
        int[] converted = new int[102];
        int positives = 0;
        for (Backtest.Scored one : scored) {
            int score = Math.max(0, Math.min(100, one.score()));
            cases[score]++;
            converted[score] += one.converted() ? 1 : 0;
            positives += one.converted() ? 1 : 0;
        }
        int n = scored.size();
        // from the top down: the lowest threshold whose share of leads stays within capacity
        int chosen = 101;
        int above = 0;
        int aboveConverted = 0;
        int chosenAbove = 0;
        int chosenConverted = 0;
        for (int threshold = 100; threshold >= 0; threshold--) {
            above += cases[threshold];
            aboveConverted += converted[threshold];
            if (leadsPerWeek * above / n > mqlsPerWeek) {
                break;
            }
            chosen = threshold;
            chosenAbove = above;
            chosenConverted = aboveConverted;
        }
        double share = (double) chosenAbove / n;
        return new Plan(Math.min(chosen, 100), share, leadsPerWeek * share,
                chosenAbove == 0 ? 0 : (double) chosenConverted / chosenAbove,
                positives == 0 ? 0 : (double) chosenConverted / positives, (double) positives / n);
    }
}
