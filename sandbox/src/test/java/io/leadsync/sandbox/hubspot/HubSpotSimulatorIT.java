package io.leadsync.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.faults.FaultRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The HubSpot simulator answers as HubSpot does (shared/docs/crm-api-contracts.md), over real HTTP. */
class HubSpotSimulatorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private HubSpotSimulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    private HubSpotSimulator start(HubSpotSimulator.Options options, int contacts) {
        simulator = HubSpotSimulator.start(options);
        if (contacts > 0) {
            simulator.seed(new SandboxDataGenerator(3).generate(contacts));
        }
        return simulator;
    }

    private record Answer(int status, JsonNode body, Map<String, List<String>> headers) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private Answer call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? JSON.createObjectNode()
                : JSON.readTree(response.body()), response.headers().map());
    }

    private Answer call(String method, String path, String body) throws Exception {
        return call(method, path, body, HubSpotSimulator.Options.DEFAULT_TOKEN);
    }

    private static String search(String filterValue, int limit, String after) {
        return "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"lastmodifieddate\",\"operator\":\"GTE\",\"value\":\""
                + filterValue + "\"}]}],\"sorts\":[{\"propertyName\":\"lastmodifieddate\",\"direction\":\"ASCENDING\"}],"
                + "\"limit\":" + limit + (after == null ? "" : ",\"after\":\"" + after + "\"") + "}";
    }

    @Test
    void listsEveryContactOnceFollowingPagingAfter() throws Exception {
        start(HubSpotSimulator.Options.defaults().withoutRateLimits(), 25);
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            Answer page = call("GET", "/crm/v3/objects/contacts?limit=4" + (after == null ? "" : "&after=" + after), null);
            assertThat(page.status()).isEqualTo(200);
            page.body().path("results").forEach(r -> ids.add(r.path("id").asText()));
            after = page.body().path("paging").path("next").path("after").asText(null);
        } while (after != null);
        assertThat(ids).hasSize(25).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(Long.parseLong(a),
                Long.parseLong(b)));
        assertThat(call("GET", "/crm/v3/objects/contacts?limit=101", null).status()).isEqualTo(400);
    }

    @Test
    void searchesByModificationTimeAscendingWithOffsetPaging() throws Exception {
        start(HubSpotSimulator.Options.defaults().withoutRateLimits(), 40);
        List<Instant> times = simulator.contacts().stream().map(HubSpotSimulator.SimulatedObject::updatedAt).sorted().toList();
        Instant bound = times.get(10);

        List<Instant> seen = new ArrayList<>();
        String after = null;
        do {
            Answer page = call("POST", "/crm/v3/objects/contacts/search", search(Long.toString(bound.toEpochMilli()), 7, after));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("X-HubSpot-RateLimit-Remaining")).as("search answers carry no rate-limit headers").isNull();
            page.body().path("results").forEach(r -> seen.add(Instant.parse(r.path("properties").path("lastmodifieddate").asText())));
            after = page.body().path("paging").path("next").path("after").asText(null);
        } while (after != null);

        assertThat(seen).hasSize(30).isSorted().allSatisfy(t -> assertThat(t).isAfterOrEqualTo(bound));
        assertThat(call("POST", "/crm/v3/objects/contacts/search", "{}").body().path("total").asInt()).isEqualTo(40);
        assertThat(call("POST", "/crm/v3/objects/contacts/search", search("0", 201, null)).status()).isEqualTo(400);
    }

    @Test
    void capsAQueryAtItsResultLimitAndARestartFromTheLastTimeReachesTheRest() throws Exception {
        start(HubSpotSimulator.Options.defaults().withoutRateLimits().withSearchResultCap(20), 50);
        Answer last = call("POST", "/crm/v3/objects/contacts/search", search("0", 10, "10"));
        assertThat(last.body().path("paging").path("next").path("after").asText()).isEqualTo("20");
        Answer past = call("POST", "/crm/v3/objects/contacts/search", search("0", 10, "20"));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.body().path("category").asText()).isEqualTo("VALIDATION_ERROR");

        String lastSeen = last.body().path("results").get(9).path("properties").path("lastmodifieddate").asText();
        Answer restarted = call("POST", "/crm/v3/objects/contacts/search",
                search(Long.toString(Instant.parse(lastSeen).toEpochMilli()), 10, null));
        assertThat(restarted.body().path("total").asInt()).isEqualTo(31);
    }

    @Test
    void updatesABatchAndFailsOnlyTheUnknownIdWith207() throws Exception {
        start(HubSpotSimulator.Options.defaults().withoutRateLimits(), 3);
        List<String> ids = simulator.contacts().stream().map(HubSpotSimulator.SimulatedObject::id).toList();
        Instant before = simulator.contact(ids.get(0)).orElseThrow().updatedAt();
        String body = "{\"inputs\":[{\"id\":\"" + ids.get(0) + "\",\"properties\":{\"jobtitle\":\"CTO\"}},"
                + "{\"id\":\"999999\",\"properties\":{\"jobtitle\":\"CTO\"}},"
                + "{\"id\":\"" + ids.get(1) + "\",\"properties\":{\"jobtitle\":\"CFO\"}}]}";

        Answer answer = call("POST", "/crm/v3/objects/contacts/batch/update", body);

        assertThat(answer.status()).isEqualTo(207);
        assertThat(answer.body().path("status").asText()).isEqualTo("COMPLETE");
        assertThat(answer.body().path("numErrors").asInt()).isEqualTo(1);
        JsonNode error = answer.body().path("errors").get(0);
        assertThat(error.path("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(error.path("context").path("ids").toString()).isEqualTo("[\"999999\"]");
        assertThat(call("GET", "/crm/v3/objects/contacts/" + ids.get(1) + "?properties=jobtitle", null)
                .body().path("properties").path("jobtitle").asText()).isEqualTo("CFO");
        assertThat(simulator.contact(ids.get(0)).orElseThrow().updatedAt()).isAfterOrEqualTo(before);
    }

    @Test
    void refusesABatchAboveOneHundredDuplicatesAndInvalidValuesWhole() throws Exception {
        start(HubSpotSimulator.Options.defaults().withoutRateLimits(), 2);
        String id = simulator.contacts().get(0).id();
        String many = IntStream.range(0, 101).mapToObj(i -> "{\"id\":\"" + (101 + i) + "\",\"properties\":{}}")
                .collect(Collectors.joining(",", "{\"inputs\":[", "]}"));
        assertThat(call("POST", "/crm/v3/objects/contacts/batch/update", many).status()).isEqualTo(400);
        String duplicate = "{\"inputs\":[{\"id\":\"" + id + "\",\"properties\":{}},{\"id\":\"" + id + "\",\"properties\":{}}]}";
        assertThat(call("POST", "/crm/v3/objects/contacts/batch/update", duplicate).body().path("message").asText())
                .startsWith("Duplicate IDs found in batch input");

        Answer unknown = call("POST", "/crm/v3/objects/contacts/batch/update", "{\"inputs\":[{\"id\":\"" + id
                + "\",\"properties\":{\"leadsync_score\":\"70\"}}]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().path("message").asText()).contains("PROPERTY_DOESNT_EXIST").contains("leadsync_score");
        Answer notANumber = call("POST", "/crm/v3/objects/contacts/batch/update", "{\"inputs\":[{\"id\":\"" + id
                + "\",\"properties\":{\"numberofemployees\":\"many\"}}]}");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.body().path("message").asText()).contains("INVALID_FLOAT");
        assertThat(simulator.contact(id).orElseThrow().properties()).doesNotContainKey("leadsync_score");
    }

    @Test
    void createsACustomPropertyOnceThenWritesIt() throws Exception {
        start(HubSpotSimulator.Options.defaults().withoutRateLimits(), 1);
        String id = simulator.contacts().get(0).id();
        assertThat(call("GET", "/crm/v3/properties/contacts/leadsync_score", null).status()).isEqualTo(404);
        String definition = "{\"name\":\"leadsync_score\",\"label\":\"Lead score\",\"type\":\"number\","
                + "\"fieldType\":\"number\",\"groupName\":\"contactinformation\"}";
        assertThat(call("POST", "/crm/v3/properties/contacts", definition).status()).isEqualTo(201);
        Answer again = call("POST", "/crm/v3/properties/contacts", definition);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().path("category").asText()).isEqualTo("OBJECT_ALREADY_EXISTS");
        assertThat(again.body().path("message").asText()).isEqualTo("Property named 'leadsync_score' already exists.");
        assertThat(call("POST", "/crm/v3/properties/contacts", definition.replace("\"number\",\"fieldType\"",
                "\"money\",\"fieldType\"").replace("leadsync_score", "x_money")).status()).isEqualTo(400);

        assertThat(call("POST", "/crm/v3/objects/contacts/batch/update", "{\"inputs\":[{\"id\":\"" + id
                + "\",\"properties\":{\"leadsync_score\":\"70\"}}]}").status()).isEqualTo(200);
        assertThat(simulator.contact(id).orElseThrow().properties()).containsEntry("leadsync_score", "70");
    }

    @Test
    void createsATaskWithThe204AssociationAndValidatesIt() throws Exception {
        start(HubSpotSimulator.Options.defaults().withoutRateLimits(), 1);
        String contact = simulator.contacts().get(0).id();
        String task = "{\"properties\":{\"hs_timestamp\":\"2026-11-25T09:00:00Z\",\"hs_task_subject\":\"Call back\","
                + "\"hs_task_priority\":\"HIGH\"},\"associations\":[{\"to\":{\"id\":\"" + contact + "\"},\"types\":"
                + "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":204}]}]}";

        Answer created = call("POST", "/crm/v3/objects/tasks", task);

        assertThat(created.status()).isEqualTo(201);
        String taskId = created.body().path("id").asText();
        assertThat(simulator.associatedContactIds("tasks", taskId)).containsExactly(contact);
        assertThat(simulator.objects("tasks")).extracting(HubSpotSimulator.SimulatedObject::id).containsExactly(taskId);
        assertThat(call("POST", "/crm/v3/objects/tasks", task.replace("\"hs_timestamp\":\"2026-11-25T09:00:00Z\",", ""))
                .body().path("message").asText()).contains("hs_timestamp");
        assertThat(call("POST", "/crm/v3/objects/tasks", task.replace("204", "999")).status()).isEqualTo(400);
        assertThat(call("POST", "/crm/v3/objects/tasks", task.replace("\"id\":\"" + contact + "\"", "\"id\":\"4242\""))
                .status()).isEqualTo(400);
        assertThat(call("POST", "/crm/v3/objects/tasks", task.replace("HIGH", "URGENT")).status()).isEqualTo(400);
    }

    @Test
    void reportsEngagementAssociationsThroughV4() throws Exception {
        start(HubSpotSimulator.Options.defaults().withoutRateLimits(), 30);
        String email = simulator.objects("emails").get(0).id();
        String contact = simulator.associatedContactIds("emails", email).get(0);

        Answer answer = call("POST", "/crm/v4/associations/emails/contacts/batch/read",
                "{\"inputs\":[{\"id\":\"" + email + "\"},{\"id\":\"77777\"}]}");

        assertThat(answer.status()).as("77777 has no associations").isEqualTo(207);
        JsonNode to = answer.body().path("results").get(0).path("to").get(0);
        assertThat(to.path("toObjectId").isNumber()).isTrue();
        assertThat(to.path("toObjectId").asText()).isEqualTo(contact);
        assertThat(to.path("associationTypes").get(0).path("typeId").asInt()).isEqualTo(198);
    }

    @Test
    void refusesMissingWrongAndExpiredTokensWithHubSpotsBodies() throws Exception {
        start(HubSpotSimulator.Options.defaults().withoutRateLimits(), 1);
        Answer missing = call("GET", "/crm/v3/objects/contacts", null, null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.body().path("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
        assertThat(missing.body().path("message").asText()).startsWith("Authentication credentials not found.");
        assertThat(call("GET", "/crm/v3/objects/contacts", null, "pat-wrong").status()).isEqualTo(401);
        simulator.faults().add(FaultRule.expireToken());
        assertThat(call("GET", "/crm/v3/objects/contacts", null).body().path("category").asText())
                .isEqualTo("EXPIRED_AUTHENTICATION");
    }

    @Test
    void answersAForcedSecondly429WithTheExactBodyThenServesAgain() throws Exception {
        start(HubSpotSimulator.Options.defaults(), 1);
        simulator.faults().add(FaultRule.rateLimit().withCount(1));
        Answer limited = call("GET", "/crm/v3/objects/contacts", null);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body().path("status").asText()).isEqualTo("error");
        assertThat(limited.body().path("message").asText()).isEqualTo("You have reached your secondly limit.");
        assertThat(limited.body().path("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(limited.body().path("policyName").asText()).isEqualTo("SECONDLY");
        assertThat(limited.body().path("correlationId").asText()).isNotBlank();
        assertThat(call("GET", "/crm/v3/objects/contacts", null).status()).isEqualTo(200);
    }

    @Test
    void limitsRequestsPerTenSecondsWithHeadersAndAdmitsAgainInTheNextWindow() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        start(HubSpotSimulator.Options.defaults().withRequestsPerTenSeconds(3).withClock(clock), 1);
        List<String> remaining = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Answer answer = call("GET", "/crm/v3/objects/contacts", null);
            assertThat(answer.header("X-HubSpot-RateLimit-Max")).isEqualTo("3");
            assertThat(answer.header("X-HubSpot-RateLimit-Interval-Milliseconds")).isEqualTo("10000");
            remaining.add(answer.header("X-HubSpot-RateLimit-Remaining"));
        }
        assertThat(remaining).containsExactly("2", "1", "0");
        assertThat(call("GET", "/crm/v3/objects/contacts", null).status()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(10));
        assertThat(call("GET", "/crm/v3/objects/contacts", null).status()).isEqualTo(200);
    }

    @Test
    void limitsSearchesPerSecondAndRequestsPerDay() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        start(HubSpotSimulator.Options.defaults().withSearchRequestsPerSecond(2).withDailyLimit(4).withClock(clock), 1);
        assertThat(call("POST", "/crm/v3/objects/contacts/search", "{}").status()).isEqualTo(200);
        assertThat(call("POST", "/crm/v3/objects/contacts/search", "{}").status()).isEqualTo(200);
        assertThat(call("POST", "/crm/v3/objects/contacts/search", "{}").status()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(call("POST", "/crm/v3/objects/contacts/search", "{}").status()).isEqualTo(200);
        assertThat(call("GET", "/crm/v3/objects/contacts", null).status()).isEqualTo(200);
        Answer daily = call("GET", "/crm/v3/objects/contacts", null);
        assertThat(daily.status()).isEqualTo(429);
        assertThat(daily.body().path("policyName").asText()).isEqualTo("DAILY");
    }

    @Test
    void hidesAJustModifiedRecordFromSearchUntilTheIndexCatchesUp() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        start(HubSpotSimulator.Options.defaults().withoutRateLimits().withClock(clock)
                .withSearchIndexLag(Duration.ofSeconds(30)), 5);
        String id = simulator.contacts().get(2).id();
        simulator.updateContact(id, Map.of("jobtitle", "VP Growth"));
        String since = Long.toString(clock.instant().toEpochMilli());

        assertThat(call("POST", "/crm/v3/objects/contacts/search", search(since, 10, null)).body().path("total").asInt())
                .isZero();
        assertThat(call("GET", "/crm/v3/objects/contacts/" + id + "?properties=jobtitle", null).body()
                .path("properties").path("jobtitle").asText()).as("reads see it at once").isEqualTo("VP Growth");
        clock.advance(Duration.ofSeconds(30));
        assertThat(call("POST", "/crm/v3/objects/contacts/search", search(since, 10, null)).body().path("total").asInt())
                .isEqualTo(1);
    }

    @Test
    void archivesAndMergesContactsAsHubSpotDoes() throws Exception {
        start(HubSpotSimulator.Options.defaults().withoutRateLimits(), 4);
        List<String> ids = simulator.contacts().stream().map(HubSpotSimulator.SimulatedObject::id).toList();
        simulator.archiveContact(ids.get(0));
        simulator.mergeContacts(ids.get(1), ids.get(2));

        assertThat(call("GET", "/crm/v3/objects/contacts/" + ids.get(0), null).status()).isEqualTo(404);
        Answer archived = call("GET", "/crm/v3/objects/contacts?archived=true", null);
        assertThat(archived.body().path("results").get(0).path("archivedAt").asText()).isNotBlank();
        assertThat(simulator.contact(ids.get(2))).isEmpty();
        assertThat(simulator.contact(ids.get(1)).orElseThrow().properties())
                .containsEntry("hs_merged_object_ids", ids.get(2));
        Set<String> listed = new HashSet<>();
        call("GET", "/crm/v3/objects/contacts?limit=100", null).body().path("results")
                .forEach(r -> listed.add(r.path("id").asText()));
        assertThat(listed).containsExactlyInAnyOrder(ids.get(1), ids.get(3));
    }

    @Test
    void answersInjectedFaultsMalformedJsonUnknownPathsAndWrongMethods() throws Exception {
        start(HubSpotSimulator.Options.defaults().withoutRateLimits(), 1);
        simulator.faults().add(FaultRule.serverError(503).on("POST", "/crm/v3/objects/contacts/search").withCount(1));
        assertThat(call("POST", "/crm/v3/objects/contacts/search", "{}").status()).isEqualTo(503);
        assertThat(call("POST", "/crm/v3/objects/contacts/search", "{}").status()).isEqualTo(200);
        Answer malformed = call("POST", "/crm/v3/objects/contacts/search", "{\"limit\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("message").asText()).startsWith("Invalid input JSON on line 1");
        assertThat(call("GET", "/crm/v3/nothing/here", null).status()).isEqualTo(404);
        assertThat(call("DELETE", "/crm/v3/objects/contacts/search", null).status()).isEqualTo(405);
        assertThat(simulator.requests()).extracting(HubSpotSimulator.RecordedRequest::status).startsWith(503, 200, 400);
        assertThat(simulator.requestCount("POST", "/crm/v3/objects/contacts/search")).isEqualTo(3);
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
