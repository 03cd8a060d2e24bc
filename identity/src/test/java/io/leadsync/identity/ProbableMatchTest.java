package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records no deterministic link joins, with the built-in weights on a small store: the failure kinds of real CRM
 * exports, each way round (what must join, and what must stay apart).
 */
class ProbableMatchTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final IdentityResolver resolver = IdentitySettings.defaults().resolver();
    private final InMemoryIdentityStore store = new InMemoryIdentityStore();

    private static Person.Builder person(String source, String id) {
        return Person.builder(new ExternalId(source, id), NOW);
    }

    private LinkDecision resolve(Person.Builder person) {
        return resolver.resolve(List.of(person.build()), store).get(0);
    }

    /** A few unrelated people, so that the store is not empty and the prior is not trivial. */
    private void strangers() {
        String[][] people = {{"Paul", "Rogers", "paul.rogers@sterling.de"}, {"Emma", "Morales", "emma@greenleaf.in"},
            {"Leon", "Smith", "lsmith@brightpath.ca"}, {"Donald", "Baker", "donald.baker94@web.de"},
            {"Carol", "Ross", "carol.ross@gmail.com"}, {"Jeremy", "Thomas", "jeremy_thomas@westwind.com"}};
        for (int i = 0; i < people.length; i++) {
            resolve(person("crm", "s" + i).firstName(people[i][0]).lastName(people[i][1]).email(people[i][2]));
        }
    }

    @Test
    void aNicknameWithAPersonalEmailJoinsTheWorkRecordWhenCompanyAndPhoneAgree() {
        strangers();
        LinkDecision work = resolve(person("hubspot-main", "1").firstName("William").lastName("Turner")
                .email("w.turner@acme.com").company("Acme Inc.").phone("+1 415 555 2671").country("United States"));

        LinkDecision personal = resolve(person("salesforce-main", "00Q1").firstName("Bill").lastName("Turner")
                .email("bill.turner@gmail.com").company("ACME").phone("(415) 555-2671").country("US"));

        assertThat(personal.profileId()).isEqualTo(work.profileId());
        assertThat(personal.kind()).isEqualTo(LinkDecision.Kind.PROBABLE_MATCH);
        assertThat(personal.reason()).startsWith("probable match p=").contains("first name (nickname or close)")
                .contains("last name").contains("phone").contains("email differ");
    }

    @Test
    void colleaguesSharingTheSwitchboardStayApart() {
        strangers();
        LinkDecision anna = resolve(person("salesforce-main", "00Q1").firstName("Anna").lastName("Berg")
                .email("aberg@acme.com").company("Acme").phone("+1 415 555 0100"));
        LinkDecision tom = resolve(person("salesforce-main", "00Q2").firstName("Tom").lastName("Vries")
                .company("Acme").phone("+1 (415) 555-0100"));
        LinkDecision ines = resolve(person("hubspot-main", "9").firstName("Ines").lastName("Kahn")
                .email("ikahn@acme.com").phone("415.555.0100"));

        assertThat(tom.profileId()).isNotEqualTo(anna.profileId());
        assertThat(ines.profileId()).isNotIn(anna.profileId(), tom.profileId());
    }

    @Test
    void relativesWithOneSurnameAtOneCompanyStayApart() {
        strangers();
        LinkDecision mary = resolve(person("hubspot-main", "1").firstName("Mary").lastName("Kowalczyk")
                .email("mkowalczyk@nordwind.de").company("Nordwind GmbH").phone("+49 30 1234567"));
        LinkDecision piotr = resolve(person("hubspot-main", "2").firstName("Piotr").lastName("Kowalczyk")
                .email("pkowalczyk@nordwind.de").company("Nordwind").phone("+49 30 1234567"));

        assertThat(piotr.profileId()).isNotEqualTo(mary.profileId());
    }

    @Test
    void theSameCommonNameAtAnotherCompanyIsAnotherPerson() {
        strangers();
        LinkDecision acme = resolve(person("hubspot-main", "1").firstName("James").lastName("Smith").company("Acme")
                .domain("acme.com").country("US").phone("+1 415 555 0188"));
        LinkDecision globex = resolve(person("hubspot-main", "2").firstName("James").lastName("Smith")
                .company("Globex").domain("globex.com").country("GB").phone("+44 20 7946 0958"));

        assertThat(globex.profileId()).isNotEqualTo(acme.profileId());
        assertThat(globex.reviews()).isEmpty();
    }

    @Test
    void aNamelessAnalyticsProfileIsFoundByTheNameInItsAddress() {
        strangers();
        LinkDecision crm = resolve(person("salesforce-main", "00Q1").firstName("Jennifer").lastName("Brownlow")
                .email("jbrownlow@acme.com").company("Acme"));

        LinkDecision analytics = resolve(person("mixpanel", "d1").email("jen.brownlow@acme.com"));

        assertThat(analytics.profileId()).isEqualTo(crm.profileId());
        assertThat(analytics.kind()).isEqualTo(LinkDecision.Kind.PROBABLE_MATCH);
    }

    @Test
    void aFullNameTypedIntoTheFirstNameFieldIsTheSamePerson() {
        strangers();
        LinkDecision crm = resolve(person("salesforce-main", "00Q1").firstName("Priya").lastName("Raghunathan")
                .company("Vertex Labs").phone("+44 20 7946 0018"));
        LinkDecision form = resolve(person("hubspot-main", "7").firstName("Priya Raghunathan")
                .company("Vertex Labs Ltd").phone("020 7946 0018 "));

        assertThat(form.profileId()).isEqualTo(crm.profileId());
    }

    @Test
    void aOneLetterTypoInTheEmailIsTheSamePerson() {
        strangers();
        LinkDecision anne = resolve(person("hubspot-main", "1").firstName("Anne").lastName("Leclerc")
                .email("anne.leclerc@prism.fr").company("Prism"));
        LinkDecision typo = resolve(person("salesforce-main", "00Q1").firstName("Anne").lastName("Leclerc")
                .email("anne.lecelrc@prism.fr"));

        assertThat(typo.profileId()).isEqualTo(anne.profileId());
        assertThat(typo.reason()).contains("email (one edit)");
    }

    @Test
    void numberedTestRecordsAreNotOnePerson() {
        strangers();
        LinkDecision one = resolve(person("crm", "001").firstName("First001").lastName("Last001")
                .email("person1@acme.de"));
        LinkDecision two = resolve(person("crm", "002").firstName("First002").lastName("Last002")
                .email("person2@acme.de"));

        assertThat(two.profileId()).isNotEqualTo(one.profileId());
    }

    @Test
    void anUncertainPairIsKeptForReviewAndNotMerged() {
        strangers();
        LinkDecision acme = resolve(person("hubspot-main", "1").firstName("James").lastName("Smith").company("Acme")
                .domain("acme.com").country("US"));

        LinkDecision other = resolve(person("hubspot-main", "2").firstName("James").lastName("Smith")
                .company("Globex").domain("globex.com").country("US"));

        assertThat(other.newProfile()).isTrue();
        assertThat(other.reviews()).singleElement().satisfies(review -> {
            assertThat(review.candidateId()).isEqualTo(acme.profileId());
            assertThat(review.kind()).isEqualTo(IdentityReview.Kind.POSSIBLE_MATCH);
            assertThat(review.probability()).isBetween(0.3, 0.9);
            assertThat(review.evidence()).isEqualTo("first name, last name, country agree; company differ");
        });
        assertThat(store.reviews).hasSize(1);
    }

    @Test
    void aRecordThatMatchesTwoProfilesOfOnePersonMergesThem() {
        strangers();
        LinkDecision byEmail = resolve(person("mixpanel", "d1").firstName("Olumide").lastName("Adeyemi")
                .email("olumide.adeyemi@gmail.com"));
        LinkDecision byPhone = resolve(person("salesforce-main", "00Q1").firstName("O.").lastName("Adeyemi")
                .phone("+234 803 123 4567").company("Zenith Bank"));
        assertThat(byPhone.profileId()).isNotEqualTo(byEmail.profileId());

        LinkDecision both = resolve(person("hubspot-main", "5").firstName("Olumide").lastName("Adeyemi")
                .email("olumide.adeyemi@gmail.com").phone("+234 803 123 4567").company("Zenith Bank"));

        assertThat(both.kind()).isEqualTo(LinkDecision.Kind.SAME_EMAIL);
        assertThat(both.merged()).containsExactly(byPhone.profileId());
        assertThat(store.profileOf(new ExternalId("mixpanel", "d1")))
                .isEqualTo(store.profileOf(new ExternalId("salesforce-main", "00Q1")));
    }
}
