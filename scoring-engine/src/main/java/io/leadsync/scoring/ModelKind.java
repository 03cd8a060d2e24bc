package io.leadsync.scoring;

/**
 * How a model turns the criteria that fire into a score.
 */
public enum ModelKind {
    /**
     * Points: the score is the sum of the contributions (after decay and caps), clamped to 0..100 and rounded half
     * up. The model an admin writes by hand.
     */
    RULE("rule"),
    /**
     * Learned weights: each criterion's {@code weight} is in log-odds; the score is
     * {@code round(100 × 1 / (1 + e^-(intercept + Σ contributions)))}, the conversion probability in percent. The
     * model {@code score-train} writes, which a person can still read and edit.
     */
    LOGISTIC("logistic");

    private final String key;

    ModelKind(String key) {
        this.key = key;
    }

    /** The value of the model file's {@code kind} key. */
    public String key() {
        return key;
    }

    /** The key a criterion gives its coefficient with: {@code points} or {@code weight}. */
    public String coefficientKey() {
        return this == RULE ? "points" : "weight";
    }
}
