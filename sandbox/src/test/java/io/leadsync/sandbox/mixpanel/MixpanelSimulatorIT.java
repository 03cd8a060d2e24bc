package io.leadsync.sandbox.mixpanel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.sandbox.faults.FaultRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Mixpanel simulator answers as Mixpanel's export and engage APIs do. */
class MixpanelSimulatorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString((MixpanelSimulator.USER + ":"
            + MixpanelSimulator.SECRET).getBytes(StandardCharsets.UTF_8));
    private final HttpClient http = HttpClient.newHttpClient();
    private MixpanelSimulator simulator;

    @BeforeEach
    void start() {
        simulator = MixpanelSimulator.start(MixpanelSimulator.Options.defaults().withoutRateLimits().withEngagePageSize(2)
                .withClock(Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC)));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private HttpResponse<String> export(String query, String auth) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.exportUrl() + "/export?" + query));
        if (auth != null) {
            request.header("Authorization", auth);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode engage(String form) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(simulator.queryUrl() + "/engage?project_id="
                        + MixpanelSimulator.PROJECT)).header("Authorization", AUTH)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void exportsTheEventsOfTheRequestedDaysAsJsonLines() throws Exception {
        simulator.addEvent("Viewed Pricing", "u-1", Instant.parse("2026-11-22T08:00:00Z"), "a", Map.of());
        simulator.addEvent("API Call", "u-2", Instant.parse("2026-11-23T08:00:00Z"), "b", Map.of());

        HttpResponse<String> response = export("project_id=" + MixpanelSimulator.PROJECT
                + "&from_date=2026-11-23&to_date=2026-11-23&time_in_ms=true", AUTH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        List<String> lines = response.body().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode event = JSON.readTree(lines.get(0));
        assertThat(event.path("event").asText()).isEqualTo("API Call");
        assertThat(event.path("properties").path("time").asLong()).isEqualTo(Instant.parse("2026-11-23T08:00:00Z").toEpochMilli());
        assertThat(event.path("properties").path("$insert_id").asText()).isEqualTo("b");
    }

    @Test
    void generatesTheSameEventsForADayEveryTime() throws Exception {
        simulator.generateDaily(300, 20, 9);
        String query = "project_id=" + MixpanelSimulator.PROJECT + "&from_date=2026-11-20&to_date=2026-11-20";
        String first = export(query, AUTH).body();
        assertThat(first.lines().count()).isEqualTo(300);
        assertThat(export(query, AUTH).body()).isEqualTo(first);
    }

    /** The lines of one day's export (times in ms) as it stands when the generated events stop at {@code quiet}. */
    private List<String> exportOfDayAt(String day, String quiet) throws Exception {
        simulator.quietFrom(Instant.parse(quiet));
        return export("project_id=" + MixpanelSimulator.PROJECT + "&from_date=" + day + "&to_date=" + day
                + "&time_in_ms=true", AUTH).body().lines().toList();
    }

    /** Today's events come due as time passes; one already shown never changes when a later one comes due. */
    @Test
    void anEventShownTodayKeepsItsContentAsMoreComeDue() throws Exception {
        simulator.generateDaily(300, 20, 9);
        List<String> morning = exportOfDayAt("2026-11-24", "2026-11-24T06:00:00Z");
        List<String> noon = exportOfDayAt("2026-11-24", "2026-11-24T12:00:00Z");   // the clock's now

        assertThat(morning).isNotEmpty();
        assertThat(noon).hasSizeGreaterThan(morning.size()).containsAll(morning);
        assertThat(noon).allSatisfy(line -> assertThat(JSON.readTree(line).path("properties").path("time").asLong())
                .isLessThanOrEqualTo(Instant.parse("2026-11-24T12:00:00Z").toEpochMilli() + 999));
    }

    /**
     * Every generated event carries Mixpanel's processing time; most are processed seconds after their time, a few
     * (late events) hours after it, and the export shows an event only once it is processed.
     */
    @Test
    void showsAGeneratedEventOnceMixpanelProcessedItSoSomeArriveLate() throws Exception {
        simulator.generateDaily(3000, 20, 9);
        List<String> atMidnight = exportOfDayAt("2026-11-23", "2026-11-24T00:00:00Z");
        List<String> atNoon = exportOfDayAt("2026-11-23", "2026-11-24T12:00:00Z");   // the clock's now

        assertThat(atNoon).containsAll(atMidnight).hasSizeGreaterThan(atMidnight.size());
        for (String line : atNoon) {
            JsonNode properties = JSON.readTree(line).path("properties");
            long processed = properties.path("mp_processing_time_ms").asLong();
            assertThat(processed).isGreaterThan(properties.path("time").asLong())
                    .isLessThanOrEqualTo(Instant.parse("2026-11-24T12:00:00Z").toEpochMilli());
            if (!atMidnight.contains(line)) {
                assertThat(processed - properties.path("time").asLong()).as("a late event").isGreaterThan(3_600_000);
            }
        }
    }

    @Test
    void answersMixpanelsErrorsForBadRequests() throws Exception {
        assertThat(export("from_date=2026-11-20&to_date=2026-11-20", AUTH).statusCode()).isEqualTo(400);
        HttpResponse<String> badDate = export("project_id=" + MixpanelSimulator.PROJECT + "&from_date=20-11-2026&to_date=2026-11-20", AUTH);
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badDate.body()).path("error").asText()).contains("yyyy-mm-dd");
        assertThat(export("project_id=" + MixpanelSimulator.PROJECT + "&from_date=2026-12-01&to_date=2026-12-02", AUTH)
                .statusCode()).as("a future from_date").isEqualTo(400);
        assertThat(export("project_id=" + MixpanelSimulator.PROJECT + "&from_date=2026-11-20&to_date=2026-11-20", null)
                .statusCode()).isEqualTo(401);
        simulator.faults().add(FaultRule.rateLimit().withCount(1));
        assertThat(export("project_id=" + MixpanelSimulator.PROJECT + "&from_date=2026-11-20&to_date=2026-11-20", AUTH)
                .statusCode()).isEqualTo(429);
    }

    @Test
    void pagesProfilesWithASessionAndFiltersByLastSeen() throws Exception {
        for (int i = 0; i < 5; i++) {
            simulator.addProfile("u-" + i, "p" + i + "@acme.io", "P", "" + i, Instant.parse("2026-01-01T00:00:00Z"),
                    Instant.parse("2026-11-2" + i + "T10:00:00Z"));
        }
        JsonNode first = engage("output_properties=" + URLEncoder.encode("[\"$email\"]", StandardCharsets.UTF_8));
        assertThat(first.path("total").asInt()).isEqualTo(5);
        assertThat(first.path("results").get(0).path("$properties").fieldNames()).toIterable().containsExactly("$email");
        JsonNode second = engage("page=1&session_id=" + first.path("session_id").asText());
        assertThat(second.path("results").get(0).path("$distinct_id").asText()).isEqualTo("u-2");
        assertThat(engage("page=1").path("error").asText()).contains("session_id");

        String where = URLEncoder.encode("properties[\"$last_seen\"] >= \"2026-11-23T00:00:00\"", StandardCharsets.UTF_8);
        assertThat(engage("where=" + where).path("total").asInt()).isEqualTo(2);
    }
}
