package io.leadsync.scoring;

import io.leadsync.connector.Activity;
import io.leadsync.connector.ScoreResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.leadsync.scoring.TestData.AS_OF;
import static io.leadsync.scoring.TestData.activity;
import static io.leadsync.scoring.TestData.daysAgo;
import static io.leadsync.scoring.TestData.modelWith;
import static io.leadsync.scoring.TestData.nobody;
import static io.leadsync.scoring.TestData.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Segments (personas), count rules (frequency, inactivity), category caps, the field catalog, logistic models. */
class SegmentsAndRulesTest {
    private final RuleScorer scorer = new RuleScorer();

    private static final String PERSONAS = """
            name: personas
            version: 1
            fit:
              - name: Senior title
                field: title
                contains-any: [vp, director]
                points: 20
            segments:
              - name: developers
                when:
                  - {field: persona, in: [developer, engineer]}
                fit:
                  - name: Technical title
                    field: title
                    contains-any: [engineer, developer, architect]
                    points: 30
                engagement:
                  - name: API calls
                    activity: product_usage
                    points: 5
                    max: 40
            grades: {A: 60, B: 30, D: 0}
            """;

    @Test
    void scoresEachPersonWithTheFirstSegmentWhoseConditionsHoldElseTheTopLevelCriteria() {
        ScoringModel model = ScoringModel.parse(PERSONAS, "personas.yml");
        List<Activity> usage = List.of(activity("product_usage", daysAgo(1)), activity("product_usage", daysAgo(2)));

        ScoreResult developer = scorer.score(person().title("Staff Engineer").attributes(java.util.Map.of("persona", "Developer"))
                .build(), usage, model, AS_OF);
        ScoreResult marketer = scorer.score(person().title("VP Marketing").attributes(java.util.Map.of("persona", "marketer")).build(),
                usage, model, AS_OF);

        assertThat(developer.score()).isEqualTo(40);
        assertThat(developer.reasons()).extracting(reason -> reason.criterion())
                .containsExactly("Technical title", "API calls");
        assertThat(marketer.score()).isEqualTo(20);
        assertThat(marketer.reasons()).extracting(reason -> reason.criterion()).containsExactly("Senior title");
        assertThat(model.segmentFor(person().attributes(java.util.Map.of("persona", "developer")).build()).name())
                .isEqualTo("developers");
        assertThat(model.segmentFor(nobody()).isDefault()).isTrue();
    }

    @Test
    void aRepeatVisitWithinThreeDaysFiresOnceWhenTheCountIsReached() {
        ScoringModel model = modelWith("""
                engagement:
                  - name: Repeat pricing visit
                    activity: pricing_page_view
                    at-least: 2
                    within-days: 3
                    points: 15
                """);
        List<Activity> twiceRecently = List.of(activity("pricing_page_view", daysAgo(0.5)),
                activity("pricing_page_view", daysAgo(2.5)), activity("pricing_page_view", daysAgo(1.5)));
        List<Activity> spreadOut = List.of(activity("pricing_page_view", daysAgo(1)),
                activity("pricing_page_view", daysAgo(10)));

        ScoreResult repeat = scorer.score(nobody(), twiceRecently, model, AS_OF);
        assertThat(repeat.score()).isEqualTo(15);
        assertThat(repeat.reasons()).singleElement().satisfies(reason -> {
            assertThat(reason.points()).isEqualTo(15.0);
            assertThat(reason.detail()).isEqualTo("3 in 3 days");
        });
        assertThat(scorer.score(nobody(), spreadOut, model, AS_OF).score()).isZero();
    }

    @Test
    void noActivityForThirtyDaysSubtractsAlsoForAPersonWithNoActivitiesAtAll() {
        ScoringModel model = modelWith("""
                fit:
                  - name: Anyone
                    field: email
                    present: true
                    points: 40
                negative:
                  - name: Gone quiet
                    activity: any
                    at-most: 0
                    within-days: 30
                    points: -20
                """);
        var person = person().email("ana@acme.io").build();

        assertThat(scorer.score(person, List.of(), model, AS_OF).score()).isEqualTo(20);
        assertThat(scorer.score(person, List.of(activity("email_open", daysAgo(45))), model, AS_OF).score())
                .isEqualTo(20);
        assertThat(scorer.score(person, List.of(activity("email_open", daysAgo(5))), model, AS_OF).score())
                .isEqualTo(40);
    }

