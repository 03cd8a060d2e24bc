package io.leadsync.scoring.internal;

import io.leadsync.connector.ScoreReason;
import io.leadsync.scoring.Criterion;

import java.util.Comparator;
import java.util.OptionalInt;

/**
 * What one criterion that fired adds to a score.
 *
 * @param criterion   the criterion
 * @param points      its points after decay and cap, unrounded
 * @param occurrences how many activities it counted, for activity criteria
 * @param detail      what matched, e.g. {@code title "VP Sales"} or {@code 3 in 90 days}
 */
public record Contribution(Criterion criterion, double points, OptionalInt occurrences, String detail) {

    /** Largest shown contribution first (by absolute points), then by name. */
    public static final Comparator<Contribution> BY_WEIGHT = Comparator
            .comparingDouble((Contribution contribution) -> Math.abs(contribution.shownPoints())).reversed()
            .thenComparing(contribution -> contribution.criterion().name());

    /** The points as reasons show them: rounded half up to 0.1. */
    public double shownPoints() {
        return Decimals.tenths(points);
    }

    public ScoreReason toReason() {
        return new ScoreReason(criterion.name(), criterion.category().key(), shownPoints(), detail);
    }
}
