package io.leadsync.scoring;

import io.leadsync.scoring.internal.Checks;

import java.util.List;
import java.util.Objects;

/**
 * A criterion on one field of the person, e.g. {@code title contains-any [vp, director]}.
 *
 * @param name      the criterion's name
 * @param category  the section it is written in
 * @param field     a canonical {@code Person} field ({@code email}, {@code first-name}, {@code last-name},
 *                  {@code title}, {@code company}, {@code domain}, {@code country}, {@code phone},
 *                  {@code owner-id}) or else an attribute name as the source spells it
 *                  ({@code industry}, {@code numberofemployees}); an attribute is looked up exactly first, then
 *                  ignoring case
 * @param condition what the field's value must satisfy
 * @param points    the points when the condition holds; positive in fit and engagement, negative in negative
 * @param when      further conditions on other fields that must all hold too (an interaction of a learned model:
 *                  {@code Total Time at least 800} {@code when Lead Origin is API}); empty for none
 */
public record FieldCriterion(String name, Category category, String field, FieldCondition condition, double points,
                             List<SegmentCondition> when)
        implements Criterion {

    public FieldCriterion {
        name = Checks.requireName(name);
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(field, "field");
        if (field.isBlank()) {
            throw new IllegalArgumentException("criterion '" + name + "' needs a field name");
        }
        Objects.requireNonNull(condition, "condition");
        Checks.requirePointsSign(name, category, points);
        if (condition instanceof FieldCondition.BusinessEmail && !Checks.isEmailField(field)) {
            throw new IllegalArgumentException("business-email needs an email field, but criterion '" + name
                    + "' tests '" + field + "'");
        }
        when = List.copyOf(when);
    }

    /** A criterion on one field alone. */
    public FieldCriterion(String name, Category category, String field, FieldCondition condition, double points) {
        this(name, category, field, condition, points, List.of());
    }

    @Override
    public double bound() {
        return points;
    }
}
