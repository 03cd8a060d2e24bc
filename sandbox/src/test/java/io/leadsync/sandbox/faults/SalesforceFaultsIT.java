package io.leadsync.sandbox.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.leadsync.sandbox.faults.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every fault kind that applies to Salesforce, over real HTTP, with the bodies Salesforce sends. */
class SalesforceFaultsIT {
    private static final String COMPOSITE = "/services/data/v60.0/composite/sobjects";
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private SalesforceSimulator salesforce;
    private final List<String> leads = new ArrayList<>();

    @BeforeEach
    void start() {
        salesforce = SalesforceSimulator.start();
        for (int i = 0; i < 10; i++) {
            leads.add(salesforce.insert("Lead", Map.of("LastName", "L" + i, "Email", "l" + i + "@acme.com",
                    "Company", "Acme"), T0, T0));
        }
    }

    @AfterEach
    void stop() {
        salesforce.close();
    }

    private HttpResponse<String> login() throws Exception {
        var o = salesforce.options();
        return Http.send("POST", salesforce.baseUrl().resolve("/services/oauth2/token"), "grant_type=password"
                        + "&client_id=" + o.clientId() + "&client_secret=" + o.clientSecret() + "&username="
                        + URLEncoder.encode(o.username(), StandardCharsets.UTF_8) + "&password=" + o.password(),
                "Content-Type", "application/x-www-form-urlencoded");
    }

    private String token() throws Exception {
        return json(login()).path("access_token").asText();
    }

    private HttpResponse<String> call(String token, String method, String path, String body) throws Exception {
        return Http.send(method, salesforce.baseUrl().resolve(path), body, "Authorization", "Bearer " + token,
                "Content-Type", "application/json");
    }

    private static String query(String soql) {
        return "/services/data/v60.0/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8);
    }

