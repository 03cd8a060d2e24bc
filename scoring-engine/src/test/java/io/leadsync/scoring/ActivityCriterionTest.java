package io.leadsync.scoring;

import io.leadsync.connector.Activity;
import io.leadsync.connector.ScoreReason;
import io.leadsync.connector.ScoreResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.leadsync.scoring.TestData.AS_OF;
import static io.leadsync.scoring.TestData.activity;
import static io.leadsync.scoring.TestData.daysAgo;
import static io.leadsync.scoring.TestData.modelWith;
import static io.leadsync.scoring.TestData.nobody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

class ActivityCriterionTest {
    private final Scorer scorer = new RuleScorer();

    private ScoreResult score(String engagement, List<Activity> activities) {
        return scorer.score(nobody(), activities, modelWith("engagement:\n" + engagement), AS_OF);
    }

    private static double onlyReasonPoints(ScoreResult result) {
        assertThat(result.reasons()).hasSize(1);
        return result.reasons().get(0).points();
    }

    @Test
    void addsPointsPerOccurrenceOfTheActivityType() {
        String criterion = """
                  - name: Pricing page viewed
                    activity: pricing_page_view
                    points: 4
                """;
        ScoreResult result = score(criterion, List.of(activity("pricing_page_view", daysAgo(1)),
                activity("pricing_page_view", daysAgo(2)), activity("pricing_page_view", daysAgo(400)),
                activity("page_view", daysAgo(1))));
        assertThat(result.score()).isEqualTo(12);
        assertThat(result.reasons()).containsExactly(
                new ScoreReason("Pricing page viewed", "engagement", 12.0, "3 occurrences"));
        assertThat(result.reasonText()).isEqualTo("+12 Pricing page viewed (3)");
    }

    @Test
    void countsEveryListedActivityType() {
        String criterion = """
                  - name: Talked to sales
                    activity: [meeting, call]
                    points: 5
                """;
        assertThat(score(criterion, List.of(activity("meeting", daysAgo(3)), activity("call", daysAgo(4)),
                activity("email_open", daysAgo(4)))).score()).isEqualTo(10);
    }

    @Test
    void countsOnlyActivitiesWithinTheWindowIncludingItsFirstInstant() {
        String criterion = """
                  - name: Meeting held
                    activity: meeting
                    points: 10
                    within-days: 90
                """;
        ScoreResult result = score(criterion, List.of(activity("meeting", daysAgo(1)),
                activity("meeting", AS_OF.minus(Duration.ofDays(90))),
                activity("meeting", AS_OF.minus(Duration.ofDays(90)).minusSeconds(1)),
                activity("meeting", daysAgo(200))));
        assertThat(result.score()).isEqualTo(20);
        assertThat(result.reasons().get(0).detail()).isEqualTo("2 in 90 days");
    }

    @Test
    void ignoresActivitiesAfterTheScoringInstant() {
        String criterion = """
                  - name: Meeting held
                    activity: meeting
                    points: 10
                """;
        ScoreResult result = score(criterion, List.of(activity("meeting", AS_OF),
                activity("meeting", AS_OF.plusSeconds(1)), activity("meeting", AS_OF.plus(Duration.ofDays(7)))));
        assertThat(result.score()).isEqualTo(10);
        assertThat(result.reasonText()).isEqualTo("+10 Meeting held (1)");
    }

    @Test
    void capsTheCriterionTotalAtMax() {
        String criterion = """
                  - name: Meeting held
                    activity: meeting
                    points: 15
                    max: 30
                """;
        List<Activity> three = List.of(activity("meeting", daysAgo(1)), activity("meeting", daysAgo(2)),
                activity("meeting", daysAgo(3)));
        ScoreResult result = score(criterion, three);
        assertThat(result.score()).isEqualTo(30);
        assertThat(result.reasons().get(0).detail()).isEqualTo("3 occurrences, capped at 30");
        assertThat(result.reasonText()).isEqualTo("+30 Meeting held (3)");
        assertThat(score(criterion, three.subList(0, 1)).score()).isEqualTo(15);
    }

    @Test
    void countsAnActivityExactlyOneHalfLifeOldAsHalf() {
        String criterion = """
                  - name: Meeting held
                    activity: meeting
                    points: 10
                    half-life-days: 30
                """;
        ScoreResult result = score(criterion, List.of(activity("meeting", AS_OF.minus(Duration.ofDays(30)))));
        assertThat(onlyReasonPoints(result)).isEqualTo(5.0);
        assertThat(result.score()).isEqualTo(5);
    }

