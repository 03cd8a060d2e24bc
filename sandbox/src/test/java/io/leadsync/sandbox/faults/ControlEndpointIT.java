package io.leadsync.sandbox.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.sandbox.mixpanel.MixpanelSimulator;
import io.leadsync.sandbox.rest.EventsApiSimulator;
import io.leadsync.sandbox.rest.PersonsApiSimulator;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static io.leadsync.sandbox.faults.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Faults switched over HTTP, with no vendor token, change the same injector the Java API does. */
class ControlEndpointIT {
    private static final String TOKEN = HubSpotSimulator.Options.DEFAULT_TOKEN;
    private HubSpotSimulator hubspot;
    private URI faults;

    @BeforeEach
    void start() {
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        hubspot.seed(new SandboxDataGenerator(3).generate(3));
        faults = URI.create(hubspot.controlUrl() + "/faults");
    }

    @AfterEach
    void stop() {
        hubspot.close();
    }

    private int contacts() throws Exception {
        return Http.send("GET", URI.create(hubspot.baseUrl() + "/crm/v3/objects/contacts"), null, "Authorization",
                "Bearer " + TOKEN).statusCode();
    }

    @Test
    void aPlanPutAsJsonIsTheInjectorsPlanAndTheAnswerCountsWhatEachRuleDid() throws Exception {
        FaultPlan plan = FaultPlan.of(5, FaultRule.serverError(502).withMethod("GET").withCount(2));

        HttpResponse<String> put = Http.send("PUT", faults, Http.JSON.writeValueAsString(plan),
                "Content-Type", "application/json");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(hubspot.faults().plan()).isEqualTo(plan);
        assertThat(List.of(contacts(), contacts(), contacts())).containsExactly(502, 502, 200);
        JsonNode view = json(Http.send("GET", faults, null));
        assertThat(Http.JSON.treeToValue(view.path("plan"), FaultPlan.class)).isEqualTo(plan);
        assertThat(view.path("rules").get(0).path("spec").asText()).isEqualTo("SERVER_ERROR,method=GET,count=2,status=502");
        assertThat(view.path("rules").get(0).path("matched").asInt()).isEqualTo(3);
        assertThat(view.path("rules").get(0).path("fired").asInt()).isEqualTo(2);
        assertThat(view.path("stats").path("injected").path("SERVER_ERROR").asInt()).isEqualTo(2);
    }

    @Test
    void rulesArePostedAsJsonAsArraysOrAsCompactTextLines() throws Exception {
        assertThat(Http.send("POST", faults, "{\"kind\":\"RATE_LIMIT\",\"count\":1}").statusCode()).isEqualTo(200);
        assertThat(Http.send("POST", faults, "[{\"kind\":\"SLOW\",\"delayMillis\":5,\"count\":1}]").statusCode())
                .isEqualTo(200);
        assertThat(Http.send("POST", faults, "# a storm on writes\nDROP_AFTER,method=POST,share=0.1\n\n"
                + "EXPIRE_TOKEN,skip=100", "Content-Type", "text/plain").statusCode()).isEqualTo(200);

        assertThat(hubspot.faults().plan().rules()).extracting(FaultRule::kind).containsExactly(FaultKind.RATE_LIMIT,
                FaultKind.SLOW, FaultKind.DROP_AFTER, FaultKind.EXPIRE_TOKEN);
        assertThat(contacts()).isEqualTo(429);
    }

    @Test
    void deleteClearsTheRulesAndRestoresExpiredTokens() throws Exception {
        hubspot.faults().add(FaultRule.expireToken().withCount(1));
        assertThat(contacts()).isEqualTo(401);
        assertThat(contacts()).isEqualTo(401);

        JsonNode view = json(Http.send("DELETE", faults, null));

        assertThat(view.path("plan").path("rules")).isEmpty();
        assertThat(contacts()).isEqualTo(200);
    }

