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
        assertThat(model.id()).isEqualTo("default@5");
        assertThat(model.name()).isEqualTo("default");
        assertThat(model.version()).isEqualTo("5");
        assertThat(model.grades()).containsExactly(new Band("A", 75), new Band("B", 50), new Band("C", 25),
                new Band("D", 0));
        assertThat(model.stages()).containsExactly(new Band("MQL", 60), new Band("lead", 0));
        assertThat(model.taskThreshold()).isEqualTo(OptionalInt.of(75));
        assertThat(model.reasonsMaxLength()).isEqualTo(255);
        assertThat(model.criteria(Category.FIT)).extracting(Criterion::name).containsExactly(
                "Senior decision maker", "Target industry", "Business email", "Mid-size or larger company",
                "Sales-qualified", "Last conversion asked for sales");
        assertThat(model.criteria(Category.ENGAGEMENT)).extracting(Criterion::name).containsExactly(
                "Meeting held", "Replied to an email", "Clicked an email", "Requested a demo or sales contact", "Viewed pricing",
                "Repeat pricing visit", "Frequent web visitor", "Product usage");
        assertThat(model.criteria(Category.NEGATIVE)).extracting(Criterion::name).containsExactly(
                "Unsubscribed", "Unsubscribed from emails", "Email bounced", "Student or free-mail address",
                "No activity for 90 days");
        assertThat(model.criteria()).hasSize(19);
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
        assertThat(result.modelVersion()).isEqualTo("default@5");
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

    @Test
    void gradesASalesQualifiedContactWhoseLatestConversionIsADemoRequestB() {
        // the demo's José Sharma: a founder at a large logistics firm, a personal address, a demo request 11 days ago
        Person founder = person().email("jose.sharma@icloud.com").firstName("José").lastName("Sharma")
                .title("Founder").attributes(Map.of("industry", "LOGISTICS_AND_SUPPLY_CHAIN",
                        "numberofemployees", "14181", "lifecyclestage", "salesqualifiedlead",
                        "recent_conversion_event_name", "Demo request", "hs_analytics_num_page_views", "2"))
                .build();
        List<Activity> activities = List.of(
                activity(ActivityTypes.DEMO_REQUEST, daysAgo(11), Map.of("form_name", "Demo request")),
                activity(ActivityTypes.EMAIL_SENT, daysAgo(30)));

        ScoreResult result = scorer.score(founder, activities, model, AS_OF);

        // fit 20 + 10 + 10 + 5, engagement 25 × 0.5^(11/45) = 21.1, negative -5: 61.1
        assertThat(result.score()).isEqualTo(61);
        assertThat(result.grade()).isEqualTo("B");
        assertThat(result.reasonText()).isEqualTo("+21.1 Requested a demo or sales contact (1);"
                + " +20 Senior decision maker; +10 Mid-size or larger company; +10 Sales-qualified;"
                + " +5 Last conversion asked for sales; -5 Student or free-mail address");

        ScoreResult withoutTheForm = scorer.score(founder, List.of(activity(ActivityTypes.EMAIL_SENT, daysAgo(30))),
                model, AS_OF);
        assertThat(withoutTheForm.score()).as("the conversion properties alone, before submissions are read")
                .isEqualTo(40);
        assertThat(withoutTheForm.grade()).isEqualTo("C");
    }

    @Test
    void letsADemoRequestFadeWithAge() {
        Person lead = person().email("sam@acme-logistics.com").title("Analyst").build();
        int fresh = scorer.score(lead, List.of(activity(ActivityTypes.DEMO_REQUEST, daysAgo(1))), model, AS_OF).score();
        int older = scorer.score(lead, List.of(activity(ActivityTypes.CONTACT_SALES, daysAgo(45))), model, AS_OF)
                .score();
        int stale = scorer.score(lead, List.of(activity(ActivityTypes.DEMO_REQUEST, daysAgo(120))), model, AS_OF)
                .score();
        // business email 10; a request 1 day old 24.6, 45 days old 12.5, older than 90 days nothing (and no activity)
        assertThat(fresh).isEqualTo(35);
        assertThat(older).isEqualTo(23);
        assertThat(stale).isEqualTo(0);
    }
}
