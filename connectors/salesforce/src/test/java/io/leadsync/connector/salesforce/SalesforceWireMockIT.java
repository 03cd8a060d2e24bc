package io.leadsync.connector.salesforce;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.leadsync.connector.AuthenticationException;
import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.QuotaExhaustedException;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.WriteField;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each error form of {@code shared/docs/crm-api-contracts.md} as Salesforce sends it, served by WireMock, and what
 * the connector makes of it. (300 Multiple Choices answers only upserts by external id, which leadsync does not
 * use: it writes to records by their Salesforce id.)
 */
class SalesforceWireMockIT {
    private static final String TOKEN = "/services/oauth2/token";
    private static final String LIMITS = "/services/data/v60.0/limits";
    private static final String QUERY = "/services/data/v60.0/query";
    private static final String COLLECTIONS = "/services/data/v60.0/composite/sobjects";
    private static final String LEAD_A = "00Q5g00000AbCdEEA1";
    private static final String LEAD_B = "00Q5g00000AbCdFEA1";
    private WireMockServer server;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(post(urlPathEqualTo(TOKEN)).willReturn(okJson("{\"access_token\":\"00D5g000004sAbC!AQ4AQFakeToken\","
                + "\"instance_url\":\"" + server.baseUrl() + "\",\"id\":\"" + server.baseUrl()
                + "/id/00D5g000004sAbCEAU/0055g00000AbCdEAAV\",\"token_type\":\"Bearer\","
                + "\"issued_at\":\"1764000000000\",\"signature\":\"c2lnbmF0dXJl\"}")));
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        server.stop();
    }

    private Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("type", "salesforce");
        settings.put("login-url", server.baseUrl());
        settings.put("auth", Map.of("client-id", "3MVG9client", "client-secret", "wiremock-secret", "username",
                "integration@example.com", "password", "pw-and-token"));
        settings.put("retry", Map.of("max-attempts", "3"));
        settings.put("read", Map.of("streams", List.of("leads")));
        settings.put("write", Map.of("tasks", Map.of("enabled", "true")));
        return settings;
    }

    private SourceConnector source() {
        return new SalesforceConnectorFactory().createSource(ConnectorSettings.of("salesforce-main",
                "sync.connectors.salesforce-main", settings()), ConnectorContext.of(Clock.systemUTC(), camel));
    }

    private SinkConnector sink() {
        return new SalesforceConnectorFactory().createSink(ConnectorSettings.of("salesforce-main",
                "sync.connectors.salesforce-main", settings()), ConnectorContext.of(Clock.systemUTC(), camel));
    }

    private static String errors(String errorCode, String message) {
        return "[{\"message\":\"" + message + "\",\"errorCode\":\"" + errorCode + "\"}]";
    }

    private static String limits(long remaining) {
        return "{\"DailyApiRequests\":{\"Max\":100000,\"Remaining\":" + remaining + "}}";
    }

    private static FieldChange score(String id, int score) {
        return new FieldChange(new ExternalId("salesforce-main", id), Map.of(WriteField.SCORE, Integer.toString(score)));
    }

    private static void readAll(SourceConnector source) {
        try (var pages = source.read(new StreamId("salesforce-main", "leads"), null)) {
            pages.forEach(page -> { });
        }
    }

    @Test
    void invalidSessionIdLogsInAgainOnceAndRetries() {
        server.stubFor(get(urlPathEqualTo(LIMITS)).inScenario("session").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody(errors("INVALID_SESSION_ID", "Session expired or invalid")))
                .willSetStateTo("expired"));
        server.stubFor(get(urlPathEqualTo(LIMITS)).inScenario("session").whenScenarioStateIs("expired")
                .willReturn(okJson(limits(99_000))));

        CheckResult check = source().check();

        assertThat(check.ok()).as(check.message()).isTrue();
        assertThat(check.message()).contains("99000 of 100000 daily API requests left");
        server.verify(2, postRequestedFor(urlPathEqualTo(TOKEN)));
        server.verify(2, getRequestedFor(urlPathEqualTo(LIMITS)));
    }

    @Test
    void aSessionRefusedAgainAfterTheNewLoginIsAnAuthenticationError() {
        server.stubFor(get(urlPathEqualTo(QUERY)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody(errors("INVALID_SESSION_ID", "Session expired or invalid"))));

        assertThatThrownBy(() -> readAll(source())).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("401 INVALID_SESSION_ID").hasMessageContaining("after logging in again");
        // camel-salesforce logs in again on each 401 and gives up after its own attempts; the connector adds none
        assertThat(server.findAll(getRequestedFor(urlPathEqualTo(QUERY)))).hasSizeBetween(2, 3);
        assertThat(server.findAll(postRequestedFor(urlPathEqualTo(TOKEN)))).hasSizeBetween(2, 3);
    }

    @Test
    void aRefusedLoginSaysWhichCredentialsToCheckAndNeverEchoesThem() {
        server.stubFor(post(urlPathEqualTo(TOKEN)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}")));

        CheckResult check = source().check();

        assertThat(check.ok()).isFalse();
        assertThat(check.message()).contains("invalid_grant: authentication failure").contains("auth.password")
                .doesNotContain("wiremock-secret").doesNotContain("pw-and-token");
    }

    @Test
    void requestLimitExceededStopsTheJobWithoutRetrying() {
        server.stubFor(get(urlPathEqualTo(QUERY)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withHeader("Sforce-Limit-Info", "api-usage=100012/100000")
                .withBody(errors("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))));

        assertThatThrownBy(() -> readAll(source())).isInstanceOf(QuotaExhaustedException.class)
                .hasMessageContaining("REQUEST_LIMIT_EXCEEDED").hasMessageContaining("100012/100000");
        server.verify(1, getRequestedFor(urlPathEqualTo(QUERY)));
    }

    @Test
    void aMalformedQueryFailsTheReadWithSalesforcesErrorCodeAndMessage() {
        server.stubFor(get(urlPathEqualTo(QUERY)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody(errors("INVALID_FIELD", "No such column 'Rating__c' on entity 'Lead'."))));

        assertThatThrownBy(() -> readAll(source())).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("GET " + QUERY).hasMessageContaining("400 INVALID_FIELD")
                .hasMessageContaining("No such column 'Rating__c'");
        server.verify(1, getRequestedFor(urlPathEqualTo(QUERY)));
    }

    @Test
    void aServerErrorIsRetriedAndTheReadGoesOn() {
        server.stubFor(get(urlPathEqualTo(QUERY)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody(errors("SERVER_UNAVAILABLE", "Service temporarily unavailable")))
                .willSetStateTo("recovered"));
        server.stubFor(get(urlPathEqualTo(QUERY)).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson("{\"totalSize\":1,\"done\":true,\"records\":[{\"attributes\":{\"type\":\"Lead\","
                        + "\"url\":\"/services/data/v60.0/sobjects/Lead/" + LEAD_A + "\"},\"Id\":\"" + LEAD_A + "\","
                        + "\"SystemModstamp\":\"2026-11-20T10:00:00.000+0000\",\"LastName\":\"Reyes\","
                        + "\"Company\":\"Acme\",\"Email\":\"ana.reyes@acme.example\",\"NumberOfEmployees\":250,"
                        + "\"AnnualRevenue\":5.0E7,\"IsDeleted\":false,\"IsConverted\":false}]}")));
        SourceConnector source = source();

        List<io.leadsync.connector.SourceRecord> records;
        try (var pages = source.read(new StreamId("salesforce-main", "leads"), null)) {
            records = pages.flatMap(page -> page.items().stream()).toList();
        }

        assertThat(records).singleElement().satisfies(record -> {
            var person = (io.leadsync.connector.Person) record.value();
            assertThat(person.email()).isEqualTo("ana.reyes@acme.example");
            assertThat(person.attributes()).containsEntry("numberofemployees", "250")
                    .containsEntry("annualrevenue", "50000000");
        });
        server.verify(2, getRequestedFor(urlPathEqualTo(QUERY)));
    }

    @Test
    void perRecordFailuresOfACollectionCallAreMappedBackToTheirRecords() {
        server.stubFor(patch(urlPathEqualTo(COLLECTIONS)).willReturn(okJson("[{\"id\":\"" + LEAD_A
                + "\",\"success\":true,\"errors\":[]},{\"success\":false,\"errors\":[{\"statusCode\":"
                + "\"FIELD_CUSTOM_VALIDATION_EXCEPTION\",\"message\":\"Score cannot drop below 0\",\"fields\":"
                + "[\"Lead_Score__c\"]}]}]")));

        List<RecordResult> results = sink().write(List.of(score(LEAD_A, 80), score(LEAD_B, -5)));

        assertThat(results.get(0).success()).isTrue();
        assertThat(results.get(1).success()).isFalse();
        assertThat(results.get(1).target().id()).isEqualTo(LEAD_B);
        assertThat(results.get(1).errorCode()).isEqualTo("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        assertThat(results.get(1).message()).contains("Score cannot drop below 0").contains("Lead_Score__c");
        server.verify(1, patchRequestedFor(urlPathEqualTo(COLLECTIONS))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.allOrNone",
                        equalTo("false"))));
    }

    @Test
    void aCollectionCallRefusedAsAWholeFailsEachOfItsRecordsWithTheReason() {
        server.stubFor(patch(urlPathEqualTo(COLLECTIONS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(errors("EXCEEDED_ID_LIMIT",
                        "record limit reached. cannot submit more than 200 records into this call"))));

        List<RecordResult> results = sink().write(List.of(score(LEAD_A, 80), score(LEAD_B, 20)));

        assertThat(results).hasSize(2).allSatisfy(result -> {
            assertThat(result.success()).isFalse();
            assertThat(result.errorCode()).isEqualTo("EXCEEDED_ID_LIMIT");
        });
    }

    @Test
    void anIdThatIsNeitherLeadNorContactFailsWithoutACall() {
        List<RecordResult> results = sink().write(List.of(score("0015g00000AbCdEEA1", 80)));

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.success()).isFalse();
            assertThat(result.errorCode()).isEqualTo("MALFORMED_ID");
        });
        server.verify(0, patchRequestedFor(urlPathEqualTo(COLLECTIONS)));
    }

    @Test
    void aUserWithoutViewSetupStillPassesTheCheckThroughTheResourceDirectory() {
        server.stubFor(get(urlPathEqualTo(LIMITS)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody(errors("INSUFFICIENT_ACCESS", "The REST API limits resource requires the View Setup and"
                        + " Configuration permission"))));
        server.stubFor(get(urlPathEqualTo("/services/data/v60.0/")).willReturn(okJson("{\"sobjects\":"
                + "\"/services/data/v60.0/sobjects\"}").withHeader("Sforce-Limit-Info", "api-usage=1200/100000")));

        CheckResult check = source().check();

        assertThat(check.ok()).as(check.message()).isTrue();
        assertThat(check.message()).contains("daily API usage 1200/100000");
    }

    @Test
    void sforceLimitInfoAboveTheConfiguredShareStopsBeforeTheNextCall() {
        server.stubFor(get(urlPathEqualTo(LIMITS)).willReturn(okJson(limits(15_000))
                .withHeader("Sforce-Limit-Info", "api-usage=85000/100000")));
        server.stubFor(get(urlPathEqualTo("/services/data/v60.0/")).willReturn(okJson("{}")
                .withHeader("Sforce-Limit-Info", "api-usage=85001/100000")));
        SinkConnector sink = sink();
        assertThat(sink.check().ok()).isTrue();

        assertThatThrownBy(() -> sink.write(List.of(score(LEAD_A, 80)))).isInstanceOf(QuotaExhaustedException.class)
                .hasMessageContaining("85001 of the org's 100000").hasMessageContaining("80%");
        server.verify(0, patchRequestedFor(urlPathEqualTo(COLLECTIONS)));
    }
}
