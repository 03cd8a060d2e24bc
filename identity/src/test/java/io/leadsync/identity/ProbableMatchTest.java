package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Records no deterministic link joins: probable matches join, possible ones are kept for review. */
class ProbableMatchTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final IdentityResolver resolver = new IdentityResolver(
            new PersonMatcher(PersonMatcher.Settings.defaults(), "US"));
    /** A store in memory: profile → persons, key → profiles. */
    private final Map<String, List<Person>> profiles = new HashMap<>();
    private final Map<String, Set<String>> keys = new HashMap<>();
    private final IdentityResolver.Links links = new IdentityResolver.Links() {
        @Override
        public Optional<String> profileOf(ExternalId person) {
            return profiles.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(p -> p.id().equals(person)))
                    .map(Map.Entry::getKey).findFirst();
        }

        @Override
        public List<String> profilesWithEmail(String normalizedEmail) {
            return List.of();
        }

        @Override
        public List<String> profilesWithKeys(Set<String> wanted) {
            Set<String> found = new LinkedHashSet<>();
            wanted.forEach(key -> found.addAll(keys.getOrDefault(key, Set.of())));
            return new ArrayList<>(found);
        }

        @Override
        public List<Person> personsOf(String profileId) {
            return profiles.getOrDefault(profileId, List.of());
        }
    };

    private void store(String profileId, Person person) {
        profiles.computeIfAbsent(profileId, id -> new ArrayList<>()).add(person);
        resolver.blockingKeys(person).forEach(key -> keys.computeIfAbsent(key, k -> new LinkedHashSet<>())
                .add(profileId));
    }

    private static Person.Builder person(String source, String id) {
        return Person.builder(new ExternalId(source, id), NOW);
    }

    @Test
    void aNicknameWithAnotherEmailJoinsTheProfileWhenCompanyAndPhoneAgree() {
        store("P1", person("hubspot-main", "1").firstName("William").lastName("Turner").email("w.turner@acme.com")
                .company("Acme Inc.").phone("+1 415 555 2671").country("United States").build());

        LinkDecision decision = resolver.resolve(person("salesforce-main", "00Q1").firstName("Bill")
                .lastName("Turner").email("bill.turner@gmail.com").company("ACME").phone("(415) 555-2671")
                .country("US").build(), "bill.turner@gmail.com", links);

        assertThat(decision.profileId()).isEqualTo("P1");
        assertThat(decision.newProfile()).isFalse();
        assertThat(decision.reason()).startsWith("probable match p=").contains("first name, last name, company")
                .contains("phone");
    }

    @Test
    void theSameCommonNameAtAnotherCompanyIsAnotherPerson() {
        store("P1", person("hubspot-main", "1").firstName("James").lastName("Smith").company("Acme")
                .domain("acme.com").country("US").build());

        LinkDecision decision = resolver.resolve(person("hubspot-main", "2").firstName("James").lastName("Smith")
                .company("Globex").domain("globex.com").country("US").build(), null, links);

        assertThat(decision.newProfile()).isTrue();
        assertThat(decision.possibleMatches()).isEmpty();
    }

    @Test
    void anUncertainPairIsKeptForReviewAndNotMerged() {
        store("P1", person("hubspot-main", "1").firstName("Maria").lastName("Rossi").company("Acme")
                .phone("+39 06 1234 5678").country("Italy").build());

        LinkDecision decision = resolver.resolve(person("hubspot-main", "2").firstName("Maria").lastName("Rossi")
                .company("Acme").phone("+1 415 555 2671").country("US").build(), null, links);

        assertThat(decision.newProfile()).isTrue();
        assertThat(decision.possibleMatches()).singleElement().satisfies(match -> {
            assertThat(match.profileId()).isEqualTo("P1");
            assertThat(match.probability()).isBetween(0.3, 0.9);
            assertThat(match.evidence()).isEqualTo("first name, last name, company agree; phone, country differ");
        });
    }

    @Test
    void blockingKeysUseNormalizedValues() {
        assertThat(resolver.blockingKeys(person("x", "1").firstName("Bill").lastName("O'Neil").company("Acme GmbH")
                .phone("+49 30 1234567").build()))
                .containsExactly("n:o neil|w", "p:+49301234567", "c:acme|o n");
        assertThat(new IdentityResolver().blockingKeys(person("x", "1").lastName("Turner").build())).isEmpty();
    }
}
