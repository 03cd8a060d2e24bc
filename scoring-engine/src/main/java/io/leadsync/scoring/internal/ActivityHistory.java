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
public record ActivityHistory(List<Activity> activities, int size, Instant asOf) {

    /** Oldest first; ties broken by id, type and properties, so the order depends on content only. */
    private static final Comparator<Activity> CANONICAL_ORDER = Comparator
            .comparing(Activity::occurredAt)
            .thenComparing(Activity::id)
            .thenComparing(Activity::type)
            .thenComparing(activity -> new TreeMap<>(activity.properties()).toString());

    /**
     * The activities up to and including {@code asOf}, oldest first: an activity read twice (the same id at the
     * same instant, as a replayed page gives it) counts once, the first in canonical order. Activities after
     * {@code asOf} are left out. Input already in canonical order without repeats and without later activities (as
     * a store returns it) is used as it is, neither copied nor sorted.
     */
    public static ActivityHistory upTo(Instant asOf, List<Activity> activities) {
        int count = activities.size();
        if (count == 0) {
            return new ActivityHistory(List.of(), 0, asOf);
        }
        if (activities instanceof java.util.RandomAccess && isCanonicalAndPast(activities, asOf)) {
            return new ActivityHistory(activities, count, asOf);
        }
        Activity[] past = new Activity[count];
        int size = 0;
        for (int i = 0; i < count; i++) {
            Activity activity = Objects.requireNonNull(activities.get(i), "activities must not contain null");
            if (!activity.occurredAt().isAfter(asOf)) {
                past[size++] = activity;
            }
        }
        Arrays.sort(past, 0, size, CANONICAL_ORDER);
        return new ActivityHistory(Arrays.asList(past), withoutRepeatedIds(past, size), asOf);
    }

    /** Whether every activity is at or before {@code asOf}, in canonical order, none read twice. */
    private static boolean isCanonicalAndPast(List<Activity> activities, Instant asOf) {
        Activity previous = null;
        for (int i = 0, count = activities.size(); i < count; i++) {
            Activity activity = Objects.requireNonNull(activities.get(i), "activities must not contain null");
            if (activity.occurredAt().isAfter(asOf)) {
                return false;
            }
            if (previous != null) {
                int byTime = previous.occurredAt().compareTo(activity.occurredAt());
                if (byTime > 0 || byTime == 0 && (previous.id().equals(activity.id())
                        || CANONICAL_ORDER.compare(previous, activity) > 0)) {
                    return false;
                }
            }
            previous = activity;
        }
        return true;
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
        return activities.get(index);
    }

    /** The activities as a list, oldest first. */
    public List<Activity> toList() {
        return List.copyOf(activities.subList(0, size));
    }
}
