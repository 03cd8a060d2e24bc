package io.leadsync.scoring.internal;

/** The logistic function, computed the same on every JVM and CPU ({@link StrictMath}). */
public final class Logistic {
    private Logistic() {
    }

    /** {@code 1 / (1 + e^-z)}: log-odds to a probability. */
    public static double probability(double logOdds) {
        if (logOdds >= 0) {
            return 1 / (1 + StrictMath.exp(-logOdds));
        }
        double e = StrictMath.exp(logOdds);
        return e / (1 + e);
    }
}
