package io.leadsync.sandbox.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.leadsync.sandbox.faults.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every fault kind against the HubSpot simulator, over real HTTP, with HubSpot's own bodies and headers. */
class HubSpotFaultsIT {
    private static final String TOKEN = HubSpotSimulator.Options.DEFAULT_TOKEN;
    private static final String UPDATE = "/crm/v3/objects/contacts/batch/update";
    private HubSpotSimulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    private HubSpotSimulator start(HubSpotSimulator.Options options, int contacts) {
        simulator = HubSpotSimulator.start(options);
        simulator.seed(new SandboxDataGenerator(3).generate(contacts));
        return simulator;
    }

    private HubSpotSimulator start(int contacts) {
        return start(HubSpotSimulator.Options.defaults().withoutRateLimits(), contacts);
    }

    private URI uri(String path) {
        return URI.create(simulator.baseUrl() + path);
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return Http.send(method, uri(path), body, "Authorization", "Bearer " + TOKEN, "Content-Type",
                "application/json");
    }

    private List<String> ids() {
        return simulator.contacts().stream().map(HubSpotSimulator.SimulatedObject::id).toList();
    }

    private static String batchUpdate(List<String> ids, String jobTitle) {
        StringBuilder body = new StringBuilder("{\"inputs\":[");
        for (int i = 0; i < ids.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(ids.get(i))
                    .append("\",\"properties\":{\"jobtitle\":\"").append(jobTitle).append("\"}}");
        }
        return body.append("]}").toString();
    }

    private String jobTitle(String id) {
        return simulator.contact(id).orElseThrow().properties().get("jobtitle");
    }

