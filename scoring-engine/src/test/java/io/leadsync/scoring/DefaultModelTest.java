package io.leadsync.scoring;

import io.leadsync.connector.Activity;
import io.leadsync.connector.ActivityTypes;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreReason;
import io.leadsync.connector.ScoreResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static io.leadsync.scoring.TestData.AS_OF;
import static io.leadsync.scoring.TestData.activity;
import static io.leadsync.scoring.TestData.daysAgo;
import static io.leadsync.scoring.TestData.person;
import static org.assertj.core.api.Assertions.assertThat;

/** The example model an admin starts from, as shipped in {@code config/scoring/}. */
class DefaultModelTest {
    static final Path DEFAULT_MODEL = Path.of("../config/scoring/default-model.yml");

    private static ScoringModel model;
    private final Scorer scorer = new RuleScorer();

    @BeforeAll
    static void loadTheShippedModel() throws IOException {
        model = ScoringModel.load(DEFAULT_MODEL);
    }

    @Test
    void loadsWithItsBandsThresholdAndCriteria() {
        assertThat(model.id()).isEqualTo("default@4");
        assertThat(model.name()).isEqualTo("default");
        assertThat(model.version()).isEqualTo("4");
        assertThat(model.grades()).containsExactly(new Band("A", 75), new Band("B", 50), new Band("C", 25),
                new Band("D", 0));
        assertThat(model.stages()).containsExactly(new Band("MQL", 60), new Band("lead", 0));
        assertThat(model.taskThreshold()).isEqualTo(OptionalInt.of(75));
        assertThat(model.reasonsMaxLength()).isEqualTo(255);
        assertThat(model.criteria(Category.FIT)).extracting(Criterion::name).containsExactly(
                "Senior decision maker", "Target industry", "Business email", "Mid-size or larger company");
        assertThat(model.criteria(Category.ENGAGEMENT)).extracting(Criterion::name).containsExactly(
                "Meeting held", "Replied to an email", "Clicked an email", "Requested a demo", "Viewed pricing",
                "Repeat pricing visit", "Frequent web visitor", "Product usage");
        assertThat(model.criteria(Category.NEGATIVE)).extracting(Criterion::name).containsExactly(
                "Unsubscribed", "Unsubscribed from emails", "Email bounced", "Student or free-mail address",
                "No activity for 90 days");
        assertThat(model.criteria()).hasSize(17);
        assertThat(model.defaultSegment().cap(Category.ENGAGEMENT)).hasValue(70.0);
        assertThat(model.maxPossibleScore()).isEqualTo(100);
    }

    @Test
    void gradesASeniorSoftwareBuyerWithMeetingsA() {
        Person buyer = person().email("dana.whitfield@northwind-analytics.com").firstName("Dana")
                .lastName("Whitfield").title("VP Engineering").company("Northwind Analytics")
                .domain("northwind-analytics.com").country("US")
                .attributes(Map.of("industry", "COMPUTER_SOFTWARE", "numberofemployees", "450",
                        "hs_analytics_num_page_views", "37", "hs_email_optout", "false", "lifecyclestage", "lead"))
                .build();
        List<Activity> activities = List.of(
                activity(ActivityTypes.MEETING, daysAgo(4)),
                activity(ActivityTypes.MEETING, daysAgo(18)),
                activity(ActivityTypes.EMAIL_REPLY, daysAgo(6)),
                activity(ActivityTypes.EMAIL_OPEN, daysAgo(7)),
                activity(ActivityTypes.PRICING_PAGE_VIEW, daysAgo(2)));

        ScoreResult result = scorer.score(buyer, activities, model, AS_OF);

        assertThat(result.grade()).isEqualTo("A");
        assertThat(result.stage()).isEqualTo("MQL");
        // fit 20 + 15 + 10 + 10, engagement 23.58 + 10 + 10 + 3.48 (4 × 0.5^(2/10)): 102.06, clamped
        assertThat(result.score()).isEqualTo(100);
        assertThat(result.modelVersion()).isEqualTo("default@4");
        // 15 × 0.5^(4/30) + 15 × 0.5^(18/30) = 13.68 + 9.90
        assertThat(result.reasons().get(0)).isEqualTo(
                new ScoreReason("Meeting held", "engagement", 23.6, "2 in 90 days"));
        assertThat(result.reasonText()).isEqualTo("+23.6 Meeting held (2); +20 Senior decision maker;"
                + " +15 Target industry; +10 Business email; +10 Frequent web visitor;"
                + " +10 Mid-size or larger company; +10 Replied to an email (1); +3.5 Viewed pricing (1)");
        assertThat(result.reasonText()).hasSizeLessThanOrEqualTo(255);
    }

    @Test
    void gradesAGmailStudentWithABounceD() {
        Person student = person().email("lena.k.2003@gmail.com").firstName("Lena").title("Student")
                .attributes(Map.of("industry", "HIGHER_EDUCATION", "hs_analytics_num_page_views", "3"))
                .build();
        List<Activity> activities = List.of(
                activity(ActivityTypes.EMAIL_BOUNCE, daysAgo(12)),
                activity(ActivityTypes.PAGE_VIEW, daysAgo(12)));

        ScoreResult result = scorer.score(student, activities, model, AS_OF);

        assertThat(result.score()).isZero();
        assertThat(result.grade()).isEqualTo("D");
        assertThat(result.stage()).isEqualTo("lead");
        assertThat(result.reasons()).containsExactly(
                new ScoreReason("Email bounced", "negative", -15.0, "1 occurrence"),
                new ScoreReason("Student or free-mail address", "negative", -5.0, "email \"lena.k.2003@gmail.com\""));
        assertThat(result.reasonText()).isEqualTo("-15 Email bounced (1); -5 Student or free-mail address");
    }
}
