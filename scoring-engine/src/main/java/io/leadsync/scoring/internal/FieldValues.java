package io.leadsync.scoring.internal;

import io.leadsync.connector.Person;

import java.util.Map;
import java.util.Set;

/** Reads the field a criterion names from a person. */
public final class FieldValues {
    private static final Set<String> CANONICAL = Set.of("email", "first-name", "firstName", "last-name", "lastName",
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
            for (Map.Entry<String, String> attribute : person.attributes().entrySet()) {
                if (attribute.getKey().equalsIgnoreCase(field)) {
                    value = attribute.getValue();
                    break;
                }
            }
        }
        return value == null || value.isBlank() ? null : value.strip();
    }
}
