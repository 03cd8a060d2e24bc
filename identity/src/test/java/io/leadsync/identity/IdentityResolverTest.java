package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityResolverTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final IdentityResolver resolver = new IdentityResolver();
    private final Map<ExternalId, String> linked = new HashMap<>();
    private final Map<String, List<String>> byEmail = new HashMap<>();
    private final IdentityResolver.Links links = new IdentityResolver.Links() {
        @Override
        public Optional<String> profileOf(ExternalId person) {
            return Optional.ofNullable(linked.get(person));
        }

        @Override
        public List<String> profilesWithEmail(String normalizedEmail) {
            return byEmail.getOrDefault(normalizedEmail, List.of());
        }
    };

    private static Person person(String source, String id, Set<ExternalId> linkedIds) {
        return Person.builder(new ExternalId(source, id), NOW).linkedIds(linkedIds).build();
    }

    @Test
    void foundsANewProfileWithAStableIdDerivedFromTheRecord() {
        LinkDecision first = resolver.resolve(person("hubspot-main", "101", Set.of()), "zoe@acme.de", links);
        LinkDecision again = resolver.resolve(person("hubspot-main", "101", Set.of()), "zoe@acme.de", links);

        assertThat(first.newProfile()).isTrue();
        assertThat(first.profileId()).isEqualTo(again.profileId()).matches("P[0-9a-f]{20}");
        assertThat(resolver.resolve(person("hubspot-main", "102", Set.of()), null, links).profileId())
                .isNotEqualTo(first.profileId());
    }

    @Test
    void joinsTheOldestProfileWithTheSameEmail() {
        byEmail.put("zoe@acme.de", List.of("P-old", "P-new"));
        LinkDecision decision = resolver.resolve(person("salesforce-main", "00Q1", Set.of()), "zoe@acme.de", links);
        assertThat(decision).isEqualTo(new LinkDecision("P-old", false, true, "same email"));
    }

    @Test
    void prefersAnIdStoredForAnotherSystemOverTheEmail() {
        ExternalId salesforceLead = new ExternalId("salesforce-main", "00Q5e00000AbCdEAAV");
        linked.put(salesforceLead, "P-sf");
        byEmail.put("zoe@acme.de", List.of("P-email"));
        LinkDecision decision = resolver.resolve(person("hubspot-main", "101", Set.of(salesforceLead)), "zoe@acme.de",
                links);
        assertThat(decision.profileId()).isEqualTo("P-sf");
        assertThat(decision.reason()).contains("salesforce-main:00Q5e00000AbCdEAAV");
    }

    @Test
    void keepsARecordInItsProfileEvenWhenItsEmailNowMatchesAnother() {
        linked.put(new ExternalId("hubspot-main", "101"), "P-mine");
        byEmail.put("other@acme.de", List.of("P-other"));
        LinkDecision decision = resolver.resolve(person("hubspot-main", "101", Set.of()), "other@acme.de", links);
        assertThat(decision).isEqualTo(new LinkDecision("P-mine", false, false, "already linked"));
    }
}
