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
 * Builds a profile's golden record from its source persons, field by field, by {@link SurvivorshipRules}: the most
 * recent non-empty value (the default), the value of the most trusted source, or the most complete value. Ties are
 * broken by recency, then record id, so the result is stable. The golden record keeps the id of the most recently
 * updated record and lists every contributing id in {@code linkedIds}; {@link #build} also tells which record each
 * field's value came from.
 */
public final class Survivorship {
    private static final String[] FIELDS = {"email", "first-name", "last-name", "title", "company", "domain",
            "country", "phone", "owner-id", "address", "city", "postal-code", "date-of-birth"};

    /**
     * A golden record and where its values came from.
     *
     * @param person  the golden record
     * @param sources per field (canonical names and attribute names), the record its value came from
     */
    public record Golden(Person person, Map<String, ExternalId> sources) {
    }

    private Survivorship() {
    }

    /** The golden record by the default rule: the most recent non-empty value of each field. */
    public static Person golden(List<Person> persons) {
        return golden(persons, SurvivorshipRules.mostRecent());
    }

    /** The golden record by the given rules. */
    public static Person golden(List<Person> persons, SurvivorshipRules rules) {
        return build(persons, rules).person();
    }

    /** The golden record by the given rules, with the source of each value. */
    public static Golden build(List<Person> persons, SurvivorshipRules rules) {
        if (persons.isEmpty()) {
            throw new IllegalArgumentException("a golden record needs at least one person");
        }
        List<Person> newestFirst = new ArrayList<>(persons);
        newestFirst.sort(Comparator.comparing(Person::updatedAt).reversed().thenComparing(Person::id));
        Person newest = newestFirst.get(0);
        Set<ExternalId> ids = new LinkedHashSet<>();
        Set<String> attributeNames = new LinkedHashSet<>();
        for (Person person : newestFirst) {
            ids.add(person.id());
            ids.addAll(person.linkedIds());
            attributeNames.addAll(person.attributes().keySet());
        }
        ids.remove(newest.id());
        Map<String, ExternalId> sources = new LinkedHashMap<>();
        String[] values = new String[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            String field = FIELDS[i];
            values[i] = choose(newestFirst, rules.ruleFor(field), rules, person -> person.field(field), field,
                    sources);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String name : attributeNames) {
            String value = choose(newestFirst, rules.ruleFor(name), rules, person -> person.attributes().get(name),
                    name, sources);
            if (value != null) {
                attributes.put(name, value);
            }
        }
        Person golden = Person.builder(newest.id(), newest.updatedAt())
                .email(values[0]).firstName(values[1]).lastName(values[2]).title(values[3]).company(values[4])
                .domain(values[5]).country(values[6]).phone(values[7]).ownerId(values[8]).address(values[9])
                .city(values[10]).postalCode(values[11]).dateOfBirth(values[12])
                .linkedIds(ids)
                .attributes(attributes)
                .build();
        return new Golden(golden, sources);
    }

    private static String choose(List<Person> newestFirst, SurvivorshipRules.Rule rule, SurvivorshipRules rules,
                                 Function<Person, String> field, String name, Map<String, ExternalId> sources) {
        Person chosen = null;
        String value = null;
        for (Person person : newestFirst) {
            String candidate = field.apply(person);
            if (candidate == null || candidate.isBlank()) {
                continue;
            }
            if (chosen == null || better(rule, rules, person, candidate, chosen, value)) {
                chosen = person;
                value = candidate;
            }
            if (rule == SurvivorshipRules.Rule.MOST_RECENT) {
                break;
            }
        }
        if (chosen != null) {
            sources.put(name, chosen.id());
        }
        return value;
    }

    /** Whether a candidate (older than the chosen one) beats it. */
    private static boolean better(SurvivorshipRules.Rule rule, SurvivorshipRules rules, Person person,
                                  String candidate, Person chosen, String value) {
        return switch (rule) {
            case MOST_RECENT -> false;
            case MOST_COMPLETE -> candidate.strip().length() > value.strip().length();
            case SOURCE_PRIORITY -> rank(rules, person) < rank(rules, chosen);
        };
    }

    private static int rank(SurvivorshipRules rules, Person person) {
        int rank = rules.sourcePriority().indexOf(person.id().source());
        return rank < 0 ? Integer.MAX_VALUE : rank;
    }
}
