package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Profiles grow on evidence against all their records, and no further than their size bound: a chain of weak links
 * cannot pull a stranger in, nor grow one profile without end.
 */
class ClusterIntegrityTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final InMemoryIdentityStore store = new InMemoryIdentityStore();

    private static Person.Builder person(String source, String id) {
        return Person.builder(new ExternalId(source, id), NOW);
    }

    private static IdentityResolver resolver(int maxProfileRecords) {
        IdentitySettings defaults = IdentitySettings.defaults();
        return new IdentitySettings(Optional.of(new MatchSettings(0.9, 0.3, maxProfileRecords, 10, false)),
                defaults.phoneRegion(), defaults.emailRules(), defaults.survivorship(), null).resolver();
    }

    @Test
    void aProfileAtItsSizeBoundTakesNoMoreRecordsAndQueuesThemForReview() {
        IdentityResolver resolver = resolver(3);
        List<LinkDecision> decisions = resolver.resolve(List.of(
                person("hubspot-main", "1").firstName("Ana").lastName("Silva").email("ana.silva@acme.com").build(),
                person("hubspot-main", "2").firstName("Ana").lastName("Silva").email("ana.silva@acme.com").build(),
                person("hubspot-main", "3").firstName("Ana").lastName("Silva").email("ana.silva@acme.com").build(),
                person("hubspot-main", "4").firstName("Ana").lastName("Silva").email("ana.silva@acme.com").build(),
                person("salesforce-main", "5").firstName("Ana").lastName("Silva").phone("+49 30 1234567")
                        .company("Acme").build()), store);
        String profile = decisions.get(0).profileId();
        assertThat(decisions.subList(0, 3)).extracting(LinkDecision::profileId).containsOnly(profile);

        LinkDecision fourth = decisions.get(3);
        assertThat(fourth.profileId()).isNotEqualTo(profile);
        assertThat(fourth.reason()).contains("holds 3 records, the most a profile takes automatically");
        assertThat(fourth.reviews()).singleElement().satisfies(review -> {
            assertThat(review.kind()).isEqualTo(IdentityReview.Kind.LARGE_PROFILE);
            assertThat(review.candidateId()).isEqualTo(profile);
        });
        assertThat(store.reviews).extracting(IdentityReview::kind).contains(IdentityReview.Kind.LARGE_PROFILE);
    }

    @Test
    void aChainOfNearDuplicatesStopsAtTheBoundOnProbableMatchesToo() {
        IdentityResolver resolver = resolver(4);
        String profile = null;
        for (int i = 0; i < 8; i++) {
            LinkDecision decision = resolver.resolve(List.of(person("crm", "r" + i).firstName("Wojciech")
                    .lastName("Przybylski").company("Nordwind GmbH").phone("+49 30 123456" + i % 2)
                    .country("Germany").build()), store).get(0);
            profile = profile == null ? decision.profileId() : profile;
        }
        String first = profile;
        long inFirst = java.util.stream.IntStream.range(0, 8)
                .filter(i -> store.profileOf(new ExternalId("crm", "r" + i)).orElseThrow().equals(first)).count();
        assertThat(inFirst).isEqualTo(4);
        assertThat(store.reviews).extracting(IdentityReview::kind).contains(IdentityReview.Kind.LARGE_PROFILE);
    }

    @Test
    void aValueSharedWithOneRecordOfAProfileDoesNotPullInSomeoneTheOthersContradict() {
        IdentityResolver resolver = resolver(25);
        IdentityRecord john = resolver.record(person("crm", "john").firstName("John").lastName("Smith")
                .dateOfBirth("1961-03-14").city("London").phone("+44 20 7946 0000").build()).withProfile("P-john");
        IdentityRecord initial = resolver.record(person("mixpanel", "d1").firstName("J").lastName("Smith")
                .email("j.smith@example.org").city("London").build()).withProfile("P-john");
        store.save(List.of(john, initial), MatchSettings.defaults().candidatesPerKey());

        LinkDecision jane = resolver.resolve(List.of(person("crm", "jane").firstName("Jane").lastName("Smith")
                .dateOfBirth("1994-11-02").city("Leeds").phone("+44 113 496 0123").email("j.smith@example.org")
                .build()), store).get(0);

        assertThat(jane.profileId()).as("the address she shares with 'J. Smith' is no link to John")
                .isNotEqualTo("P-john");
    }
}
