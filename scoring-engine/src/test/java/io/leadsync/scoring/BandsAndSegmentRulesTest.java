package io.leadsync.scoring;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keys a learned points table is written with: bands ({@code at-least} with {@code below}) and {@code when}. */
class BandsAndSegmentRulesTest {
    private static final Instant AS_OF = Instant.parse("2025-06-02T09:00:00Z");
    private static final String MODEL = """
            name: table
            version: 1
            fit:
              - {name: Long visit, field: minutes, at-least: 20, below: 60, points: 10}
              - {name: Very long visit, field: minutes, at-least: 60, points: 30}
              - {name: Short visit from a referral, field: minutes, below: 20, when: [{field: source, equals: Referral}], points: 15}
              - {name: Meeting with a large company, activity: meeting, at-least: 1, within-days: 30, when: [{field: employees, at-least: 200}], points: 20}
            grades: {A: 50, D: 0}
            """;

    private static int score(ScoringModel model, Map<String, String> attributes) {
        Person person = Person.builder(new ExternalId("t", "1"), AS_OF).attributes(attributes).build();
        return new RuleScorer().score(person, List.of(), model, AS_OF).score();
    }

    @Test
    void aBandHoldsFromItsLowerBoundUpToButNotIncludingItsUpperOne() {
        ScoringModel model = ScoringModel.parse(MODEL, "table.yml");
        assertThat(score(model, Map.of("minutes", "19.5"))).isZero();
        assertThat(score(model, Map.of("minutes", "20"))).isEqualTo(10);
        assertThat(score(model, Map.of("minutes", "59.99"))).isEqualTo(10);
        assertThat(score(model, Map.of("minutes", "60"))).isEqualTo(30);
        assertThat(score(model, Map.of("minutes", "soon"))).isZero();
        assertThat(score(model, Map.of())).isZero();
    }

    @Test
    void aSegmentRuleFiresOnlyWhenItsConditionsHoldToo() {
        ScoringModel model = ScoringModel.parse(MODEL, "table.yml");
        assertThat(score(model, Map.of("minutes", "5", "source", "Referral"))).isEqualTo(15);
        assertThat(score(model, Map.of("minutes", "5", "source", "Google"))).isZero();
        assertThat(score(model, Map.of("minutes", "30", "source", "Referral"))).isEqualTo(10);
        Person large = Person.builder(new ExternalId("t", "2"), AS_OF).attributes(Map.of("employees", "500")).build();
        Person small = Person.builder(new ExternalId("t", "3"), AS_OF).attributes(Map.of("employees", "50")).build();
        var meeting = new io.leadsync.connector.Activity(new ExternalId("t", "m"), "meeting", AS_OF.minusSeconds(3600),
                io.leadsync.connector.PersonRef.of(large.id()), Map.of());
        assertThat(new RuleScorer().score(large, List.of(meeting), model, AS_OF).score()).isEqualTo(20);
        assertThat(new RuleScorer().score(small, List.of(meeting), model, AS_OF).score()).isZero();
    }

    @Test
    void writesBandsAndSegmentRulesThatReadBackEqual() {
        ScoringModel model = ScoringModel.parse(MODEL, "table.yml");
        String yaml = ModelWriter.toYaml(model, List.of());
        assertThat(yaml).contains("at-least: 20, below: 60").contains("when: [{field: \"source\", equals:");
        assertThat(ScoringModel.parse(yaml, "again.yml")).isEqualTo(model);
    }

    @Test
    void rejectsABandWhoseUpperBoundIsNotAboveItsLowerOneAtItsLine() {
        assertThatThrownBy(() -> ScoringModel.parse("""
                name: table
                version: 1
                fit:
                  - {name: Odd, field: minutes, at-least: 60, below: 20, points: 10}
                grades: {A: 10, D: 0}
                """, "table.yml")).hasMessageContaining("table.yml:4: below of criterion 'Odd' (20) must be above"
                + " its at-least (60)");
        assertThatThrownBy(() -> ScoringModel.parse("""
                name: table
                version: 1
                fit:
                  - {name: Odd, field: minutes, at-least: 6, below: 20, equals: x, points: 10}
                grades: {A: 10, D: 0}
                """, "table.yml")).hasMessageContaining("has 3 operators");
    }
}
