package io.leadsync.scoring.internal;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.scoring.ActivityCriterion;
import io.leadsync.scoring.Criterion;
import io.leadsync.scoring.FieldCriterion;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Evaluates one criterion for one person. Pure: the result depends on the arguments only. */
public final class CriterionEvaluator {
    private static final double SECONDS_PER_DAY = 86_400.0;
    private static final int MAX_SHOWN_VALUE_LENGTH = 60;

    private CriterionEvaluator() {
    }

    /**
     * What the criterion adds, or empty if it does not fire.
     *
     * @param history the person's activities from {@link ActivityHistory#upTo}: none after {@code asOf}, oldest first
     */
    public static Optional<Contribution> evaluate(Criterion criterion, Person person, List<Activity> history,
                                                  Instant asOf) {
        if (criterion instanceof FieldCriterion) {
            return evaluateField((FieldCriterion) criterion, person);
        }
        if (criterion instanceof ActivityCriterion) {
            return evaluateActivities((ActivityCriterion) criterion, history, asOf);
        }
        throw new IllegalStateException("no evaluator for " + criterion.getClass().getName());
    }

    private static Optional<Contribution> evaluateField(FieldCriterion criterion, Person person) {
        String value = FieldValues.of(person, criterion.field());
        if (!criterion.condition().test(value)) {
            return Optional.empty();
        }
        String detail = value == null ? criterion.field() + " is empty"
                : criterion.field() + " \"" + abbreviate(value) + "\"";
        return Optional.of(new Contribution(criterion, criterion.points(), OptionalInt.empty(), detail));
    }

    private static Optional<Contribution> evaluateActivities(ActivityCriterion criterion, List<Activity> history,
                                                             Instant asOf) {
        Instant windowStart = criterion.withinDays().isPresent()
                ? asOf.minus(Duration.ofDays(criterion.withinDays().getAsInt())) : Instant.MIN;
        int count = 0;
        double total = 0;
        for (Activity activity : history) {
            if (criterion.activityTypes().contains(activity.type())
                    && !activity.occurredAt().isBefore(windowStart)
                    && matchesWhere(criterion.where(), activity)) {
                count++;
                total += criterion.points() * decay(criterion, activity, asOf);
            }
        }
        if (count == 0) {
            return Optional.empty();
        }
        double capped = total;
        boolean hitCap = false;
        if (criterion.max().isPresent()) {
            double max = criterion.max().getAsDouble();
            capped = criterion.points() > 0 ? Math.min(total, max) : Math.max(total, max);
            hitCap = capped != total;
        }
        String detail = criterion.withinDays().isPresent()
                ? count + " in " + criterion.withinDays().getAsInt() + " days"
                : count + (count == 1 ? " occurrence" : " occurrences");
        if (hitCap) {
            detail += ", capped at " + Decimals.format(criterion.max().getAsDouble());
        }
        return Optional.of(new Contribution(criterion, capped, OptionalInt.of(count), detail));
    }

    /**
     * {@code 0.5^(age / half-life)}, with the age in fractional days; 1 without a half-life. {@link StrictMath}
     * gives the same bits on every JVM and CPU.
     */
    private static double decay(ActivityCriterion criterion, Activity activity, Instant asOf) {
        if (criterion.halfLifeDays().isEmpty()) {
            return 1;
        }
        Duration age = Duration.between(activity.occurredAt(), asOf);
        double ageDays = (age.getSeconds() + age.getNano() / 1e9) / SECONDS_PER_DAY;
        return StrictMath.pow(0.5, ageDays / criterion.halfLifeDays().getAsDouble());
    }

    private static boolean matchesWhere(Map<String, String> where, Activity activity) {
        for (Map.Entry<String, String> condition : where.entrySet()) {
            String actual = activity.properties().get(condition.getKey());
            if (actual == null || !actual.strip().equalsIgnoreCase(condition.getValue().strip())) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String value) {
        if (value.length() <= MAX_SHOWN_VALUE_LENGTH) {
            return value;
        }
        int end = MAX_SHOWN_VALUE_LENGTH - 1;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + "…";
    }
}
