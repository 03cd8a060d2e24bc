package io.leadsync.identity;

/**
 * How probable matches are decided: configuration key {@code leadsync.identity.matching}.
 *
 * @param matchProbability  at or above it, a record joins the profile it matches best
 * @param reviewProbability at or above it (below a match), the pair goes to the review queue
 * @param maxProfileRecords a profile with this many records takes no more automatically: a record matching it goes
 *                          to the review queue instead (a chain of weak links cannot grow a profile without bound)
 * @param candidatesPerKey  a blocking key held by more profiles than this is too common to find candidates by
 * @param learnWeights      whether weights are estimated from the store's records as it grows (each time it has
 *                          doubled since the last estimate, from 1,000 records); on demand and on the schedule they
 *                          are estimated either way
 */
public record MatchSettings(double matchProbability, double reviewProbability, int maxProfileRecords,
                            int candidatesPerKey, boolean learnWeights) {
    public MatchSettings {
        if (!(reviewProbability > 0 && reviewProbability <= matchProbability && matchProbability < 1)) {
            throw new IllegalArgumentException("need 0 < review-probability <= match-probability < 1, got "
                    + reviewProbability + " and " + matchProbability);
        }
        if (maxProfileRecords < 2) {
            throw new IllegalArgumentException("max-profile-records must be at least 2, got " + maxProfileRecords);
        }
        if (candidatesPerKey < 1) {
            throw new IllegalArgumentException("candidates-per-key must be at least 1, got " + candidatesPerKey);
        }
    }

    public static MatchSettings defaults() {
        return new MatchSettings(0.9, 0.3, 25, 10, true);
    }
}
