package io.leadsync.scoring.internal;

import io.leadsync.connector.Person;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the field a criterion names from a person. */
public final class FieldValues {
    /** The canonical field names as the model format documents them. */
    public static final List<String> CANONICAL_NAMES = List.of("email", "first-name", "last-name", "title",
            "company", "domain", "country", "phone", "owner-id");
    /** Every name {@link Person#field(String)} reads a canonical field by, the Java spellings included. */
    public static final Set<String> CANONICAL = Set.of("email", "first-name", "firstName", "last-name", "lastName",
            "title", "company", "domain", "country", "phone", "owner-id", "ownerId");

    private FieldValues() {
    }

    /**
     * The value of a canonical field, or of an attribute by its exact name or else its name ignoring case
     * (HubSpot writes {@code industry}, Salesforce {@code Industry}); null when absent or blank.
     */
    public static String of(Person person, String field) {
        String value = person.field(field);
        if (value == null && !CANONICAL.contains(field)) {
            value = attributeIgnoringCase(person, field);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** An attribute by its name ignoring case, or null. */
    public static String attributeIgnoringCase(Person person, String field) {
        for (Map.Entry<String, String> attribute : person.attributes().entrySet()) {
            if (attribute.getKey().equalsIgnoreCase(field)) {
                return attribute.getValue();
            }
        }
        return null;
    }
}
