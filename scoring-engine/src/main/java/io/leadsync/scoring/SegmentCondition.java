package io.leadsync.scoring;

import io.leadsync.connector.Person;
import io.leadsync.scoring.internal.FieldValues;

import java.util.Objects;

/**
 * One condition of a segment's {@code when}: a field of the person and what its value must satisfy, as a field
 * criterion tests it ({@code {field: persona, in: [developer, engineer]}}).
 *
 * @param field     a canonical field or an attribute name, as for {@link FieldCriterion#field()}
 * @param condition what the value must satisfy
 */
public record SegmentCondition(String field, FieldCondition condition) {
    public SegmentCondition {
        Objects.requireNonNull(field, "field");
        if (field.isBlank()) {
            throw new IllegalArgumentException("a segment condition needs a field name");
        }
        Objects.requireNonNull(condition, "condition");
    }

    /** Whether the person's value of the field satisfies the condition. */
    public boolean test(Person person) {
        return condition.test(FieldValues.of(person, field));
    }
}
