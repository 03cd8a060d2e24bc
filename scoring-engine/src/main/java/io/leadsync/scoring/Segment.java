package io.leadsync.scoring;

import io.leadsync.connector.Person;
import io.leadsync.scoring.internal.Checks;
import io.leadsync.scoring.internal.Decimals;
import io.leadsync.scoring.internal.ModelRules;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One set of criteria of a model, for the persons its {@code when} picks: a persona such as developers or
 * marketers, each scored by what matters for them. A model's top-level criteria form its <em>default</em> segment
 * (no conditions), which scores everyone no named segment picks; a model without segments has only that one.
 *
 * @param name      the segment's name ({@link #DEFAULT} for the top level)
 * @param when      conditions on the person that must all hold; empty for the default segment
 * @param intercept a logistic model's log-odds before any criterion fires; 0 in a rule model
 * @param criteria  fit, then engagement, then negative criteria, each in file order; names unique ignoring case
 * @param caps      the most a category may add in total (for negative, how negative it may get), after the
 *                  criteria's own caps; rule models only
 */
public record Segment(String name, List<SegmentCondition> when, double intercept, List<Criterion> criteria,
                      Map<Category, Double> caps) {

    /** The name of a model's top-level criteria as a segment. */
    public static final String DEFAULT = "default";

    public Segment {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a segment needs a name");
        }
        name = name.strip();
        when = List.copyOf(when);
        if (!Double.isFinite(intercept)) {
            throw new IllegalArgumentException("intercept of segment '" + name + "' must be a number");
        }
        criteria = List.copyOf(criteria);
        Objects.requireNonNull(caps, "caps");
        Map<Category, Double> copy = new EnumMap<>(Category.class);
        for (Map.Entry<Category, Double> cap : caps.entrySet()) {
            Objects.requireNonNull(cap.getKey(), "caps category");
            double value = Objects.requireNonNull(cap.getValue(), "cap");
            if (!Double.isFinite(value) || !Checks.hasRightSign(cap.getKey(), value)) {
                throw new IllegalArgumentException(Checks.categoryCapProblem(cap.getKey(), Decimals.format(value)));
            }
            copy.put(cap.getKey(), value);
        }
        caps = Collections.unmodifiableMap(copy);
        List<ModelRules.Violation> names = ModelRules.checkCriterionNames(criteria);
        if (!names.isEmpty()) {
            throw new IllegalArgumentException(names.get(0).reason());
        }
    }

    /** The default segment of a rule model: these criteria, no conditions, no caps. */
    public static Segment of(List<Criterion> criteria) {
        return new Segment(DEFAULT, List.of(), 0, criteria, Map.of());
    }

    /** Whether this is a model's default segment: it has no conditions. */
    public boolean isDefault() {
        return when.isEmpty();
    }

    /** Whether every condition holds for the person (always, for the default segment). */
    public boolean matches(Person person) {
        for (SegmentCondition condition : when) {
            if (!condition.test(person)) {
                return false;
            }
        }
        return true;
    }

    /** The criteria of one category, in file order. */
    public List<Criterion> criteria(Category category) {
        return criteria.stream().filter(criterion -> criterion.category() == category).toList();
    }

    /** The cap on a category's total, if the segment sets one. */
    public OptionalDouble cap(Category category) {
        Double cap = caps.get(category);
        return cap == null ? OptionalDouble.empty() : OptionalDouble.of(cap);
    }
}
