package io.leadsync.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.sandbox.SandboxData;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.faults.FaultRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's forms API answers as HubSpot's: the v3 forms list and the v1 submissions of a form, over HTTP. */
class HubSpotFormsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private HubSpotSimulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .header("Authorization", "Bearer " + HubSpotSimulator.Options.DEFAULT_TOKEN).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private SandboxData seeded(int contacts, HubSpotSimulator.Options options) {
        SandboxData data = new SandboxDataGenerator(3).generate(contacts, NOW);
        simulator = HubSpotSimulator.start(options);
        simulator.seed(data);
        return data;
    }

    @Test
    void listsHubSpotFormsPagedAndEveryTypeOnRequest() throws Exception {
        SandboxData data = seeded(50, HubSpotSimulator.Options.defaults());
        List<String> names = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Answer page = get("/marketing/v3/forms?limit=3" + (after == null ? "" : "&after=" + after));
            assertThat(page.status()).isEqualTo(200);
            for (JsonNode form : page.body().path("results")) {
                assertThat(form.path("id").asText()).matches("[0-9a-f-]{36}");
                assertThat(form.path("formType").asText()).isEqualTo("hubspot");
                assertThat(form.path("archived").asBoolean()).isFalse();
                assertThat(form.path("fieldGroups").get(0).path("fields").get(0).path("name").asText()).isEqualTo("email");
                names.add(form.path("name").asText());
            }
            after = page.body().path("paging").path("next").path("after").asText(null);
            pages++;
        } while (after != null);
        List<String> hubspotForms = data.forms().stream().filter(f -> f.formType().equals("hubspot"))
                .map(SandboxData.GeneratedForm::name).toList();
        assertThat(names).containsExactlyElementsOf(hubspotForms).contains("Demo request");
        assertThat(pages).isEqualTo((hubspotForms.size() + 2) / 3);
        JsonNode all = get("/marketing/v3/forms?formTypes=all&limit=100").body().path("results");
        assertThat(all).hasSize(data.forms().size());
        assertThat(get("/marketing/v3/forms?formTypes=flow").body().path("results").get(0).path("name").asText())
                .isEqualTo("Newsletter signup");
        Answer wrongType = get("/marketing/v3/forms?formTypes=popup");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().path("category").asText()).isEqualTo("VALIDATION_ERROR");
        String id = data.forms().get(0).id();
        assertThat(get("/marketing/v3/forms/" + id).body().path("name").asText()).isEqualTo(data.forms().get(0).name());
        Answer missing = get("/marketing/v3/forms/00000000-0000-0000-0000-000000000000");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().path("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
    }

    @Test
    void pagesAFormsSubmissionsNewestFirstUpToFiftyWithoutLosingOrRepeatingWhenNewOnesArrive() throws Exception {
        seeded(0, HubSpotSimulator.Options.defaults());
        String form = simulator.createForm("Request a demo", "hubspot");
        for (int i = 0; i < 120; i++) {
            simulator.submitForm(form, Map.of("email", "person" + i + "@example.com", "firstname", "P" + i),
                    "https://www.example.com/demo");
        }
        Answer tooMany = get("/form-integrations/v1/submissions/forms/" + form + "?limit=51");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body().path("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(get("/form-integrations/v1/submissions/forms/" + form).body().path("results")).hasSize(20);

        List<String> seen = new ArrayList<>();
        long previous = Long.MAX_VALUE;
        String after = null;
        int page = 0;
        do {
            Answer answer = get("/form-integrations/v1/submissions/forms/" + form + "?limit=50"
                    + (after == null ? "" : "&after=" + after));
            assertThat(answer.status()).isEqualTo(200);
            for (JsonNode submission : answer.body().path("results")) {
                assertThat(submission.path("submittedAt").asLong()).isLessThanOrEqualTo(previous);
                previous = submission.path("submittedAt").asLong();
                assertThat(submission.path("values").findValuesAsText("name")).contains("email", "firstname");
                assertThat(submission.path("pageUrl").asText()).isEqualTo("https://www.example.com/demo");
                seen.add(submission.path("conversionId").asText());
            }
            if (page++ == 0) {
                // a newer submission between pages must not shift the older ones onto the next page again
                simulator.submitForm(form, Map.of("email", "late@example.com"), "https://www.example.com/demo");
            }
            after = answer.body().path("paging").path("next").path("after").asText(null);
        } while (after != null);
        assertThat(seen).hasSize(120).doesNotHaveDuplicates();
        assertThat(page).isEqualTo(3);
    }

    @Test
    void aSubmissionGivesItsContactTheConversionAsHubSpotDoes() {
        seeded(0, HubSpotSimulator.Options.defaults());
        String newsletter = simulator.createForm("Newsletter", "flow");
        String demo = simulator.createForm("Demo request", "hubspot");
        String id = simulator.createContact(Map.of("email", "ada@acme.example", "lifecyclestage", "lead"));
        simulator.submitForm(newsletter, Map.of("email", "ada@acme.example"), "https://www.example.com/blog");
        simulator.submitForm(demo, Map.of("email", "ADA@acme.example "), "https://www.example.com/demo");
        Map<String, String> contact = simulator.contact(id).orElseThrow().properties();
        assertThat(contact).containsEntry("num_conversion_events", "2")
                .containsEntry("recent_conversion_event_name", "Demo request")
                .containsEntry("first_conversion_event_name", "Newsletter");
        simulator.submitForm(demo, Map.of("email", "new@acme.example", "firstname", "Grace"), "https://x.example");
        assertThat(simulator.contacts()).anySatisfy(c -> assertThat(c.properties())
                .containsEntry("email", "new@acme.example").containsEntry("num_conversion_events", "1"));
    }

    @Test
    void refusesWithoutTheFormsScopeAndKeepsRateLimitsAndFaults() throws Exception {
        seeded(5, HubSpotSimulator.Options.defaults().withRequestsPerTenSeconds(2)
                .withClock(new HubSpotSimulatorIT.MutableClock(NOW)));
        simulator.denyScope("forms");
        Answer denied = get("/marketing/v3/forms");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body().path("category").asText()).isEqualTo("MISSING_SCOPES");
        assertThat(denied.body().path("errors").get(0).path("context").path("requiredGranularScopes").get(0).asText())
                .isEqualTo("forms");
        simulator.restoreScopes();
        assertThat(get("/marketing/v3/forms").status()).isEqualTo(200);
        assertThat(get("/marketing/v3/forms").status()).isEqualTo(429);   // the two of this window are spent
        simulator.close();

        seeded(5, HubSpotSimulator.Options.defaults());
        simulator.faults().add(FaultRule.rateLimit().withCount(1));
        Answer limited = get("/form-integrations/v1/submissions/forms/" + simulator.forms().get(0).id());
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body().path("policyName").asText()).isEqualTo("SECONDLY");
        Answer unknown = get("/form-integrations/v1/submissions/forms/no-such-form");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("status").asText()).isEqualTo("error");
    }

    @Test
    void seedsSubmissionsThatAgreeWithTheContactsConversionProperties() {
        SandboxData data = seeded(300, HubSpotSimulator.Options.defaults());
        Map<String, String> formNames = new java.util.HashMap<>();
        simulator.forms().forEach(form -> formNames.put(form.id(), form.name()));
        int submissions = simulator.forms().stream().mapToInt(f -> simulator.formSubmissions(f.id()).size()).sum();
        assertThat(submissions).isEqualTo(data.formSubmissions().size()).isPositive();
        SandboxData.GeneratedFormSubmission latest = data.formSubmissions().stream()
                .filter(s -> s.contactIndex() >= 0).reduce((a, b) -> b).orElseThrow();
        Map<String, String> contact = data.contacts().get(latest.contactIndex()).properties();
        assertThat(formNames.get(latest.formId())).isEqualTo(contact.get("recent_conversion_event_name"));
        assertThat(latest.submittedAt()).isEqualTo(Instant.parse(contact.get("recent_conversion_date")));
        assertThat(latest.submittedAt()).isAfter(NOW.minus(Duration.ofDays(800)));
    }
}
