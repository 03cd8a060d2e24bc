package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Deterministic links: stored ids, personal mailboxes; never a role inbox or a shared household address. */
class IdentityResolverTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final IdentityResolver resolver = IdentitySettings.defaults().resolver();
    private final InMemoryIdentityStore store = new InMemoryIdentityStore();

    private static Person.Builder person(String source, String id) {
        return Person.builder(new ExternalId(source, id), NOW);
    }

    private LinkDecision resolve(Person person) {
        return resolver.resolve(List.of(person), store).get(0);
    }

    @Test
    void foundsANewProfileWithAStableIdDerivedFromTheRecord() {
        LinkDecision first = resolve(person("hubspot-main", "101").email("zoe@acme.de").build());

        assertThat(first.newProfile()).isTrue();
        assertThat(first.kind()).isEqualTo(LinkDecision.Kind.NEW_PROFILE);
        assertThat(first.profileId()).isEqualTo(ProfileIds.foundedBy(new ExternalId("hubspot-main", "101")))
                .matches("P[0-9a-f]{20}");
    }

    @Test
    void joinsTheProfileHoldingTheSamePersonalMailbox() {
        LinkDecision first = resolve(person("hubspot-main", "101").firstName("Zoë").lastName("Müller")
                .email("Zoe.Mueller@acme.de").build());
        LinkDecision second = resolve(person("salesforce-main", "00Q1").firstName("Zoe").email(" zoe.mueller@ACME.de ")
                .build());

        assertThat(second.profileId()).isEqualTo(first.profileId());
        assertThat(second.kind()).isEqualTo(LinkDecision.Kind.SAME_EMAIL);
        assertThat(second.reason()).isEqualTo("same email");
    }

    @Test
    void gmailDotsAndTagsAreOneMailboxByDefault() {
        LinkDecision first = resolve(person("hubspot-main", "1").email("jo.doe@gmail.com").build());
        LinkDecision second = resolve(person("mixpanel", "d1").email("JoDoe+newsletter@googlemail.com").build());

        assertThat(second.profileId()).isEqualTo(first.profileId());
    }

    @Test
    void aRoleInboxIsNeverALink() {
        LinkDecision anna = resolve(person("salesforce-main", "00Q1").firstName("Anna").lastName("Berg")
                .email("sales@acme.com").company("Acme").build());
        LinkDecision tom = resolve(person("salesforce-main", "00Q2").firstName("Tom").lastName("Vries")
                .email("sales@acme.com").company("Acme").build());
        LinkDecision nameless = resolve(person("mixpanel", "d7").email("Sales@Acme.com").build());

        assertThat(tom.profileId()).isNotEqualTo(anna.profileId());
        assertThat(nameless.profileId()).isNotIn(anna.profileId(), tom.profileId());
        assertThat(nameless.newProfile()).isTrue();
    }

    @Test
    void aHouseholdMailboxSharedByTwoFirstNamesLinksNeitherToTheOther() {
        LinkDecision john = resolve(person("hubspot-main", "1").firstName("John").lastName("Okafor")
                .email("theokafors@gmail.com").build());
        LinkDecision mary = resolve(person("hubspot-main", "2").firstName("Mary").lastName("Okafor")
                .email("theokafors@gmail.com").build());
        LinkDecision analytics = resolve(person("mixpanel", "d1").email("theokafors@gmail.com").build());

        assertThat(mary.profileId()).isNotEqualTo(john.profileId());
        assertThat(analytics.kind()).as("the address says which household, not which person")
                .isNotEqualTo(LinkDecision.Kind.SAME_EMAIL);
    }

    @Test
    void linksARecordToTheRecordWhoseIdItStoresAndTheOtherWayRound() {
        ExternalId lead = new ExternalId("salesforce-main", "00Q5e00000AbCdEAAV");
        LinkDecision salesforce = resolve(Person.builder(lead, NOW).firstName("Zoe").email("zoe@acme.de").build());
        LinkDecision hubspot = resolve(person("hubspot-main", "101").email("other@example.org")
                .linkedIds(Set.of(lead)).build());
        assertThat(hubspot.profileId()).isEqualTo(salesforce.profileId());
        assertThat(hubspot.kind()).isEqualTo(LinkDecision.Kind.STORED_ID);
        assertThat(hubspot.reason()).contains("salesforce-main:00Q5e00000AbCdEAAV");

        ExternalId later = new ExternalId("salesforce-main", "003LATER");
        LinkDecision storing = resolve(person("hubspot-main", "102").email("x@example.org").linkedIds(Set.of(later))
                .build());
        LinkDecision stored = resolve(Person.builder(later, NOW).email("y@example.org").build());
        assertThat(stored.profileId()).as("the record arriving after the one that stores its id")
                .isEqualTo(storing.profileId());
    }

    @Test
    void keepsARecordInItsProfileEvenWhenItsEmailNowMatchesAnother() {
        LinkDecision mine = resolve(person("hubspot-main", "101").email("zoe@acme.de").build());
        resolve(person("hubspot-main", "102").email("other@acme.de").build());

        LinkDecision again = resolve(person("hubspot-main", "101").email("other@acme.de").build());

        assertThat(again.profileId()).isEqualTo(mine.profileId());
        assertThat(again.kind()).isEqualTo(LinkDecision.Kind.ALREADY_LINKED);
        assertThat(again.changed()).isFalse();
        assertThat(store.profileOf(new ExternalId("hubspot-main", "101"))).contains(mine.profileId());
    }

    @Test
    void recordsOfOnePageFindEachOther() {
        List<LinkDecision> decisions = resolver.resolve(List.of(
                person("hubspot-main", "1").firstName("Ana").lastName("Silva").email("ana@acme.com").build(),
                person("salesforce-main", "00Q1").firstName("Ana").lastName("Silva").email("ANA@acme.com").build()),
                store);

        assertThat(decisions.get(1).profileId()).isEqualTo(decisions.get(0).profileId());
    }

    @Test
    void neverLinksRecordsAPersonKeptApart() {
        LinkDecision ana = resolve(person("hubspot-main", "1").firstName("Ana").lastName("Silva")
                .email("ana@acme.com").build());
        store.keepApart(new ExternalId("hubspot-main", "1"), new ExternalId("salesforce-main", "00Q1"));

        LinkDecision other = resolve(person("salesforce-main", "00Q1").firstName("Ana").lastName("Silva")
                .email("ana@acme.com").build());

        assertThat(other.profileId()).isNotEqualTo(ana.profileId());
    }

    @Test
    void aReasonNamesAtMostThreeMergedProfilesAndCountsTheRest() {
        org.assertj.core.api.Assertions.assertThat(IdentityResolver.listed(List.of("P1", "P2", "P3")))
                .isEqualTo("P1, P2, P3");
        org.assertj.core.api.Assertions.assertThat(IdentityResolver.listed(List.of("P1", "P2", "P3", "P4", "P5")))
                .isEqualTo("P1, P2, P3 and 2 more");
    }
}
