package io.leadsync.scoring;

import io.leadsync.scoring.internal.Checks;
import io.leadsync.scoring.internal.Decimals;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A criterion that counts the person's activities, e.g. {@code 15 points per meeting in the last 90 days, at most 30}.
 *
 * <p>Each counted activity adds {@code points}, decayed by its age when {@code halfLifeDays} is set
 * ({@code points × 0.5^(age / half-life)}: an activity one half-life old counts half); the sum is then capped at
 * {@code max}. Activities after the scoring instant never count.
 *
 * <p>With {@code atLeast} or {@code atMost} the criterion is a <em>count rule</em> instead: it fires once, with its
 * points, when the number of counted activities lies within the bounds. {@code at-least: 2, within-days: 3} is a
 * repeat visit within 3 days; with {@code half-life-days} its points fade with the age of the latest counted
 * activity. {@code activity: any, at-most: 0, within-days: 30} is a person with no activity for 30 days (it fires
 * for a person with no activities at all, too).
 *
 * @param name          the criterion's name
 * @param category      the section it is written in
 * @param activityTypes the canonical snake_case types that count ({@code meeting}, {@code email_reply}...), or
 *                      {@link #ANY} alone for every type
 * @param points        points per occurrence (once for a count rule); positive in fit and engagement, negative in
 *                      negative. In a {@link ModelKind#LOGISTIC logistic} model, log-odds.
 * @param max           the cap on the criterion's total; for negative criteria a negative number bounding how
 *                      negative it gets. Not for count rules.
 * @param withinDays    only activities in the last N days before the scoring instant count
 * @param halfLifeDays  the age in days at which an occurrence's points are halved
 * @param where         activity properties that must all equal the given text, ignoring case
 *                      ({@code {campaign: spring-launch}})
 * @param atLeast       a count rule: fires when at least this many activities count (1 or more)
 * @param atMost        a count rule: fires when at most this many activities count (0 or more)
 * @param when          conditions on the person's fields that must all hold too; empty for none
 */
public record ActivityCriterion(String name, Category category, List<String> activityTypes, double points,
                                OptionalDouble max, OptionalInt withinDays, OptionalDouble halfLifeDays,
                                Map<String, String> where, OptionalInt atLeast, OptionalInt atMost,
                                List<SegmentCondition> when)
        implements Criterion {

    /** The activity "type" that stands for every type: {@code activity: any}. */
    public static final String ANY = "any";

    public ActivityCriterion {
        name = Checks.requireName(name);
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(activityTypes, "activityTypes");
        if (activityTypes.isEmpty()) {
            throw new IllegalArgumentException("criterion '" + name + "' needs at least one activity type");
        }
        for (String type : activityTypes) {
            if (type == null || !Checks.ACTIVITY_TYPE.matcher(type).matches()) {
                throw new IllegalArgumentException(Checks.activityTypeProblem(type));
            }
        }
        if (new LinkedHashSet<>(activityTypes).size() != activityTypes.size()) {
            throw new IllegalArgumentException("criterion '" + name + "' lists an activity type twice");
        }
        if (activityTypes.size() > 1 && activityTypes.contains(ANY)) {
            throw new IllegalArgumentException(Checks.anyTypeProblem("criterion '" + name + "'"));
        }
        activityTypes = List.copyOf(activityTypes);
        Checks.requirePointsSign(name, category, points);
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(withinDays, "withinDays");
        Objects.requireNonNull(halfLifeDays, "halfLifeDays");
        Objects.requireNonNull(atLeast, "atLeast");
        Objects.requireNonNull(atMost, "atMost");
        if (max.isPresent() && !Checks.hasRightSign(category, max.getAsDouble())) {
            throw new IllegalArgumentException(
                    Checks.maxSignProblem("criterion '" + name + "'", category, Decimals.format(max.getAsDouble())));
        }
        if (withinDays.isPresent() && withinDays.getAsInt() < 1) {
            throw new IllegalArgumentException("within-days of criterion '" + name + "' must be at least 1");
        }
        if (halfLifeDays.isPresent()
                && !(Double.isFinite(halfLifeDays.getAsDouble()) && halfLifeDays.getAsDouble() > 0)) {
            throw new IllegalArgumentException("half-life-days of criterion '" + name + "' must be above 0");
        }
        Objects.requireNonNull(where, "where");
        for (Map.Entry<String, String> condition : where.entrySet()) {
            if (condition.getKey() == null || condition.getKey().isBlank()
                    || condition.getValue() == null || condition.getValue().isBlank()) {
                throw new IllegalArgumentException("where of criterion '" + name + "' needs a property and a value");
            }
        }
        where = Collections.unmodifiableMap(new LinkedHashMap<>(where));
        String label = "criterion '" + name + "'";
        Checks.countRuleProblem(label, atLeast, atMost, max.isPresent(), halfLifeDays.isPresent())
                .ifPresent(problem -> {
                    throw new IllegalArgumentException(problem);
                });
        when = List.copyOf(when);
    }

    /** A criterion whose only conditions are on the activities. */
    public ActivityCriterion(String name, Category category, List<String> activityTypes, double points,
                             OptionalDouble max, OptionalInt withinDays, OptionalDouble halfLifeDays,
                             Map<String, String> where, OptionalInt atLeast, OptionalInt atMost) {
        this(name, category, activityTypes, points, max, withinDays, halfLifeDays, where, atLeast, atMost, List.of());
    }

    /** A criterion that adds points per counted activity (no count rule). */
    public ActivityCriterion(String name, Category category, List<String> activityTypes, double points,
                             OptionalDouble max, OptionalInt withinDays, OptionalDouble halfLifeDays,
                             Map<String, String> where) {
        this(name, category, activityTypes, points, max, withinDays, halfLifeDays, where, OptionalInt.empty(),
                OptionalInt.empty());
    }

    /** Whether it fires once on a number of activities ({@code at-least}, {@code at-most}) rather than per activity. */
    public boolean isCountRule() {
        return atLeast.isPresent() || atMost.isPresent();
    }

    /** Whether every activity type counts ({@code activity: any}). */
    public boolean countsAnyType() {
        return activityTypes.size() == 1 && activityTypes.get(0).equals(ANY);
    }

    @Override
    public double bound() {
        if (isCountRule()) {
            return points;
        }
        if (max.isPresent()) {
            return max.getAsDouble();
        }
        return points > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
}
