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
 * @param name          the criterion's name
 * @param category      the section it is written in
 * @param activityTypes the canonical snake_case types that count ({@code meeting}, {@code email_reply}...)
 * @param points        points per occurrence; positive in fit and engagement, negative in negative
 * @param max           the cap on the criterion's total; for negative criteria a negative number bounding how
 *                      negative it gets
 * @param withinDays    only activities in the last N days before the scoring instant count
 * @param halfLifeDays  the age in days at which an occurrence's points are halved
 * @param where         activity properties that must all equal the given text, ignoring case
 *                      ({@code {campaign: spring-launch}})
 */
public record ActivityCriterion(String name, Category category, List<String> activityTypes, double points,
                                OptionalDouble max, OptionalInt withinDays, OptionalDouble halfLifeDays,
                                Map<String, String> where) implements Criterion {

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
        activityTypes = List.copyOf(activityTypes);
        Checks.requirePointsSign(name, category, points);
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(withinDays, "withinDays");
        Objects.requireNonNull(halfLifeDays, "halfLifeDays");
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
    }

    @Override
    public double bound() {
        if (max.isPresent()) {
            return max.getAsDouble();
        }
        return points > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
}
