package io.leadsync.scoring.eval.internal;

/** How much a grouping of the cases explains of the outcome, by the second-order gain of boosting. */
final class Gains {
    private Gains() {
    }

    /** The gain of one value per bin over the base rate alone: {@code Σ G²/H - (ΣG)²/ΣH}. */
    static double univariate(short[] bin, int bins, boolean[] label) {
        int n = label.length;
        int positives = 0;
        for (boolean y : label) {
            positives += y ? 1 : 0;
        }
        double p = (double) positives / n;
        double[] g = new double[bins];
        double[] h = new double[bins];
        for (int i = 0; i < n; i++) {
            g[bin[i]] += p - (label[i] ? 1 : 0);
            h[bin[i]] += p * (1 - p);
        }
        double gain = 0;
        double gTotal = 0;
        double hTotal = 0;
        for (int b = 0; b < bins; b++) {
            if (h[b] > 0) {
                gain += g[b] * g[b] / (h[b] + 1);
            }
            gTotal += g[b];
            hTotal += h[b];
        }
        return gain - gTotal * gTotal / (hTotal + 1);
    }
}