    @Test
    void rateLimitAnswersHubSpots429WithItsPolicyBodyAndRateLimitHeaders() throws Exception {
        start(HubSpotSimulator.Options.defaults(), 3);
        simulator.faults().add(FaultRule.rateLimit().withCount(1));

        HttpResponse<String> limited = call("GET", "/crm/v3/objects/contacts", null);

        assertThat(limited.statusCode()).isEqualTo(429);
        JsonNode body = json(limited);
        assertThat(body.path("status").asText()).isEqualTo("error");
        assertThat(body.path("message").asText()).isEqualTo("You have reached your secondly limit.");
        assertThat(body.path("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(body.path("policyName").asText()).isEqualTo("SECONDLY");
        assertThat(body.path("correlationId").asText()).isNotBlank();
        assertThat(body.has("category")).isFalse();
        assertThat(limited.headers().firstValue("X-HubSpot-RateLimit-Max")).hasValue("190");
        assertThat(limited.headers().firstValue("X-HubSpot-RateLimit-Remaining")).hasValue("0");
        assertThat(limited.headers().firstValue("X-HubSpot-RateLimit-Interval-Milliseconds")).hasValue("10000");
        assertThat(limited.headers().firstValue("Retry-After")).isEmpty();
        assertThat(call("GET", "/crm/v3/objects/contacts", null).statusCode()).isEqualTo(200);

        simulator.faults().add(FaultRule.parse("RATE_LIMIT,policy=TEN_SECONDLY_ROLLING,retryAfter=3,count=1"));
        HttpResponse<String> rolling = call("GET", "/crm/v3/objects/contacts", null);
        assertThat(json(rolling).path("message").asText()).isEqualTo("You have reached your ten_secondly_rolling limit.");
        assertThat(rolling.headers().firstValue("Retry-After")).hasValue("3");

        simulator.faults().add(FaultRule.parse("RATE_LIMIT,policy=DAILY,count=1"));
        HttpResponse<String> search = call("POST", "/crm/v3/objects/contacts/search", "{}");
        assertThat(json(search).path("policyName").asText()).isEqualTo("DAILY");
        assertThat(search.headers().firstValue("X-HubSpot-RateLimit-Max")).as("search answers carry none").isEmpty();

        assertThatThrownBy(() -> simulator.faults().add(FaultRule.parse("RATE_LIMIT,policy=HOURLY")))
                .hasMessageContaining("HubSpot has no rate-limit policy 'HOURLY'");
    }

    @Test
    void serverErrorAnswersHubSpotsErrorBodyWithoutProcessing() throws Exception {
        start(2);
        String id = ids().get(0);
        String before = jobTitle(id);
        simulator.faults().add(FaultRule.serverError(503).on("PATCH", "/crm/v3/objects/contacts/").withCount(1));

        HttpResponse<String> failed = call("PATCH", "/crm/v3/objects/contacts/" + id,
                "{\"properties\":{\"jobtitle\":\"CTO\"}}");

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(json(failed).path("status").asText()).isEqualTo("error");
        assertThat(json(failed).path("message").asText()).isEqualTo("Service Unavailable");
        assertThat(json(failed).path("correlationId").asText()).isNotBlank();
        assertThat(jobTitle(id)).isEqualTo(before);
    }

    @Test
    void slowAnswersAfterTheDelayAndAHungAnswerEndsWhenTheSimulatorCloses() throws Exception {
        start(1);
        simulator.faults().add(FaultRule.slow(Duration.ofMillis(400)).withCount(1));
        long started = System.nanoTime();

        assertThat(call("GET", "/crm/v3/objects/contacts", null).statusCode()).isEqualTo(200);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        simulator.faults().add(FaultRule.slow(Duration.ofMinutes(10)));
        CompletableFuture<HttpResponse<String>> hung = Http.sendAsync("GET", uri("/crm/v3/objects/contacts"), null,
                "Authorization", "Bearer " + TOKEN);
        Thread.sleep(200);
        assertThat(hung).isNotDone();
        simulator.close();
        assertThatThrownBy(() -> hung.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void dropBeforeClosesTheConnectionAndTheWriteNeverHappens() throws Exception {
        start(1);
        simulator.faults().add(FaultRule.dropBefore().on("POST", "/crm/v3/objects/contacts$").withCount(1));

        assertThatThrownBy(() -> call("POST", "/crm/v3/objects/contacts",
                "{\"properties\":{\"email\":\"new@acme.io\"}}")).isInstanceOf(IOException.class);

        assertThat(simulator.contacts()).hasSize(1);
        assertThat(simulator.requests()).extracting(HubSpotSimulator.RecordedRequest::status).containsExactly(-1);
    }

    @Test
    void dropAfterWritesThenClosesTheConnectionSoTheClientCannotKnowTheWriteHappened() throws Exception {
        start(3);
        List<String> ids = ids();
        simulator.faults().add(FaultRule.dropAfter().on("POST", UPDATE).withCount(1));

        assertThatThrownBy(() -> call("POST", UPDATE, batchUpdate(ids, "Head of Growth")))
                .isInstanceOf(IOException.class);

        assertThat(ids).allSatisfy(id -> assertThat(jobTitle(id)).isEqualTo("Head of Growth"));
        assertThat(simulator.faults().stats().injected(FaultKind.DROP_AFTER)).isEqualTo(1);
        assertThat(call("POST", UPDATE, batchUpdate(ids, "Head of Growth")).statusCode()).as("the retry")
                .isEqualTo(200);
    }

    @Test
    void malformedAnswers200WithAProxyPageAndCanFollowTheWrite() throws Exception {
        start(1);
        String id = ids().get(0);
        simulator.faults().add(FaultRule.malformed().withCount(1));

        HttpResponse<String> page = call("GET", "/crm/v3/objects/contacts", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).startsWith("<!DOCTYPE html>");
        assertThat(Http.isJson(page.body())).isFalse();

        simulator.faults().add(FaultRule.parse("MALFORMED,method=PATCH,processed=true,contentType=application/json,"
                + "body=<html>upstream error</html>"));
        HttpResponse<String> written = call("PATCH", "/crm/v3/objects/contacts/" + id,
                "{\"properties\":{\"jobtitle\":\"VP Sales\"}}");
        assertThat(written.statusCode()).isEqualTo(200);
        assertThat(written.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(written.body()).isEqualTo("<html>upstream error</html>");
        assertThat(jobTitle(id)).isEqualTo("VP Sales");
    }

    @Test
    void truncatedCutsTheBodyOfAWellFormedAnswerOrClosesTheConnectionShortOfItsLength() throws Exception {
        start(20);
        URI contacts = uri("/crm/v3/objects/contacts?limit=20");
        byte[] whole = Http.client().send(Http.request("GET", contacts, null, "Authorization", "Bearer " + TOKEN)
                .build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        simulator.faults().add(FaultRule.truncated().withCount(1));

        HttpResponse<byte[]> cut = Http.client().send(Http.request("GET", contacts, null, "Authorization",
                "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(cut.statusCode()).isEqualTo(200);
        assertThat(cut.headers().firstValueAsLong("Content-Length")).hasValue(cut.body().length);
        assertThat(cut.body().length).isBetween(whole.length / 2 - 2, whole.length / 2 + 2);
        assertThat(java.util.Arrays.copyOf(whole, cut.body().length)).isEqualTo(cut.body());
        assertThat(Http.isJson(new String(cut.body(), java.nio.charset.StandardCharsets.UTF_8))).isFalse();

        simulator.faults().add(FaultRule.parse("TRUNCATED,cut=connection,at=0.1,count=1"));
        assertThatThrownBy(() -> call("GET", "/crm/v3/objects/contacts?limit=20", null))
                .isInstanceOf(IOException.class).hasMessageContaining("content-length");
    }

    @Test
    void expireTokenMakesTheTokenAnswer401UntilTheFaultsAreCleared() throws Exception {
        start(HubSpotSimulator.Options.defaults().withoutRateLimits().withTokens(Set.of(TOKEN, "pat-other")), 1);
        simulator.faults().add(FaultRule.expireToken().withCount(1));

        HttpResponse<String> expired = call("GET", "/crm/v3/objects/contacts", null);

        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(json(expired).path("category").asText()).isEqualTo("EXPIRED_AUTHENTICATION");
        assertThat(json(call("GET", "/crm/v3/objects/contacts", null)).path("category").asText())
                .as("the token stays expired").isEqualTo("EXPIRED_AUTHENTICATION");
        assertThat(Http.send("GET", uri("/crm/v3/objects/contacts"), null, "Authorization", "Bearer pat-other")
                .statusCode()).as("another token still works").isEqualTo(200);
        simulator.faults().clear();
        assertThat(call("GET", "/crm/v3/objects/contacts", null).statusCode()).isEqualTo(200);
    }

    @Test
    void partialBatchFailsAShareOfABatchUpdateIn207AndLeavesThoseContactsUnchanged() throws Exception {
        start(10);
        List<String> ids = ids();
        java.util.Map<String, String> before = new java.util.HashMap<>();
        ids.forEach(id -> before.put(id, jobTitle(id)));
        simulator.faults().setPlan(FaultPlan.of(11, FaultRule.partialBatch(0.3).on("POST", UPDATE)));

        HttpResponse<String> answer = call("POST", UPDATE, batchUpdate(ids, "Data Engineer"));

        assertThat(answer.statusCode()).isEqualTo(207);
        JsonNode error = json(answer).path("errors").get(0);
        assertThat(error.path("status").asText()).isEqualTo("error");
        assertThat(error.path("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        Set<String> failed = new HashSet<>();
        error.path("context").path("ids").forEach(node -> failed.add(node.asText()));
        assertThat(failed).isNotEmpty().hasSizeLessThan(10);
        assertThat(json(answer).path("results")).hasSize(10 - failed.size());
        for (String id : ids) {
            assertThat(jobTitle(id)).as(id).isEqualTo(failed.contains(id) ? before.get(id) : "Data Engineer");
        }

        // the same plan on the same sequence fails the same contacts
        HubSpotSimulator first = simulator;
        simulator = null;
        first.close();
        start(10);
        simulator.faults().setPlan(FaultPlan.of(11, FaultRule.partialBatch(0.3).on("POST", UPDATE)
                .withParam("error", "VALIDATION_ERROR")));
        JsonNode again = json(call("POST", UPDATE, batchUpdate(ids(), "Data Engineer"))).path("errors").get(0);
        List<String> failedAgain = new ArrayList<>();
        again.path("context").path("ids").forEach(node -> failedAgain.add(node.asText()));
        assertThat(failedAgain).containsExactlyInAnyOrderElementsOf(failed);
        assertThat(again.path("category").asText()).isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void deadRefusesEveryRequestUntilCleared() throws Exception {
        start(1);
        simulator.faults().add(FaultRule.dead());

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> call("GET", "/crm/v3/objects/contacts", null)).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> call("POST", UPDATE, "{\"inputs\":[]}")).isInstanceOf(IOException.class);
        assertThat(Http.send("DELETE", URI.create(simulator.controlUrl() + "/faults"), null).statusCode())
                .isEqualTo(200);
        assertThat(call("GET", "/crm/v3/objects/contacts", null).statusCode()).isEqualTo(200);
        FaultStats stats = simulator.faults().stats();
        // the JDK client sends a GET once more when its connection closes before any answer: 3 GETs arrive twice
        assertThat(stats.injected(FaultKind.DEAD)).isEqualTo(stats.requests() - 1).isEqualTo(7);
        assertThat(stats.route("GET /crm/v3/objects/contacts")).isEqualTo(7);
    }
}
