package io.leadsync.sandbox.salesforce;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Salesforce simulator answers as Salesforce does (crm-api-contracts.md). */
class SalesforceSimulatorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private SalesforceSimulator salesforce;
    private String token;

    @BeforeEach
    void start() throws Exception {
        salesforce = SalesforceSimulator.start(SalesforceSimulator.Options.defaults().withPageSize(50));
        token = login().path("access_token").asText();
    }

    @AfterEach
    void stop() {
        salesforce.close();
    }

    private JsonNode login() throws Exception {
        var o = salesforce.options();
        HttpResponse<String> response = tokenRequest("grant_type=password&client_id=" + o.clientId()
                + "&client_secret=" + o.clientSecret() + "&username=" + enc(o.username()) + "&password="
                + o.password());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> tokenRequest(String form) throws Exception {
        return http.send(HttpRequest.newBuilder(salesforce.baseUrl().resolve("/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(salesforce.baseUrl().resolve(path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(salesforce.baseUrl().resolve(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode query(String soql, boolean all) throws Exception {
        HttpResponse<String> response = get("/services/data/v60.0/" + (all ? "queryAll" : "query") + "?q="
                + enc(soql));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void grantsTokensForEachFlowAndRefusesBadCredentials() throws Exception {
        JsonNode password = login();
        assertThat(password.path("instance_url").asText()).isEqualTo(salesforce.baseUrl().toString());
        assertThat(password.path("id").asText()).endsWith("/id/" + SalesforceSimulator.ORG_ID + "/"
                + SalesforceSimulator.USER_ID);
        assertThat(password.path("token_type").asText()).isEqualTo("Bearer");

        var o = salesforce.options();
        assertThat(tokenRequest("grant_type=refresh_token&client_id=" + o.clientId() + "&refresh_token="
                + enc(password.path("refresh_token").asText())).statusCode()).isEqualTo(200);
        assertThat(tokenRequest("grant_type=client_credentials&client_id=" + o.clientId() + "&client_secret="
                + o.clientSecret()).statusCode()).isEqualTo(200);
        String claims = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"sub\":\"" + o.username()
                + "\",\"aud\":\"https://login.salesforce.com\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(tokenRequest("grant_type=" + enc("urn:ietf:params:oauth:grant-type:jwt-bearer")
                + "&assertion=eyJhbGciOiJSUzI1NiJ9." + claims + ".c2ln").statusCode()).isEqualTo(200);

        HttpResponse<String> bad = tokenRequest("grant_type=password&client_id=" + o.clientId()
                + "&client_secret=" + o.clientSecret() + "&username=" + enc(o.username()) + "&password=wrong");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(JSON.readTree(bad.body()).path("error_description").asText()).isEqualTo("authentication failure");
    }

    @Test
    void anExpiredSessionAnswers401InvalidSessionId() throws Exception {
        salesforce.faults().add(FaultRule.expireToken().withCount(1));

        HttpResponse<String> response = get("/services/data/v60.0/query?q=" + enc("SELECT Id FROM Lead"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).get(0).path("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
    }

    @Test
    void countsEveryCallInSforceLimitInfoAndStopsAtTheDailyLimit() throws Exception {
        HttpResponse<String> first = get("/services/data/v60.0/query?q=" + enc("SELECT Id FROM Lead"));
        assertThat(first.headers().firstValue("Sforce-Limit-Info")).hasValue("api-usage=1/100000");

        salesforce.setApiCalls(100_000);
        HttpResponse<String> spent = get("/services/data/v60.0/query?q=" + enc("SELECT Id FROM Lead"));

        assertThat(spent.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(spent.body()).get(0).path("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
    }

    @Test
    void pagesByNextRecordsUrlAndOrdersBySystemModstampThenIdWithTheTieBreakWhere() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            // three records share each timestamp: the page boundary falls between equal timestamps
            ids.add(salesforce.insert("Lead", Map.of("LastName", "L" + i, "Email", "l" + i + "@acme.com",
                    "Company", "Acme"), T0, T0.plusSeconds(i / 3)));
        }
        Set<String> seen = new HashSet<>();
        JsonNode page = query("SELECT Id, Email, SystemModstamp FROM Lead ORDER BY SystemModstamp, Id", false);
        assertThat(page.path("totalSize").asInt()).isEqualTo(120);
        int pages = 1;
        page.path("records").forEach(r -> seen.add(r.path("Id").asText()));
        while (!page.path("done").asBoolean()) {
            HttpResponse<String> next = get(page.path("nextRecordsUrl").asText());
            page = JSON.readTree(next.body());
            page.path("records").forEach(r -> seen.add(r.path("Id").asText()));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(120);

        // resume after the 50th record: same timestamp and a greater id, or a later timestamp
        JsonNode first = query("SELECT Id, SystemModstamp FROM Lead ORDER BY SystemModstamp, Id LIMIT 50", false);
        JsonNode last = first.path("records").get(49);
        String stamp = last.path("SystemModstamp").asText();
        JsonNode rest = query("SELECT Id FROM Lead WHERE SystemModstamp > " + stamp + " OR (SystemModstamp = "
                + stamp + " AND Id > '" + last.path("Id").asText() + "') ORDER BY SystemModstamp, Id", false);
        assertThat(rest.path("totalSize").asInt()).isEqualTo(70);
    }

    @Test
    void queryAllSeesDeletedAndMergedRecordsWhileQueryDoesNot() throws Exception {
        String master = salesforce.create("Lead", Map.of("LastName", "Reyes", "Company", "Acme"));
        String victim = salesforce.create("Lead", Map.of("LastName", "Reyes", "Company", "Acme Inc"));
        String gone = salesforce.create("Lead", Map.of("LastName", "Kim", "Company", "Globex"));
        salesforce.merge("Lead", master, victim);
        salesforce.delete("Lead", gone);

        assertThat(query("SELECT Id FROM Lead", false).path("totalSize").asInt()).isEqualTo(1);
        JsonNode all = query("SELECT Id, IsDeleted, MasterRecordId FROM Lead WHERE IsDeleted = true", true);
        assertThat(all.path("totalSize").asInt()).isEqualTo(2);
        assertThat(all.path("records").findValuesAsText("MasterRecordId")).contains(master);
    }

    @Test
    void writesThroughCompositeCollectionsWithPerRecordResultsAndRefusesMoreThan200() throws Exception {
        String a = salesforce.create("Lead", Map.of("LastName", "A", "Company", "Acme"));
        String deleted = salesforce.create("Lead", Map.of("LastName", "B", "Company", "Acme"));
        salesforce.delete("Lead", deleted);

        HttpResponse<String> response = send("PATCH", "/services/data/v60.0/composite/sobjects", Map.of(
                "allOrNone", false, "records", List.of(
                        Map.of("attributes", Map.of("type", "Lead"), "id", a, "Lead_Score__c", 87,
                                "Lead_Grade__c", "A"),
                        Map.of("attributes", Map.of("type", "Lead"), "id", deleted, "Lead_Score__c", 10),
                        Map.of("attributes", Map.of("type", "Lead"), "id", "00Q000000000000AAA", "Lead_Score__c", 5),
                        Map.of("attributes", Map.of("type", "Lead"), "id", a, "Scroe__c", 5))));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode results = JSON.readTree(response.body());
        assertThat(results.get(0).path("success").asBoolean()).isTrue();
        assertThat(results.get(1).path("errors").get(0).path("statusCode").asText()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(results.get(2).path("errors").get(0).path("statusCode").asText())
                .isEqualTo("INVALID_CROSS_REFERENCE_KEY");
        assertThat(results.get(3).path("errors").get(0).path("statusCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(query("SELECT Lead_Score__c, Lead_Grade__c FROM Lead WHERE Id = '" + a + "'", false)
                .path("records").get(0).path("Lead_Score__c").asInt()).as("what a push writes, a query returns")
                .isEqualTo(87);

        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            tooMany.add(Map.of("attributes", Map.of("type", "Lead"), "id", a, "Lead_Score__c", i));
        }
        HttpResponse<String> refused = send("PATCH", "/services/data/v60.0/composite/sobjects",
                Map.of("allOrNone", false, "records", tooMany));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get(0).path("errorCode").asText()).isEqualTo("EXCEEDED_ID_LIMIT");
    }

    @Test
    void createsTasksAndRollsBackAllOrNone() throws Exception {
        String lead = salesforce.create("Lead", Map.of("LastName", "A", "Company", "Acme"));
        HttpResponse<String> created = send("POST", "/services/data/v60.0/composite/sobjects", Map.of(
                "allOrNone", false, "records", List.of(Map.of("attributes", Map.of("type", "Task"), "WhoId", lead,
                        "Subject", "Hot lead: call now", "Status", "Not Started", "Priority", "High"))));
        assertThat(JSON.readTree(created.body()).get(0).path("success").asBoolean()).isTrue();
        assertThat(salesforce.records("Task")).singleElement()
                .satisfies(task -> assertThat(task).containsEntry("WhoId", lead));

        HttpResponse<String> rolledBack = send("POST", "/services/data/v60.0/composite/sobjects", Map.of(
                "allOrNone", true, "records", List.of(
                        Map.of("attributes", Map.of("type", "Task"), "WhoId", lead, "Subject", "ok",
                                "Status", "Not Started", "Priority", "High"),
                        Map.of("attributes", Map.of("type", "Task"), "WhoId", lead, "Subject", "no status"))));
        JsonNode results = JSON.readTree(rolledBack.body());
        assertThat(results.get(0).path("errors").get(0).path("statusCode").asText())
                .isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(results.get(1).path("errors").get(0).path("statusCode").asText())
                .isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(salesforce.records("Task")).hasSize(1);
    }

    @Test
    void reportsMalformedQueriesAndUnknownFieldsAsSalesforceDoes() throws Exception {
        HttpResponse<String> malformed = get("/services/data/v60.0/query?q=" + enc("SELECT Id FROM Lead WHERE"));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get(0).path("errorCode").asText()).isEqualTo("MALFORMED_QUERY");

        HttpResponse<String> unknown = get("/services/data/v60.0/query?q=" + enc("SELECT Scroe__c FROM Lead"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).get(0).path("errorCode").asText()).isEqualTo("INVALID_FIELD");
    }

    @Test
    void resolvesAccountFirmographicsThroughTheRelationship() throws Exception {
        String account = salesforce.create("Account", Map.of("Name", "Acme", "Industry", "Technology",
                "NumberOfEmployees", 450, "BillingCountry", "Germany"));
        salesforce.create("Contact", Map.of("LastName", "Reyes", "AccountId", account, "Email", "r@acme.de"));

        JsonNode contact = query("SELECT Id, Email, Account.Industry, Account.NumberOfEmployees FROM Contact", false)
                .path("records").get(0);

        assertThat(contact.path("Account").path("Industry").asText()).isEqualTo("Technology");
        assertThat(contact.path("Account").path("NumberOfEmployees").asInt()).isEqualTo(450);
        assertThat(contact.path("Account").path("attributes").path("type").asText()).isEqualTo("Account");
    }

    @Test
    void answersVersionsAndIdentityForClientsStartingUp() throws Exception {
        HttpResponse<String> versions = get("/services/data/");
        assertThat(JSON.readTree(versions.body()).get(0).path("version").asText()).isEqualTo("60.0");
        HttpResponse<String> identity = get("/id/" + SalesforceSimulator.ORG_ID + "/" + SalesforceSimulator.USER_ID);
        assertThat(JSON.readTree(identity.body()).path("organization_id").asText())
                .isEqualTo(SalesforceSimulator.ORG_ID).hasSize(18);
        assertThat(URI.create(JSON.readTree(identity.body()).path("id").asText()).getPath()).startsWith("/id/");
    }

    @Test
    void runsBulkQueryJobsWithCsvResultsInLocatorPages() throws Exception {
        for (int i = 0; i < 7; i++) {
            salesforce.create("Lead", Map.of("LastName", "Lee, " + i, "Company", "Acme \"Labs\"",
                    "Email", "l" + i + "@acme.com"));
        }
        HttpResponse<String> created = send("POST", "/services/data/v60.0/jobs/query", Map.of("operation", "query",
                "query", "SELECT Id, LastName, Company FROM Lead ORDER BY Id"));
        String job = JSON.readTree(created.body()).path("id").asText();
        assertThat(job).startsWith("750").hasSize(18);

        String state = "";
        for (int poll = 0; poll < 5 && !state.equals("JobComplete"); poll++) {
            state = JSON.readTree(get("/services/data/v60.0/jobs/query/" + job).body()).path("state").asText();
        }
        assertThat(state).isEqualTo("JobComplete");

        HttpResponse<String> first = get("/services/data/v60.0/jobs/query/" + job + "/results?maxRecords=5");
        assertThat(first.headers().firstValue("Sforce-NumberOfRecords")).hasValue("5");
        assertThat(first.body().lines().toList().get(0)).isEqualTo("Id,LastName,Company");
        assertThat(first.body()).contains("\"Lee, 0\"").contains("\"Acme \"\"Labs\"\"\"");
        String locator = first.headers().firstValue("Sforce-Locator").orElseThrow();
        HttpResponse<String> second = get("/services/data/v60.0/jobs/query/" + job + "/results?maxRecords=5&locator="
                + enc(locator));
        assertThat(second.headers().firstValue("Sforce-NumberOfRecords")).hasValue("2");
        assertThat(second.headers().firstValue("Sforce-Locator")).hasValue("null");
    }
}
