package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds a profile's golden record from its source persons: for each field the most recently updated non-empty
 * value (ties broken by record id, so the result is stable). The golden record keeps the id of the most recently
 * updated record and lists every contributing id in {@code linkedIds}.
 *
 * <p>Per-field rules (source priority, most complete) come with the identity resolution issue.
 */
public final class Survivorship {
    private Survivorship() {
    }

    public static Person golden(List<Person> persons) {
        if (persons.isEmpty()) {
            throw new IllegalArgumentException("a golden record needs at least one person");
        }
        List<Person> newestFirst = new ArrayList<>(persons);
        newestFirst.sort(Comparator.comparing(Person::updatedAt).reversed().thenComparing(Person::id));
        Person newest = newestFirst.get(0);
        Set<ExternalId> ids = new LinkedHashSet<>();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Person person : newestFirst) {
            ids.add(person.id());
            ids.addAll(person.linkedIds());
            person.attributes().forEach(attributes::putIfAbsent);
        }
        ids.remove(newest.id());
        return Person.builder(newest.id(), newest.updatedAt())
                .email(first(newestFirst, Person::email))
                .firstName(first(newestFirst, Person::firstName))
                .lastName(first(newestFirst, Person::lastName))
                .title(first(newestFirst, Person::title))
                .company(first(newestFirst, Person::company))
                .domain(first(newestFirst, Person::domain))
                .country(first(newestFirst, Person::country))
                .phone(first(newestFirst, Person::phone))
                .ownerId(first(newestFirst, Person::ownerId))
                .linkedIds(ids)
                .attributes(attributes)
                .build();
    }

    private static String first(List<Person> persons, Function<Person, String> field) {
        for (Person person : persons) {
            String value = field.apply(person);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