    @Test
    void aCategoryCapScalesItsCriteriaDownTogetherAndSaysSo() {
        ScoringModel model = modelWith("""
                engagement:
                  - name: Meetings
                    activity: meeting
                    points: 30
                  - name: Replies
                    activity: email_reply
                    points: 30
                caps:
                  engagement: 40
                """);
        List<Activity> both = List.of(activity("meeting", daysAgo(1)), activity("email_reply", daysAgo(2)));

        ScoreResult result = scorer.score(nobody(), both, model, AS_OF);

        assertThat(result.score()).isEqualTo(40);
        assertThat(result.reasons()).extracting(reason -> reason.points()).containsExactly(20.0, 20.0);
        assertThat(result.reasons().get(0).detail()).endsWith("engagement capped at 40");
        assertThat(model.maxPossibleScore()).isEqualTo(40);
    }

    @Test
    void rejectsAFieldOutsideTheCatalogAtItsLine() {
        String yaml = """
                name: catalog
                version: 1
                fields: [industry, persona]
                fit:
                  - name: Big
                    field: numberofemployes
                    at-least: 200
                    points: 10
                grades: {D: 0}
                """;
        ModelValidationException invalid = catchThrowableOfType(ModelValidationException.class,
                () -> ScoringModel.parse(yaml, "catalog.yml"));

        assertThat(invalid).hasMessageStartingWith("catalog.yml:6: unknown field 'numberofemployes' in criterion"
                + " 'Big'; expected a canonical field");
        // a field the caller's connectors read is known, too
        assertThat(ScoringModel.parse(yaml, "catalog.yml", Set.of("numberofemployes")).fields())
                .containsExactly("industry", "persona", "numberofemployes");
    }

    @Test
    void rejectsSegmentsWithoutConditionsAndDuplicateNames() {
        ModelValidationException invalid = catchThrowableOfType(ModelValidationException.class,
                () -> ScoringModel.parse("""
                        name: broken
                        version: 1
                        segments:
                          - name: devs
                            fit:
                              - {name: Dev, field: title, contains-any: [engineer], points: 10}
                          - name: ops
                            when: [{field: persona, equals: ops}]
                            fit:
                              - {name: Ops, field: title, contains-any: [sre], points: 10, weight: 1}
                        grades: {D: 0}
                        """, "broken.yml"));

        assertThat(invalid.problems()).extracting(ModelValidationException.Problem::line).containsExactly(4, 10);
        assertThat(invalid).hasMessageContaining("missing 'when' in segment 'devs'")
                .hasMessageContaining("'weight' in criterion 'Ops' belongs to kind: logistic");
    }

    @Test
    void aLogisticModelTurnsLogOddsIntoAProbabilityInPercent() {
        ScoringModel model = ScoringModel.parse("""
                name: learned
                version: 1
                kind: logistic
                intercept: -2
                fit:
                  - {name: Senior title, field: title, contains-any: [vp], weight: 1.5}
                engagement:
                  - {name: Demo request, activity: demo_request, weight: 2.5, max: 2.5}
                grades: {A: 50, D: 0}
                """, "learned.yml");

        ScoreResult cold = scorer.score(nobody(), List.of(), model, AS_OF);
        ScoreResult hot = scorer.score(person().title("VP Sales").build(),
                List.of(activity("demo_request", daysAgo(1))), model, AS_OF);

        assertThat(cold.score()).isEqualTo(12);   // 1 / (1 + e^2) = 0.119
        assertThat(hot.score()).isEqualTo(88);    // 1 / (1 + e^-2) = 0.881
        assertThat(hot.grade()).isEqualTo("A");
        assertThat(scorer.rawScore(nobody(), List.of(), model, AS_OF)).isCloseTo(0.1192, org.assertj.core.data.Offset.offset(1e-4));
    }
}
