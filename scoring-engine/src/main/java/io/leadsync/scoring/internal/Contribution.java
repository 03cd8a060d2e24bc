package io.leadsync.scoring.internal;

import io.leadsync.connector.ScoreReason;
import io.leadsync.scoring.Criterion;

import java.util.Comparator;

/**
 * What one criterion that fired adds to a score.
 *
 * @param criterion   the criterion
 * @param points      its points after decay and caps, unrounded
 * @param shownPoints the points as reasons show them: rounded half up to 0.1
 * @param occurrences how many activities it counted, for activity criteria; -1 for field criteria
 * @param detail      what matched, e.g. {@code title "VP Sales"} or {@code 3 in 90 days}
 */
public record Contribution(Criterion criterion, double points, double shownPoints, int occurrences, String detail) {

    /** Largest shown contribution first (by absolute points), then by name. */
    public static final Comparator<Contribution> BY_WEIGHT = (a, b) -> {
        int byWeight = Double.compare(Math.abs(b.shownPoints), Math.abs(a.shownPoints));
        return byWeight != 0 ? byWeight : a.criterion.name().compareTo(b.criterion.name());
    };

    public Contribution(Criterion criterion, double points, int occurrences, String detail) {
        this(criterion, points, Decimals.tenths(points), occurrences, detail);
    }

    public ScoreReason toReason() {
        return new ScoreReason(criterion.name(), criterion.category().key(), shownPoints, detail);
    }
}
