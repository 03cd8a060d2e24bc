package io.leadsync.scoring;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreReason;
import io.leadsync.connector.ScoreResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.leadsync.scoring.TestData.AS_OF;
import static io.leadsync.scoring.TestData.activity;
import static io.leadsync.scoring.TestData.daysAgo;
import static io.leadsync.scoring.TestData.nobody;
import static io.leadsync.scoring.TestData.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class RuleScorerTest {
    private final Scorer scorer = new RuleScorer();

    /** Points set by the person's attributes, so a test can aim at any score. */
    private static final ScoringModel BANDS = ScoringModel.parse("""
            name: bands
            version: 2024.06
            fit:
              - name: Base
                field: base
                at-least: 0
                points: 74
              - name: Half a point
                field: half
                present: true
                points: 0.5
              - name: One more
                field: one
                present: true
                points: 1
              - name: Lots
                field: lots
                present: true
                points: 60
            negative:
              - name: Opted out
                field: optout
                equals: "true"
                points: -80
            grades: {A: 75, B: 50, C: 25, D: 0}
            stages: {MQL: 75, lead: 0}
            """, "bands.yml");

    private ScoreResult scoreWith(Map<String, String> attributes) {
        return scorer.score(person().attributes(attributes).build(), List.of(), BANDS, AS_OF);
    }

    @Test
    void scores74AsGradeBAndLeadAnd75AsGradeAAndMql() {
        ScoreResult seventyFour = scoreWith(Map.of("base", "1"));
        assertThat(seventyFour.score()).isEqualTo(74);
        assertThat(seventyFour.grade()).isEqualTo("B");
        assertThat(seventyFour.stage()).isEqualTo("lead");

        ScoreResult seventyFive = scoreWith(Map.of("base", "1", "one", "x"));
        assertThat(seventyFive.score()).isEqualTo(75);
        assertThat(seventyFive.grade()).isEqualTo("A");
        assertThat(seventyFive.stage()).isEqualTo("MQL");
    }

    @Test
    void roundsAHalfPointUp() {
        ScoreResult result = scoreWith(Map.of("base", "1", "half", "x"));
        assertThat(result.score()).isEqualTo(75);
        assertThat(result.grade()).isEqualTo("A");
    }

    @ParameterizedTest(name = "score {0} is grade {1}")
    @CsvSource({"0, D", "24, D", "25, C", "49, C", "50, B", "74, B", "75, A", "100, A"})
    void picksTheHighestGradeBandTheScoreReaches(int score, String grade) {
        assertThat(BANDS.gradeFor(score)).isEqualTo(grade);
    }

    @Test
    void floorsTheScoreAtZero() {
        ScoreResult result = scoreWith(Map.of("optout", "true"));
        assertThat(result.score()).isZero();
        assertThat(result.grade()).isEqualTo("D");
        assertThat(result.reasons()).containsExactly(new ScoreReason("Opted out", "negative", -80, "optout \"true\""));
        assertThat(result.reasonText()).isEqualTo("-80 Opted out");
    }

    @Test
    void subtractsNegativeCriteriaFromThePositiveTotal() {
        ScoreResult result = scoreWith(Map.of("base", "1", "lots", "x", "optout", "true"));
        assertThat(result.score()).isEqualTo(54);
        assertThat(result.grade()).isEqualTo("B");
    }

    @Test
    void capsTheScoreAt100() {
        ScoreResult result = scoreWith(Map.of("base", "1", "lots", "x"));
        assertThat(result.score()).isEqualTo(100);
        assertThat(result.reasons()).extracting(ScoreReason::points).containsExactly(74.0, 60.0);
    }

    @Test
    void carriesTheModelIdAsNameAtVersion() {
        assertThat(scoreWith(Map.of()).modelVersion()).isEqualTo("bands@2024.06");
        assertThat(BANDS.id()).isEqualTo("bands@2024.06");
    }

    @Test
    void leavesTheStageNullWhenTheModelSetsNone() {
        ScoringModel noStages = TestData.modelWith("");
        assertThat(scorer.score(nobody(), List.of(), noStages, AS_OF).stage()).isNull();
    }

    // ---- determinism

    private static final ScoringModel ENGAGEMENT = ScoringModel.parse("""
            name: engagement
            version: 1
            engagement:
              - name: Meeting held
                activity: [meeting, call]
                points: 7
                max: 40
                within-days: 120
                half-life-days: 17.5
              - name: Pricing page viewed
                activity: pricing_page_view
                points: 1.3
                half-life-days: 9
              - name: Replied to an email
                activity: email_reply
                points: 3.3
            grades: {A: 75, B: 50, C: 25, D: 0}
            """, "engagement.yml");

    private static List<Activity> busyHistory() {
        List<Activity> activities = new ArrayList<>();
        String[] types = {"meeting", "call", "pricing_page_view", "email_reply", "email_open"};
        for (int i = 0; i < 60; i++) {
            activities.add(activity(types[i % types.length], daysAgo(i * 2.37 + 0.11)));
        }
        return activities;
    }

    @Test
    void givesAnEqualResultForTheSameInputTwice() {
        Person person = person().title("Head of Data").build();
        ScoreResult first = scorer.score(person, busyHistory(), ENGAGEMENT, AS_OF);
        ScoreResult second = new RuleScorer().score(person, busyHistory(), ENGAGEMENT, AS_OF);
        assertThat(second).isEqualTo(first);
        assertThat(first.reasons()).hasSize(3);
    }

    @Test
    void givesTheSameResultWhateverTheOrderOfTheActivities() {
        ScoreResult inOrder = scorer.score(nobody(), busyHistory(), ENGAGEMENT, AS_OF);
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            List<Activity> shuffled = new ArrayList<>(busyHistory());
            Collections.shuffle(shuffled, random);
            ScoreResult result = scorer.score(nobody(), shuffled, ENGAGEMENT, AS_OF);
            assertThat(result).isEqualTo(inOrder);
            for (int i = 0; i < result.reasons().size(); i++) {
                assertThat(Double.doubleToRawLongBits(result.reasons().get(i).points()))
                        .isEqualTo(Double.doubleToRawLongBits(inOrder.reasons().get(i).points()));
            }
        }
    }

    // ---- reasons

    private static final ScoringModel REASONS = ScoringModel.parse("""
            name: reasons
            version: 1
            fit:
              - name: Senior decision maker
                field: title
                contains-any: [vp]
                points: 20
              - name: Business email
                field: email
                business-email: true
                points: 10
            engagement:
              - name: Meeting held
                activity: meeting
                points: 15
                max: 30
              - name: Any title
                field: title
                present: true
                points: 20
            negative:
              - name: Unsubscribed
                field: hs_email_optout
                equals: "true"
                points: -25
            grades: {A: 75, D: 0}
            reasons:
              max-length: 255
            """, "reasons.yml");

    private static Person buyer() {
        return person().title("VP Sales").email("kim@acme.com").attributes(Map.of("hs_email_optout", "true")).build();
    }

    private static List<Activity> twoMeetings() {
        return List.of(activity("meeting", daysAgo(3)), activity("meeting", daysAgo(9)));
    }

    @Test
    void ordersReasonsByAbsolutePointsThenByName() {
        ScoreResult result = scorer.score(buyer(), twoMeetings(), REASONS, AS_OF);
        assertThat(result.reasons()).extracting(ScoreReason::criterion, ScoreReason::category, ScoreReason::points)
                .containsExactly(
                        tuple("Meeting held", "engagement", 30.0),
                        tuple("Unsubscribed", "negative", -25.0),
                        tuple("Any title", "engagement", 20.0),
                        tuple("Senior decision maker", "fit", 20.0),
                        tuple("Business email", "fit", 10.0));
        assertThat(result.score()).isEqualTo(55);
        assertThat(result.reasonText()).isEqualTo("+30 Meeting held (2); -25 Unsubscribed; +20 Any title; "
                + "+20 Senior decision maker; +10 Business email");
    }

    private static ScoringModel reasonsModelWithMaxLength(int maxLength) {
        return new ScoringModel(REASONS.name(), REASONS.version(), REASONS.criteria(), REASONS.grades(),
                REASONS.stages(), REASONS.taskThreshold(), maxLength);
    }

    private String reasonTextWithin(int maxLength) {
        return scorer.score(buyer(), twoMeetings(), reasonsModelWithMaxLength(maxLength), AS_OF).reasonText();
    }

    @Test
    void truncatesTheReasonTextOnAReasonBoundaryAndMarksIt() {
        // "+30 Meeting held (2); -25 Unsubscribed" is 38 characters; the next reason does not fit in 50
        assertThat(reasonTextWithin(50)).isEqualTo("+30 Meeting held (2); -25 Unsubscribed; …").hasSizeLessThanOrEqualTo(50);
        assertThat(reasonTextWithin(41)).isEqualTo("+30 Meeting held (2); -25 Unsubscribed; …").hasSize(41);
    }

    @Test
    void leavesOutTheEllipsisWhenItDoesNotFit() {
        assertThat(reasonTextWithin(40)).isEqualTo("+30 Meeting held (2); -25 Unsubscribed");
        assertThat(reasonTextWithin(38)).isEqualTo("+30 Meeting held (2); -25 Unsubscribed");
    }

    @Test
    void keepsTheWholeTextWhenItFitsExactly() {
        String full = reasonTextWithin(255);
        assertThat(reasonTextWithin(full.length())).isEqualTo(full);
    }

    @Test
    void cutsAFirstReasonLongerThanTheLimit() {
        assertThat(reasonTextWithin(10)).isEqualTo("+30 Meeti…").hasSize(10);
    }

    @Test
    void keepsAllReasonsWhenTheTextIsTruncated() {
        ScoreResult result = scorer.score(buyer(), twoMeetings(), reasonsModelWithMaxLength(30), AS_OF);
        assertThat(result.reasons()).hasSize(5);
        assertThat(result.reasonText()).isEqualTo("+30 Meeting held (2); …");
    }

    @Test
    void showsDecayedPointsToOneDecimal() {
        ScoringModel model = TestData.modelWith("""
                engagement:
                  - name: Webinar attended
                    activity: webinar
                    points: 10
                    half-life-days: 20
                """);
        ScoreResult result = scorer.score(nobody(), List.of(activity("webinar", daysAgo(10))), model, AS_OF);
        assertThat(result.reasons().get(0).points()).isEqualTo(7.1);
        assertThat(result.reasonText()).isEqualTo("+7.1 Webinar attended (1)");
        assertThat(result.score()).isEqualTo(7);
    }
}
