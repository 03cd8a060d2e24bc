package io.leadsync.connector.hubspot;

import io.leadsync.connector.Activity;
import io.leadsync.connector.ActivityTypes;
import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.Page;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.sandbox.SandboxData;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The form_submissions stream against the simulator's forms API. */
class HubSpotFormSubmissionsIT {
    private static final StreamId FORMS = new StreamId("hubspot-main", "form_submissions");
    private SandboxFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private Map<String, Object> settings() {
        Map<String, Object> settings = fixture.settings();
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) settings.get("read");
        read.put("streams", List.of("contacts", "form_submissions"));
        return settings;
    }

    private static List<Page<SourceRecord>> readAll(SourceConnector source, Cursor from) {
        try (Stream<Page<SourceRecord>> pages = source.read(FORMS, from)) {
            return pages.toList();
        }
    }

    private static List<Activity> activities(List<Page<SourceRecord>> pages) {
        return pages.stream().flatMap(p -> p.items().stream()).map(r -> (Activity) r.value()).toList();
    }

    private String formId(String name) {
        return fixture.simulator.forms().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().id();
    }

    @Test
    void readsEverySubmissionAsAnActivityOfTheEmailItCarriesTypedByItsFormsName() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 200);
        SandboxData data = new SandboxDataGenerator(7).generate(200);

        List<Activity> read = activities(readAll(fixture.source(settings()), null));

        assertThat(read).hasSize(data.formSubmissions().size());
        Map<String, String> typeByForm = new HashMap<>();
        read.forEach(activity -> typeByForm.put(activity.properties().get("form_name"), activity.type()));
        assertThat(typeByForm).containsEntry("Demo request", ActivityTypes.DEMO_REQUEST)
                .containsEntry("Pricing page", ActivityTypes.CONTACT_SALES)
                .containsEntry("Webinar registration", ActivityTypes.WEBINAR)
                .containsEntry("Ebook download", ActivityTypes.CONTENT_DOWNLOAD)
                .containsEntry("Newsletter signup", ActivityTypes.FORM_SUBMIT);
        Set<String> emails = data.formSubmissions().stream().map(s -> s.values().get("email")).collect(Collectors.toSet());
        assertThat(read).allSatisfy(activity -> {
            assertThat(activity.person().id()).as("a submission names no contact id").isNull();
            assertThat(emails).contains(activity.person().email());
            assertThat(activity.properties()).containsKeys("form_id", "page_url");
        });
        assertThat(read.stream().map(a -> a.id().id()).distinct().count()).as("the conversion id is the activity id")
                .isEqualTo(read.size());
        SandboxData.GeneratedFormSubmission latest = data.formSubmissions().get(data.formSubmissions().size() - 1);
        assertThat(read).anySatisfy(activity -> {
            assertThat(activity.occurredAt()).isEqualTo(latest.submittedAt());
            assertThat(activity.person().email()).isEqualTo(latest.values().get("email"));
        });
    }

    @Test
    void typesAFormAsTheSettingsMapItByIdOrName() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 200);
        Map<String, Object> settings = settings();
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) settings.get("read");
        read.put("forms", List.of(Map.of("form", "contact US", "type", "contact_sales"),
                Map.of("form", formId("Newsletter signup"), "type", "newsletter_signup")));

        List<Activity> activities = activities(readAll(fixture.source(settings), null));

        assertThat(activities).filteredOn(a -> a.properties().get("form_name").equals("Contact us")).isNotEmpty()
                .allSatisfy(a -> assertThat(a.type()).isEqualTo(ActivityTypes.CONTACT_SALES));
        assertThat(activities).filteredOn(a -> a.properties().get("form_name").equals("Newsletter signup")).isNotEmpty()
                .allSatisfy(a -> assertThat(a.type()).isEqualTo("newsletter_signup"));

        read.put("forms", List.of(Map.of("form", "Demo request", "type", "Demo Request")));
        assertThatThrownBy(() -> fixture.source(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sync.connectors.hubspot-main.read.forms[0].type");
    }

    @Test
    void aReadFromTheSavedCursorGivesOnlyNewSubmissionsAndTheCursorKeepsATimePerForm() throws Exception {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 120);
        SourceConnector source = fixture.source(settings());
        List<Page<SourceRecord>> first = readAll(source, null);
        Cursor saved = first.get(first.size() - 1).next();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(saved.position()).path("submittedSince")
                .size()).as("one time per form with submissions").isGreaterThan(3);

        String demo = formId("Demo request");
        fixture.simulator.submitForm(demo, Map.of("email", "new.buyer@acme.example", "firstname", "New"),
                "https://www.example.com/demo");
        List<Activity> again = activities(readAll(source, saved));

        Set<String> before = activities(first).stream().map(a -> a.id().id()).collect(Collectors.toSet());
        assertThat(again).filteredOn(a -> !before.contains(a.id().id())).singleElement().satisfies(activity -> {
            assertThat(activity.type()).isEqualTo(ActivityTypes.DEMO_REQUEST);
            assertThat(activity.person().email()).isEqualTo("new.buyer@acme.example");
        });
        assertThat(again.size() - 1).as("besides it, only each form's latest (the overlap), recognised as read")
                .isLessThanOrEqualTo(fixture.simulator.forms().size());
        fixture.simulator.clearRequests();
        readAll(source, saved);
        assertThat(fixture.simulator.requests()).as("each form's read stops at its saved time: one page per form")
                .filteredOn(r -> r.path().startsWith("/form-integrations/")).hasSize(fixture.simulator.forms().size());
    }

    @Test
    void aReadResumedFromAnyPageLosesNothing() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 300);
        SourceConnector source = fixture.source(settings());
        List<Page<SourceRecord>> full = readAll(source, null);
        Set<String> all = full.stream().flatMap(p -> p.items().stream()).map(r -> r.id().id()).collect(Collectors.toSet());
        assertThat(full).hasSizeGreaterThan(5);
        for (int cut = 0; cut < full.size() - 1; cut++) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i <= cut; i++) {
                full.get(i).items().forEach(r -> seen.add(r.id().id()));
            }
            readAll(source, full.get(cut).next()).forEach(p -> p.items().forEach(r -> seen.add(r.id().id())));
            assertThat(seen).as("resumed after page %d", cut).isEqualTo(all);
        }
    }

    @Test
    void refusesASubmissionWithoutAnEmailWithItsReasonAndKeepsOneNoContactHas() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 0);
        String form = fixture.simulator.createForm("Talk to sales", "hubspot");
        fixture.simulator.submitForm(form, Map.of("firstname", "Anonymous"), "https://www.example.com/sales");
        fixture.simulator.submitForm(form, Map.of("email", "stranger@else.example"), "https://www.example.com/sales");

        List<Page<SourceRecord>> pages = readAll(fixture.source(settings()), null);

        assertThat(pages.stream().flatMap(p -> p.rejected().stream()).toList()).singleElement()
                .satisfies(rejected -> assertThat(rejected.reason()).contains("no email").contains("Talk to sales"));
        assertThat(activities(pages)).singleElement().satisfies(activity -> {
            assertThat(activity.type()).isEqualTo(ActivityTypes.CONTACT_SALES);
            assertThat(activity.person().email()).isEqualTo("stranger@else.example");
        });
    }

    @Test
    void saysWhichScopeIsMissingAndWaitsOutA429() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 60);
        SourceConnector source = fixture.source(settings());
        fixture.simulator.denyScope("forms");
        assertThatThrownBy(() -> readAll(source, null)).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("'forms' scope").hasMessageContaining("read.streams");
        fixture.simulator.restoreScopes();

        fixture.simulator.faults().add(FaultRule.rateLimit().withCount(1));
        List<Activity> read = activities(readAll(source, null));
        assertThat(read).isNotEmpty();
        assertThat(fixture.simulator.requests()).extracting(HubSpotSimulator.RecordedRequest::status).contains(429);
        assertThat(source.count(FORMS, null, null)).as("the submissions API gives no total").isEmpty();
    }

    @Test
    void isReadByDefault() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 0);
        Map<String, Object> settings = fixture.settings();
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) settings.get("read");
        read.remove("streams");
        List<String> streams = new ArrayList<>(fixture.source(settings).descriptor().streams());
        assertThat(streams).contains("form_submissions");
    }
}
