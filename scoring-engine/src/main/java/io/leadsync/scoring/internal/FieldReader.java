package io.leadsync.scoring.internal;

import io.leadsync.connector.Person;

/**
 * Reads one named field from persons, resolved once: what {@link FieldValues#of} does, without looking the name up
 * for every person.
 */
public final class FieldReader {
    private static final int ATTRIBUTE = -1;

    private final String field;
    private final int canonical;

    public FieldReader(String field) {
        this.field = field;
        this.canonical = switch (field) {
            case "email" -> 0;
            case "first-name", "firstName" -> 1;
            case "last-name", "lastName" -> 2;
            case "title" -> 3;
            case "company" -> 4;
            case "domain" -> 5;
            case "country" -> 6;
            case "phone" -> 7;
            case "owner-id", "ownerId" -> 8;
            default -> ATTRIBUTE;
        };
    }

    /** The field's name as the model writes it. */
    public String field() {
        return field;
    }

    /** The person's value, stripped; null when absent or blank. */
    public String read(Person person) {
        String value = switch (canonical) {
            case 0 -> person.email();
            case 1 -> person.firstName();
            case 2 -> person.lastName();
            case 3 -> person.title();
            case 4 -> person.company();
            case 5 -> person.domain();
            case 6 -> person.country();
            case 7 -> person.phone();
            case 8 -> person.ownerId();
            default -> attribute(person);
        };
        return value == null || value.isBlank() ? null : value.strip();
    }

    private String attribute(Person person) {
        String value = person.attributes().get(field);
        return value != null ? value : FieldValues.attributeIgnoringCase(person, field);
    }
}
