package io.leadsync.scoring;

/**
 * The section of a model a criterion is written in. It fixes the sign of the criterion's points: fit and
 * engagement add to a score, negative subtracts from it.
 */
public enum Category {
    /** Who the person is: title, industry, company size, a business email. */
    FIT("fit"),
    /** What the person did: meetings, replies, visits. */
    ENGAGEMENT("engagement"),
    /** What speaks against the person: an opt-out, a bounce, a free-mail address. */
    NEGATIVE("negative");

    private final String key;

    Category(String key) {
        this.key = key;
    }

    /** The model file's section name, also written as {@code ScoreReason.category}: {@code fit}, {@code engagement}, {@code negative}. */
    public String key() {
        return key;
    }

    /** Whether criteria in this category must have negative points. */
    public boolean subtracts() {
        return this == NEGATIVE;
    }
}
