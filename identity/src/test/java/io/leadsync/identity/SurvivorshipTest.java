package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SurvivorshipTest {
    private static final Instant OLD = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NEW = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void takesTheMostRecentNonEmptyValueOfEachField() {
        Person crmLead = Person.builder(new ExternalId("salesforce-main", "00Q1"), OLD)
                .email("zoe@acme.de").title("Engineer").company("Acme").phone("+49301234567")
                .attributes(Map.of("industry", "COMPUTER_SOFTWARE", "numberofemployees", "200")).build();
        Person hubSpotContact = Person.builder(new ExternalId("hubspot-main", "101"), NEW)
                .email("zoe@acme.de").title("VP Engineering").attributes(Map.of("numberofemployees", "250")).build();

        Person golden = Survivorship.golden(List.of(crmLead, hubSpotContact));

        assertThat(golden.id()).isEqualTo(hubSpotContact.id());
        assertThat(golden.title()).isEqualTo("VP Engineering");
        assertThat(golden.company()).as("only the older record knows it").isEqualTo("Acme");
        assertThat(golden.phone()).isEqualTo("+49301234567");
        assertThat(golden.attributes()).containsEntry("numberofemployees", "250")
                .containsEntry("industry", "COMPUTER_SOFTWARE");
        assertThat(golden.linkedIds()).containsExactly(crmLead.id());
    }

    @Test
    void isStableWhateverTheOrderOfItsInputs() {
        Person a = Person.builder(new ExternalId("hubspot-main", "1"), NEW).title("CTO").build();
        Person b = Person.builder(new ExternalId("hubspot-main", "2"), NEW).title("CEO").build();
        assertThat(Survivorship.golden(List.of(a, b))).isEqualTo(Survivorship.golden(List.of(b, a)));
    }

    @Test
    void needsAtLeastOnePerson() {
        assertThatThrownBy(() -> Survivorship.golden(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
