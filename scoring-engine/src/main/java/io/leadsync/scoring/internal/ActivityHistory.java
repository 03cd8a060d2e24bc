package io.leadsync.scoring.internal;

import io.leadsync.connector.Activity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The activities a score may count, in one canonical order so that sums come out the same bit for bit whatever
 * order the caller passed them in.
 */
public final class ActivityHistory {

    /** Oldest first; ties broken by id, type and properties, so the order depends on content only. */
    private static final Comparator<Activity> CANONICAL_ORDER = Comparator
            .comparing(Activity::occurredAt)
            .thenComparing(Activity::id)
            .thenComparing(Activity::type)
            .thenComparing(activity -> new TreeMap<>(activity.properties()).toString());

    private ActivityHistory() {
    }

    /**
     * The activities up to and including {@code asOf}, oldest first, each id once: an activity read twice (a
     * replayed page) counts once. Activities after {@code asOf} are left out.
     */
    public static List<Activity> upTo(Instant asOf, List<Activity> activities) {
        List<Activity> past = new ArrayList<>(activities.size());
        for (Activity activity : activities) {
            Objects.requireNonNull(activity, "activities must not contain null");
            if (!activity.occurredAt().isAfter(asOf)) {
                past.add(activity);
            }
        }
        past.sort(CANONICAL_ORDER);
        Set<Object> seen = new HashSet<>();
        past.removeIf(activity -> !seen.add(activity.id()));
        return past;
    }
}
