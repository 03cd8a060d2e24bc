package io.leadsync.app.api;

import io.leadsync.app.LeadsyncConfig;
import io.leadsync.connector.Activity;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.PersonRef;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which people converted, for the shadow report: won or lost opportunities first, then the person field. */
class ShadowOutcomeTest {
    private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");
    private static final ExternalId CONTACT = new ExternalId("salesforce-main", "0035g00000AbCdEAAV");
    private static final LeadsyncConfig.Scoring SCORING = new LeadsyncConfig.Scoring(Path.of("m.yml"), Path.of("."), null,
            Duration.ZERO, "lifecyclestage", List.of("customer"), List.of("opportunity_won"),
            List.of("opportunity_lost"));

    private static Person person(String stage) {
        return Person.builder(CONTACT, T).attributes(stage == null ? Map.of() : Map.of("lifecyclestage", stage))
                .build();
    }

    private static Activity deal(String type) {
        return new Activity(new ExternalId("salesforce-main", "0065g00000" + type.length() + "AbCdAAA"), type, T,
                PersonRef.of(CONTACT), Map.of());
    }

    @Test
    void aWonOpportunityMeansConvertedWhateverTheField() {
        assertThat(ModelsController.outcome(person("lead"), List.of(deal("opportunity_lost"),
                deal("opportunity_won")), SCORING)).contains(true);
    }

    @Test
    void onlyLostOpportunitiesMeanNotConverted() {
        assertThat(ModelsController.outcome(person("customer"), List.of(deal("opportunity_lost")), SCORING))
                .contains(false);
    }

    @Test
    void withoutOpportunitiesTheFieldDecidesAndNoValueIsUnknown() {
        assertThat(ModelsController.outcome(person("customer"), List.of(), SCORING)).contains(true);
        assertThat(ModelsController.outcome(person("lead"), List.of(), SCORING)).contains(false);
        assertThat(ModelsController.outcome(person(null), List.of(), SCORING)).isEqualTo(Optional.empty());
    }
}
