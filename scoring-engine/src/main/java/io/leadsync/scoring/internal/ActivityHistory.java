package io.leadsync.scoring.internal;

import io.leadsync.connector.Activity;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The activities a score may count, in one canonical order so that sums come out the same bit for bit whatever
 * order the caller passed them in.
 *
 * @param activities the activities up to and including {@code asOf}, oldest first, repeats removed; only the first
 *                   {@code size} entries are used
 * @param size       how many there are
 * @param asOf       the scoring instant
 */
public record ActivityHistory(Activity[] activities, int size, Instant asOf) {

    /** Oldest first; ties broken by id, type and properties, so the order depends on content only. */
    private static final Comparator<Activity> CANONICAL_ORDER = Comparator
            .comparing(Activity::occurredAt)
            .thenComparing(Activity::id)
            .thenComparing(Activity::type)
            .thenComparing(activity -> new TreeMap<>(activity.properties()).toString());

    private static final Activity[] NONE = new Activity[0];

    /**
     * The activities up to and including {@code asOf}, oldest first: an activity read twice (the same id at the
     * same instant, as a replayed page gives it) counts once, the first in canonical order. Activities after {@code asOf} are left out. Input
     * already in canonical order (as a store returns it) is not sorted again.
     */
    public static ActivityHistory upTo(Instant asOf, List<Activity> activities) {
        int count = activities.size();
        if (count == 0) {
            return new ActivityHistory(NONE, 0, asOf);
        }
        Activity[] past = new Activity[count];
        int size = 0;
        boolean sorted = true;
        for (int i = 0; i < count; i++) {
            Activity activity = Objects.requireNonNull(activities.get(i), "activities must not contain null");
            if (!activity.occurredAt().isAfter(asOf)) {
                if (sorted && size > 0) {
                    int byTime = past[size - 1].occurredAt().compareTo(activity.occurredAt());
                    if (byTime > 0 || byTime == 0 && CANONICAL_ORDER.compare(past[size - 1], activity) > 0) {
                        sorted = false;
                    }
                }
                past[size++] = activity;
            }
        }
        if (!sorted) {
            Arrays.sort(past, 0, size, CANONICAL_ORDER);
        }
        return new ActivityHistory(past, withoutRepeatedIds(past, size), asOf);
    }

    /**
     * Removes repeats, keeping the order; the new size. In canonical order the same activity read twice (same id,
     * same time: a replayed page) sits next to itself, so one pass comparing neighbours finds every repeat, and
     * ids are only compared between activities of the same instant.
     */
    private static int withoutRepeatedIds(Activity[] activities, int size) {
        if (size < 2) {
            return size;
        }
        int kept = 1;
        for (int i = 1; i < size; i++) {
            Activity previous = activities[kept - 1];
            Activity activity = activities[i];
            boolean repeat = previous.occurredAt().equals(activity.occurredAt())
                    && previous.id().equals(activity.id());
            if (!repeat) {
                activities[kept++] = activity;
            }
        }
        return kept;
    }

    /** The activity at an index below {@link #size()}. */
    public Activity get(int index) {
        return activities[index];
    }

    /** The activities as a list, oldest first. */
    public List<Activity> toList() {
        return List.of(Arrays.copyOf(activities, size));
    }
}