    @Test
    void decaysEachOccurrenceExponentiallyByItsAge() {
        String criterion = """
                  - name: Meeting held
                    activity: meeting
                    points: 16
                    half-life-days: 10
                """;
        // 16 now + 16/2 (10 days) + 16/4 (20 days) + 16/16 (40 days) = 29
        ScoreResult result = score(criterion, List.of(activity("meeting", AS_OF), activity("meeting", daysAgo(10)),
                activity("meeting", daysAgo(20)), activity("meeting", daysAgo(40))));
        assertThat(onlyReasonPoints(result)).isEqualTo(29.0);
        // 15 days is one and a half half-lives: 16 × 0.5^1.5 = 5.657; shown as 5.7, scored as 6
        ScoreResult oneAndAHalf = score(criterion, List.of(activity("meeting", daysAgo(15))));
        assertThat(onlyReasonPoints(oneAndAHalf)).isEqualTo(5.7);
        assertThat(oneAndAHalf.score()).isEqualTo(6);
        assertThat(16 * Math.pow(0.5, 1.5)).isCloseTo(5.657, within(0.001));
    }

    @Test
    void appliesTheCapAfterDecay() {
        String criterion = """
                  - name: Meeting held
                    activity: meeting
                    points: 15
                    max: 30
                    within-days: 90
                    half-life-days: 30
                """;
        // 15 + 7.5 + 3.75 = 26.25 stays under the cap; adding two fresh meetings passes it
        List<Activity> decayed = List.of(activity("meeting", AS_OF), activity("meeting", daysAgo(30)),
                activity("meeting", daysAgo(60)));
        assertThat(onlyReasonPoints(score(criterion, decayed))).isEqualTo(26.3);
        assertThat(score(criterion, decayed).score()).isEqualTo(26);
        List<Activity> more = List.of(decayed.get(0), decayed.get(1), decayed.get(2),
                activity("meeting", daysAgo(1)), activity("meeting", daysAgo(2)));
        assertThat(onlyReasonPoints(score(criterion, more))).isEqualTo(30.0);
    }

    @Test
    void filtersActivitiesByTheirPropertiesWithWhere() {
        String criterion = """
                  - name: Spring launch clicks
                    activity: email_click
                    points: 3
                    where: {campaign: spring-launch}
                """;
        ScoreResult result = score(criterion, List.of(
                activity("email_click", daysAgo(1), Map.of("campaign", "Spring-Launch")),
                activity("email_click", daysAgo(2), Map.of("campaign", "newsletter")),
                activity("email_click", daysAgo(3))));
        assertThat(result.score()).isEqualTo(3);
    }

    @Test
    void countsARepeatedActivityIdOnce() {
        String criterion = """
                  - name: Replied to an email
                    activity: email_reply
                    points: 10
                """;
        Activity reply = activity("email_reply", daysAgo(2));
        assertThat(score(criterion, List.of(reply, reply)).score()).isEqualTo(10);
    }

    @Test
    void capsANegativeCriterionAtItsMax() {
        String criterion = """
                  - name: Email bounced
                    activity: email_bounce
                    points: -15
                    max: -20
                """;
        ScoringModel model = modelWith("fit:\n  - name: Base\n    field: email\n    present: false\n    points: 50\n"
                + "negative:\n" + criterion);
        ScoreResult result = scorer.score(nobody(), List.of(activity("email_bounce", daysAgo(1)),
                activity("email_bounce", daysAgo(2)), activity("email_bounce", daysAgo(3))), model, AS_OF);
        assertThat(result.score()).isEqualTo(30);
        assertThat(result.reasons()).extracting(ScoreReason::criterion, ScoreReason::points)
                .containsExactly(tuple("Base", 50.0),
                        tuple("Email bounced", -20.0));
    }

    @Test
    void leavesOutOfTheReasonsAContributionThatDecayedBelowATenth() {
        String criterion = """
                  - name: Meeting held
                    activity: meeting
                    points: 10
                    half-life-days: 7
                """;
        ScoreResult result = score(criterion, List.of(activity("meeting", daysAgo(70))));
        assertThat(result.score()).isZero();
        assertThat(result.reasons()).isEmpty();
        assertThat(result.reasonText()).isEmpty();
    }
}