    @Test
    void badInputIsRefusedWith400SayingWhatWasWrongAndChangesNothing() throws Exception {
        hubspot.faults().add(FaultRule.dead().withPath("/nothing"));
        Map<String, String> refused = Map.of(
                "{\"kind\":\"TIMEOUT\"}", "unknown fault kind 'TIMEOUT'",
                "{\"kind\":\"RATE_LIMIT\",\"params\":{\"status\":\"503\"}}", "RATE_LIMIT has no parameter 'status'",
                "{\"kind\":\"RATE_LIMIT\",\"params\":{\"policy\":\"HOURLY\"}}", "HubSpot has no rate-limit policy 'HOURLY'",
                "{\"kind\":\"DEAD\",\"chance\":0.5}", "chance",
                "{\"kind\":", "not a valid fault rule or plan",
                "DROP_AFTER,share=2", "share must be between 0 and 1 but was 2.0",
                "", "no rule given");
        for (Map.Entry<String, String> each : refused.entrySet()) {
            HttpResponse<String> answer = Http.send("POST", faults, each.getKey());
            assertThat(answer.statusCode()).as(each.getKey()).isEqualTo(400);
            assertThat(json(answer).path("error").asText()).as(each.getKey()).contains(each.getValue());
        }
        HttpResponse<String> badPlan = Http.send("PUT", faults, "{\"seed\":1,\"rules\":[{\"kind\":\"DEAD\"},"
                + "{\"kind\":\"SERVER_ERROR\",\"params\":{\"status\":\"404\"}}]}");
        assertThat(badPlan.statusCode()).isEqualTo(400);
        assertThat(json(badPlan).path("error").asText()).isEqualTo("SERVER_ERROR status must be a 5xx status but was 404");
        assertThat(hubspot.faults().plan()).as("unchanged").isEqualTo(FaultPlan.of(0, FaultRule.dead()
                .withPath("/nothing")));

        HttpResponse<String> patch = Http.send("PATCH", faults, "{}");
        assertThat(patch.statusCode()).isEqualTo(405);
        assertThat(patch.headers().firstValue("Allow")).hasValue("GET, PUT, POST, DELETE");
        assertThat(Http.send("GET", URI.create(hubspot.controlUrl() + "/nothing"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void statsCountReadsWritesRoutesAndFaultsButNotControlCalls() throws Exception {
        String id = hubspot.contacts().get(0).id();
        hubspot.faults().add(FaultRule.rateLimit().withMethod("PATCH").withCount(1));
        contacts();
        for (int i = 0; i < 2; i++) {
            Http.send("PATCH", URI.create(hubspot.baseUrl() + "/crm/v3/objects/contacts/" + id),
                    "{\"properties\":{\"jobtitle\":\"CEO\"}}", "Authorization", "Bearer " + TOKEN,
                    "Content-Type", "application/json");
        }
        Http.send("POST", URI.create(hubspot.baseUrl() + "/crm/v3/objects/contacts/search"), "{}",
                "Authorization", "Bearer " + TOKEN, "Content-Type", "application/json");
        Http.send("GET", faults, null);

        JsonNode stats = json(Http.send("GET", URI.create(hubspot.controlUrl() + "/stats"), null));

        assertThat(stats.path("requests").asInt()).isEqualTo(4);
        assertThat(stats.path("byClass").path("READ").asInt()).as("a search reads").isEqualTo(2);
        assertThat(stats.path("byClass").path("WRITE").asInt()).isEqualTo(2);
        assertThat(stats.path("byRoute").path("PATCH /crm/v3/objects/contacts/{id}").asInt()).isEqualTo(2);
        assertThat(stats.path("injected").path("RATE_LIMIT").asInt()).isEqualTo(1);
        assertThat(json(Http.send("DELETE", URI.create(hubspot.controlUrl() + "/stats"), null)).path("requests")
                .asInt()).isZero();
    }

    @Test
    void everySimulatorServesTheControlEndpointWithoutVendorCredentials() throws Exception {
        try (SalesforceSimulator salesforce = SalesforceSimulator.start();
             MixpanelSimulator mixpanel = MixpanelSimulator.start();
             PersonsApiSimulator persons = PersonsApiSimulator.start();
             EventsApiSimulator events = EventsApiSimulator.start()) {
            Map<String, URI> controls = Map.of("hubspot", hubspot.controlUrl(), "salesforce", salesforce.controlUrl(),
                    "mixpanel", mixpanel.controlUrl(), "persons-api", persons.controlUrl(), "events-api",
                    events.controlUrl());
            for (Map.Entry<String, URI> control : controls.entrySet()) {
                JsonNode index = json(Http.send("GET", control.getValue(), null));
                assertThat(index.path("simulator").asText()).isEqualTo(control.getKey());
                assertThat(index.path("faults").asText()).isEqualTo(control.getValue() + "/faults");
                assertThat(index.path("kinds").path("TRUNCATED")).extracting(JsonNode::asText)
                        .containsExactly("at", "cut");
                assertThat(Http.send("POST", URI.create(control.getValue() + "/faults"), "SLOW,delay=1ms")
                        .statusCode()).isEqualTo(200);
            }
            assertThat(salesforce.faults().plan().rules()).hasSize(1);
            assertThat(mixpanel.faults().plan().rules()).hasSize(1);
        }
    }
}
