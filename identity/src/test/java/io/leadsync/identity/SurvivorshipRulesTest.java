package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SurvivorshipRulesTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private final Person salesforce = Person.builder(new ExternalId("salesforce-main", "00Q1"), T0)
            .firstName("Jonathan").lastName("Reyes").title("VP Sales").company("Acme Corporation")
            .phone("+14155552671").attributes(Map.of("industry", "Software")).build();
    private final Person hubspot = Person.builder(new ExternalId("hubspot-main", "51"), T0.plusSeconds(3600))
            .firstName("Jon").lastName("Reyes").title("Head of Sales").company("Acme").email("jon@acme.com")
            .attributes(Map.of("industry", "COMPUTER_SOFTWARE", "lifecyclestage", "lead")).build();

    @Test
    void byDefaultTheMostRecentNonEmptyValueSurvivesAndEveryValueNamesItsRecord() {
        Survivorship.Golden golden = Survivorship.build(List.of(salesforce, hubspot), SurvivorshipRules.mostRecent());

        assertThat(golden.person().firstName()).isEqualTo("Jon");
        assertThat(golden.person().phone()).as("only Salesforce has one").isEqualTo("+14155552671");
        assertThat(golden.person().id()).isEqualTo(hubspot.id());
        assertThat(golden.person().linkedIds()).containsExactly(salesforce.id());
        assertThat(golden.sources()).containsEntry("first-name", hubspot.id())
                .containsEntry("phone", salesforce.id()).containsEntry("industry", hubspot.id());
    }

    @Test
    void sourcePriorityPrefersTheTrustedSourceFieldByField() {
        SurvivorshipRules rules = new SurvivorshipRules(SurvivorshipRules.Rule.MOST_RECENT,
                Map.of("title", SurvivorshipRules.Rule.SOURCE_PRIORITY,
                        "industry", SurvivorshipRules.Rule.SOURCE_PRIORITY),
                List.of("salesforce-main", "hubspot-main"));

        Person golden = Survivorship.build(List.of(hubspot, salesforce), rules).person();

        assertThat(golden.title()).isEqualTo("VP Sales");
        assertThat(golden.attributes()).containsEntry("industry", "Software").containsEntry("lifecyclestage", "lead");
        assertThat(golden.firstName()).as("other fields keep the default rule").isEqualTo("Jon");
    }

    @Test
    void mostCompleteTakesTheLongestValue() {
        SurvivorshipRules rules = new SurvivorshipRules(SurvivorshipRules.Rule.MOST_COMPLETE, Map.of(), List.of());

        Person golden = Survivorship.build(List.of(hubspot, salesforce), rules).person();

        assertThat(golden.firstName()).isEqualTo("Jonathan");
        assertThat(golden.company()).isEqualTo("Acme Corporation");
        assertThat(golden.email()).isEqualTo("jon@acme.com");
    }

    @Test
    void rulesAreNamedInConfigAndSourcePriorityNeedsItsList() {
        assertThat(SurvivorshipRules.Rule.parse("Source-Priority")).isEqualTo(SurvivorshipRules.Rule.SOURCE_PRIORITY);
        assertThatThrownBy(() -> SurvivorshipRules.Rule.parse("newest"))
                .hasMessage("unknown survivorship rule 'newest'; expected most-recent, source-priority or"
                        + " most-complete");
        assertThatThrownBy(() -> new SurvivorshipRules(SurvivorshipRules.Rule.SOURCE_PRIORITY, Map.of(), List.of()))
                .hasMessageContaining("needs the list of sources");
    }
}