    private String scores(boolean allOrNone, int score) {
        StringBuilder body = new StringBuilder("{\"allOrNone\":" + allOrNone + ",\"records\":[");
        for (int i = 0; i < leads.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Lead\"},\"id\":\"").append(leads.get(i))
                    .append("\",\"Lead_Score__c\":").append(score).append('}');
        }
        return body.append("]}").toString();
    }

    private Object score(String id) {
        return salesforce.record("Lead", id).orElseThrow().get("Lead_Score__c");
    }

    @Test
    void rateLimitAnswersWhatSalesforceSendsWhenItShedsLoadButLetsTheLoginThrough() throws Exception {
        salesforce.faults().add(FaultRule.rateLimit());
        String token = token();

        HttpResponse<String> overloaded = call(token, "GET", query("SELECT Id FROM Lead"), null);

        assertThat(overloaded.statusCode()).isEqualTo(503);
        assertThat(json(overloaded).get(0).path("errorCode").asText()).isEqualTo("SERVER_UNAVAILABLE");
        assertThat(json(overloaded).get(0).path("message").asText()).isNotBlank();

        salesforce.faults().setPlan(FaultPlan.of(0, FaultRule.parse("RATE_LIMIT,policy=concurrent,retryAfter=2")));
        HttpResponse<String> concurrent = call(token, "GET", query("SELECT Id FROM Lead"), null);
        assertThat(concurrent.statusCode()).isEqualTo(403);
        assertThat(json(concurrent).get(0).path("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(json(concurrent).get(0).path("message").asText()).isEqualTo("ConcurrentPerOrgLongTxn Limit exceeded.");
        assertThat(concurrent.headers().firstValue("Retry-After")).hasValue("2");
        assertThatThrownBy(() -> salesforce.faults().add(FaultRule.parse("RATE_LIMIT,policy=SECONDLY")))
                .hasMessageContaining("Salesforce has no rate-limit policy 'SECONDLY'");
    }

    @Test
    void serverErrorAnswersUnknownExceptionWithAnErrorId() throws Exception {
        String token = token();
        salesforce.faults().add(FaultRule.serverError(500).withCount(1));

        HttpResponse<String> failed = call(token, "PATCH", COMPOSITE, scores(false, 70));

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(json(failed).get(0).path("errorCode").asText()).isEqualTo("UNKNOWN_EXCEPTION");
        assertThat(json(failed).get(0).path("message").asText()).startsWith("An unexpected error occurred. Please"
                + " include this ErrorId if you contact support:");
        assertThat(leads).allSatisfy(id -> assertThat(score(id)).isNull());
    }

    @Test
    void expireTokenEndsTheSessionsSoTheClientMustLogInAgain() throws Exception {
        String token = token();
        salesforce.faults().add(FaultRule.expireToken().withCount(1));

        HttpResponse<String> expired = call(token, "GET", query("SELECT Id FROM Lead"), null);

        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(json(expired).get(0).path("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        assertThat(call(token, "GET", query("SELECT Id FROM Lead"), null).statusCode()).as("the old session is over")
                .isEqualTo(401);
        assertThat(call(token(), "GET", query("SELECT Id FROM Lead"), null).statusCode()).isEqualTo(200);
    }

    @Test
    void partialBatchFailsAShareOfACollectionWithUnableToLockRowAndLeavesThoseRecords() throws Exception {
        String token = token();
        salesforce.faults().add(FaultRule.partialBatch(0.4).on("PATCH", "/services/data/*/composite/sobjects"));

        HttpResponse<String> answer = call(token, "PATCH", COMPOSITE, scores(false, 80));

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode results = json(answer);
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < leads.size(); i++) {
            JsonNode result = results.get(i);
            assertThat(result.path("id").asText()).isEqualTo(leads.get(i));
            if (result.path("success").asBoolean()) {
                assertThat(((Number) score(leads.get(i))).intValue()).isEqualTo(80);
            } else {
                failed.add(leads.get(i));
                JsonNode error = result.path("errors").get(0);
                assertThat(error.path("statusCode").asText()).isEqualTo("UNABLE_TO_LOCK_ROW");
                assertThat(error.path("message").asText()).isEqualTo("unable to obtain exclusive access to this"
                        + " record or 1 records: " + leads.get(i));
                assertThat(score(leads.get(i))).isNull();
            }
        }
        assertThat(failed).isNotEmpty().hasSizeLessThan(leads.size());

        HttpResponse<String> allOrNone = call(token, "PATCH", COMPOSITE, scores(true, 90));
        assertThat(json(allOrNone)).allSatisfy(result -> assertThat(result.path("success").asBoolean()).isFalse());
        assertThat(json(allOrNone).findValuesAsText("statusCode")).contains("UNABLE_TO_LOCK_ROW",
                "ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(leads).noneSatisfy(id -> assertThat(score(id)).isEqualTo(90));
    }

    @Test
    void dropAfterCreatesTheTasksButTheClientNeverHearsOfThem() throws Exception {
        String token = token();
        salesforce.faults().add(FaultRule.dropAfter().on("POST", "/services/data/*/composite/sobjects$"));
        String tasks = "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":\"Task\"},\"WhoId\":\""
                + leads.get(0) + "\",\"Subject\":\"Hot lead: call today\",\"Status\":\"Not Started\","
                + "\"Priority\":\"High\"}]}";

        assertThatThrownBy(() -> call(token, "POST", COMPOSITE, tasks)).isInstanceOf(IOException.class);

        assertThat(salesforce.records("Task")).singleElement().satisfies(task ->
                assertThat(task).containsEntry("Subject", "Hot lead: call today").containsEntry("WhoId", leads.get(0)));
        assertThat(salesforce.requests()).last().extracting(SalesforceSimulator.RecordedRequest::status)
                .isEqualTo(-1);
    }

    @Test
    void truncatedCutsAQueryPage() throws Exception {
        String token = token();
        salesforce.faults().add(FaultRule.truncated().withPath("/services/data/*/query").withCount(1));

        HttpResponse<String> page = call(token, "GET", query("SELECT Id, Email FROM Lead"), null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).startsWith("{\"totalSize\":10,\"done\":true,\"records\":[");
        assertThat(Http.isJson(page.body())).isFalse();
        assertThat(Http.isJson(call(token, "GET", query("SELECT Id, Email FROM Lead"), null).body())).isTrue();
    }

    @Test
    void aDeadLoginEndpointRefusesTheLoginAndTheRestOfTheOrgStillAnswers() throws Exception {
        String token = token();
        salesforce.faults().add(FaultRule.dead().withPath("/services/oauth2/"));

        assertThatThrownBy(this::login).isInstanceOf(IOException.class);
        assertThat(call(token, "GET", query("SELECT Id FROM Lead"), null).statusCode()).isEqualTo(200);
        assertThat(salesforce.faults().stats().byClass()).containsEntry(RequestClass.AUTH, 2L)
                .containsEntry(RequestClass.READ, 1L);
    }

    @Test
    void slowAndMalformedApplyToTheLoginToo() throws Exception {
        salesforce.faults().add(FaultRule.malformed().withPath("/services/oauth2/token").withCount(1));

        HttpResponse<String> page = login();

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html>");
        assertThat(login().statusCode()).isEqualTo(200);
        assertThat(URI.create(json(login()).path("instance_url").asText())).isEqualTo(salesforce.baseUrl());
    }
}
