package io.leadsync.connector.hubspot;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.leadsync.connector.AuthenticationException;
import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.FollowUpTask;
import io.leadsync.connector.Page;
import io.leadsync.connector.Person;
import io.leadsync.connector.QuotaExhaustedException;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HubSpot connector against recorded HubSpot answers, one error form of the contracts doc per test. */
class HubSpotWireMockIT {
    private static final String TOKEN = "pat-na1-secret-token";
    private static final StreamId CONTACTS = new StreamId("hubspot-main", "contacts");
    private static final String SEARCH = "/crm/v3/objects/contacts/search";
    private static final String BATCH_UPDATE = "/crm/v3/objects/contacts/batch/update";

    private WireMockServer hubspot;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        hubspot = new WireMockServer(options().dynamicPort());
        hubspot.start();
        hubspot.stubFor(get(urlPathEqualTo("/crm/v3/objects/contacts")).withQueryParam("archived", equalTo("true"))
                .willReturn(okJson("{\"results\":[]}")));
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        hubspot.stop();
    }

    private Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("type", "hubspot");
        settings.put("base-url", hubspot.baseUrl());
        settings.put("token", TOKEN);
        settings.put("read", new HashMap<>(Map.of("streams", List.of("contacts"), "page-size", "2")));
        settings.put("write", new HashMap<>(Map.of("tasks", Map.of("enabled", "true"))));
        return settings;
    }

    private SourceConnector source(Map<String, Object> settings) {
        return new HubSpotConnectorFactory().createSource(ConnectorSettings.of("hubspot-main",
                "sync.connectors.hubspot-main", settings), ConnectorContext.of(Clock.systemUTC(), camel));
    }

    private SinkConnector sink(Map<String, Object> settings) {
        return new HubSpotConnectorFactory().createSink(ConnectorSettings.of("hubspot-main",
                "sync.connectors.hubspot-main", settings), ConnectorContext.of(Clock.systemUTC(), camel));
    }

    private static String contact(String id, String modified, String email) {
        return "{\"id\":\"" + id + "\",\"properties\":{\"email\":\"" + email + "\",\"firstname\":\"Ana\","
                + "\"jobtitle\":\"VP Sales\",\"city\":\"Leeds\",\"zip\":\"LS1 4DY\","
                + "\"website\":\"https://www.Acme.io/about\",\"industry\":\"COMPUTER_SOFTWARE\","
                + "\"lastmodifieddate\":\"" + modified + "\",\"hs_object_id\":\"" + id + "\"},"
                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"" + modified + "\",\"archived\":false}";
    }

    /** A saved cursor: later reads go through search (first reads through the list endpoint). */
    private static final Cursor SINCE = new Cursor(CONTACTS, 1, "{\"modifiedSince\":\"2026-11-01T00:00:00Z\"}");

    private static List<Page<SourceRecord>> readAll(SourceConnector source, Cursor from) {
        try (Stream<Page<SourceRecord>> pages = source.read(CONTACTS, from)) {
            return pages.toList();
        }
    }

    private static String email(String id, String modified, String contacts) {
        return "{\"id\":\"" + id + "\",\"properties\":{\"hs_timestamp\":\"2026-11-19T09:00:00Z\","
                + "\"hs_email_direction\":\"EMAIL\",\"hs_email_status\":\"SENT\",\"hs_email_subject\":\"Hello\","
                + "\"hs_lastmodifieddate\":\"" + modified + "\"},\"archived\":false,\"associations\":{\"contacts\":"
                + contacts + "}}";
    }

    @Test
    void listsAFirstReadOfEngagementsWithTheirContactsInlineAndReadsPagedOnesThroughTheAssociationsApi() {
        StreamId emails = new StreamId("hubspot-main", "emails");
        Map<String, Object> settings = settings();
        settings.put("read", new HashMap<>(Map.of("streams", List.of("contacts", "emails"), "page-size", "2")));
        String list = "/crm/v3/objects/emails";
        hubspot.stubFor(get(urlPathEqualTo(list)).withQueryParam("after", WireMock.absent())
                .withQueryParam("associations", equalTo("contacts")).withQueryParam("limit", equalTo("2"))
                .willReturn(okJson("{\"results\":[" + email("501", "2026-11-20T10:00:05Z",
                        "{\"results\":[{\"id\":\"11\",\"type\":\"email_to_contact\"},{\"id\":\"12\",\"type\":\"email_to_contact\"}]}")
                        + "," + email("502", "2026-11-20T10:00:01Z", "{\"results\":[{\"id\":\"13\",\"type\":\"email_to_contact\"}],"
                        + "\"paging\":{\"next\":{\"after\":\"13\"}}}")
                        + "],\"paging\":{\"next\":{\"after\":\"502\"}}}")));
        hubspot.stubFor(get(urlPathEqualTo(list)).withQueryParam("after", equalTo("502"))
                .willReturn(okJson("{\"results\":[" + email("503", "2026-11-20T10:00:03Z",
                        "{\"results\":[{\"id\":\"14\",\"type\":\"email_to_contact\"}]}") + "]}")));
        hubspot.stubFor(post("/crm/v4/associations/emails/contacts/batch/read")
                .willReturn(okJson("{\"status\":\"COMPLETE\",\"results\":[{\"from\":{\"id\":\"502\"},\"to\":["
                        + "{\"toObjectId\":13},{\"toObjectId\":15}]}]}")));
        Instant began = Instant.now();

        List<Page<SourceRecord>> pages;
        try (Stream<Page<SourceRecord>> read = source(settings).read(emails, null)) {
            pages = read.toList();
        }

        assertThat(pages).hasSize(2);
        assertThat(pages.stream().flatMap(p -> p.items().stream()).map(r -> r.id().id()))
                .containsExactly("501/11", "501/12", "502/13", "502/15", "503/14");
        assertThat(pages.get(0).next().position()).as("the list is ordered by id, not time").isEqualTo("{}");
        assertThat(pages.get(1).next().position()).as("the latest modification read, before the read began")
                .isEqualTo("{\"modifiedSince\":\"2026-11-20T10:00:05Z\"}");
        assertThat(Instant.parse("2026-11-20T10:00:05Z")).isBefore(began);
        hubspot.verify(0, postRequestedFor(urlPathEqualTo("/crm/v3/objects/emails/search")));
        hubspot.verify(1, postRequestedFor(urlEqualTo("/crm/v4/associations/emails/contacts/batch/read"))
                .withRequestBody(equalToJson("{\"inputs\":[{\"id\":\"502\"}]}")));
    }

    @Test
    void savesAFirstListReadsCursorAtTheTimeItBeganWhenRecordsChangedWhileItRan() {
        Instant future = Instant.now().plus(java.time.Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        hubspot.stubFor(get(urlPathEqualTo("/crm/v3/objects/contacts")).withQueryParam("archived", WireMock.absent())
                .willReturn(okJson("{\"results\":[" + contact("1", "2026-11-20T10:00:00.000Z", "a@acme.io") + ","
                        + contact("2", future.toString(), "b@acme.io") + "]}")));
        Instant before = Instant.now();

        List<Page<SourceRecord>> pages = readAll(source(settings()), null);

        Instant saved = Instant.parse(pages.get(pages.size() - 1).next().position()
                .replaceAll(".*\"modifiedSince\":\"([^\"]+)\".*", "$1"));
        assertThat(saved).as("a record modified after the read began: the next read starts from when it began")
                .isBetween(before, Instant.now()).isBefore(future);
    }

    @Test
    void followsSearchPagingToTheEndAndSavesTheLatestModificationTime() {
        hubspot.stubFor(post(SEARCH).withRequestBody(matchingJsonPath("$.after", WireMock.absent()))
                .willReturn(okJson("{\"total\":3,\"results\":[" + contact("1", "2026-11-20T10:00:00.000Z", "a@acme.io")
                        + "," + contact("2", "2026-11-20T10:00:01.000Z", "b@acme.io")
                        + "],\"paging\":{\"next\":{\"after\":\"2\"}}}")));
        hubspot.stubFor(post(SEARCH).withRequestBody(matchingJsonPath("$.after", equalTo("2")))
                .willReturn(okJson("{\"total\":3,\"results\":[" + contact("3", "2026-11-20T10:00:02.000Z", "c@acme.io")
                        + "]}")));

        List<Page<SourceRecord>> pages = readAll(source(settings()), SINCE);

        assertThat(pages).hasSize(2);
        assertThat(pages.get(1).next().position()).isEqualTo("{\"modifiedSince\":\"2026-11-20T10:00:02Z\"}");
        Person first = (Person) pages.get(0).items().get(0).value();
        assertThat(first.id()).isEqualTo(new ExternalId("hubspot-main", "1"));
        assertThat(first.domain()).isEqualTo("acme.io");
        assertThat(first.title()).isEqualTo("VP Sales");
        assertThat(first.city()).isEqualTo("Leeds");
        assertThat(first.postalCode()).isEqualTo("LS1 4DY");
        assertThat(first.address()).isNull();
        assertThat(first.attributes()).containsEntry("industry", "COMPUTER_SOFTWARE").doesNotContainKey("email")
                .doesNotContainKey("city").doesNotContainKey("zip");
        hubspot.verify(postRequestedFor(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(matchingJsonPath("$.sorts[0].propertyName", equalTo("lastmodifieddate")))
                .withRequestBody(matchingJsonPath("$.sorts[0].direction", equalTo("ASCENDING"))));
    }

    @Test
    void startsAReadFromTheSavedCursorMinusTheOverlap() {
        hubspot.stubFor(post(SEARCH).willReturn(okJson("{\"total\":0,\"results\":[]}")));
        Cursor saved = new Cursor(CONTACTS, 1, "{\"modifiedSince\":\"2026-11-20T10:05:00Z\"}");

        assertThat(readAll(source(settings()), saved)).isEmpty();

        long expected = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
        hubspot.verify(postRequestedFor(urlEqualTo(SEARCH))
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].operator", equalTo("GTE")))
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].value", equalTo(Long.toString(expected)))));
    }

    @Test
    void rejectsAMalformedContactNamingTheFieldAndKeepsTheOthers() {
        hubspot.stubFor(post(SEARCH).willReturn(okJson("{\"total\":2,\"results\":["
                + contact("1", "yesterday", "a@acme.io") + "," + contact("2", "2026-11-20T10:00:01Z", "b@acme.io")
                + ",{\"properties\":{}}]}")));

        Page<SourceRecord> page = readAll(source(settings()), SINCE).get(0);

        assertThat(page.items()).extracting(record -> record.id().id()).containsExactly("2");
        assertThat(page.rejected()).hasSize(2);
        assertThat(page.rejected().get(0).recordId()).isEqualTo("1");
        assertThat(page.rejected().get(0).reason())
                .isEqualTo("properties.lastmodifieddate: 'yesterday' is not an ISO-8601 instant or epoch milliseconds");
        assertThat(page.rejected().get(0).rawPayload()).contains("\"id\":\"1\"");
        assertThat(page.rejected().get(1).reason()).isEqualTo("id: missing");
    }

    @Test
    void waitsAndRetriesWhenHubSpotSaysTheSecondlyLimitIsReached() {
        hubspot.stubFor(post(SEARCH).inScenario("rate").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"error\",\"message\":\"You have reached your secondly limit.\","
                                + "\"errorType\":\"RATE_LIMIT\",\"correlationId\":\"c-1\",\"policyName\":\"SECONDLY\"}"))
                .willSetStateTo("cooled"));
        hubspot.stubFor(post(SEARCH).inScenario("rate").whenScenarioStateIs("cooled")
                .willReturn(okJson("{\"total\":1,\"results\":[" + contact("1", "2026-11-20T10:00:00Z", "a@acme.io") + "]}")));

        List<Page<SourceRecord>> pages = readAll(source(settings()), SINCE);

        assertThat(pages.get(0).items()).hasSize(1);
        hubspot.verify(2, postRequestedFor(urlEqualTo(SEARCH)));
    }

    @Test
    void stopsCleanlyWhenTheDailyLimitIsSpentInsteadOfRetrying() {
        hubspot.stubFor(post(SEARCH).willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"message\":\"You have reached your daily limit.\","
                        + "\"errorType\":\"RATE_LIMIT\",\"correlationId\":\"c-2\",\"policyName\":\"DAILY\"}")));

        assertThatThrownBy(() -> readAll(source(settings()), SINCE)).isInstanceOf(QuotaExhaustedException.class)
                .hasMessageContaining("daily API limit");
        hubspot.verify(1, postRequestedFor(urlEqualTo(SEARCH)));
    }

    @Test
    void retriesServerErrorsThenFailsNamingTheCall() {
        Map<String, Object> settings = settings();
        settings.put("retry", Map.of("max-attempts", "2"));
        hubspot.stubFor(post(SEARCH).willReturn(aResponse().withStatus(503).withBody("upstream unavailable")));

        assertThatThrownBy(() -> readAll(source(settings), SINCE)).isInstanceOf(ConnectorException.class)
                .hasMessage("HubSpot answered POST " + SEARCH + " with 503 after 2 attempts: upstream unavailable");
        hubspot.verify(2, postRequestedFor(urlEqualTo(SEARCH)));
    }

    @Test
    void reportsAnInvalidTokenClearlyWithoutEchoingIt() {
        hubspot.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
                        + "\"correlationId\":\"c-3\",\"category\":\"INVALID_AUTHENTICATION\"}")));

        CheckResult check = source(settings()).check();
        assertThat(check.ok()).isFalse();
        assertThat(check.message()).contains("HubSpot rejected the credentials of hubspot-main")
                .contains("INVALID_AUTHENTICATION").doesNotContain(TOKEN);
        assertThatThrownBy(() -> readAll(source(settings()), SINCE)).isInstanceOf(AuthenticationException.class)
                .message().doesNotContain(TOKEN);
    }

    @Test
    void reportsAnUnreachableHostByName() {
        Map<String, Object> settings = settings();
        settings.put("base-url", "http://127.0.0.1:9");
        settings.put("retry", Map.of("max-attempts", "1"));
        CheckResult check = source(settings).check();
        assertThat(check.ok()).isFalse();
        assertThat(check.message()).startsWith("cannot reach HubSpot for ").contains("no answer from http://127.0.0.1:9");
    }

    private static List<FieldChange> changes(String... ids) {
        return Stream.of(ids).map(id -> new FieldChange(new ExternalId("hubspot-main", id),
                Map.of("score", "72", "grade", "B"))).toList();
    }

    @Test
    void mapsA207PartialFailureToExactlyTheRecordsItNames() {
        hubspot.stubFor(post(BATCH_UPDATE).willReturn(aResponse().withStatus(207)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"1\"},{\"id\":\"3\"}],\"numErrors\":1,"
                        + "\"errors\":[{\"status\":\"error\",\"category\":\"OBJECT_NOT_FOUND\","
                        + "\"message\":\"Object not found. objectId are usually numeric.\",\"context\":{\"ids\":[\"2\"]}}]}")));

        List<RecordResult> results = sink(settings()).write(changes("1", "2", "3"));

        assertThat(results).extracting(RecordResult::success).containsExactly(true, false, true);
        assertThat(results.get(1).errorCode()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(results.get(1).message()).isEqualTo("Object not found. objectId are usually numeric.");
        hubspot.verify(postRequestedFor(urlEqualTo(BATCH_UPDATE)).withRequestBody(equalToJson(
                "{\"inputs\":[{\"id\":\"1\",\"properties\":{\"leadsync_score\":\"72\",\"leadsync_grade\":\"B\"}},"
                        + "{\"id\":\"2\",\"properties\":{\"leadsync_score\":\"72\",\"leadsync_grade\":\"B\"}},"
                        + "{\"id\":\"3\",\"properties\":{\"leadsync_score\":\"72\",\"leadsync_grade\":\"B\"}}]}")));
    }

    @Test
    void isolatesTheRecordThatMakesHubSpotRefuseAWholeBatch() {
        hubspot.stubFor(post(BATCH_UPDATE).atPriority(5).willReturn(okJson("{\"status\":\"COMPLETE\",\"results\":[]}")));
        hubspot.stubFor(post(BATCH_UPDATE).atPriority(1).withRequestBody(containing("\"id\":\"13\""))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"error\",\"message\":\"Property values were not valid\","
                                + "\"correlationId\":\"c-4\",\"category\":\"VALIDATION_ERROR\"}")));

        List<RecordResult> results = sink(settings()).write(changes("10", "11", "12", "13", "14", "15", "16", "17"));

        assertThat(results).extracting(RecordResult::success)
                .containsExactly(true, true, true, false, true, true, true, true);
        assertThat(results.get(3).errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(hubspot.countRequestsMatching(postRequestedFor(urlEqualTo(BATCH_UPDATE)).build()
                ).getCount()).as("halving: 8 -> 4+4 -> 2+2 -> 1+1").isEqualTo(7);
    }

    @Test
    void splitsMoreThanAHundredChangesIntoVendorSizedCalls() {
        hubspot.stubFor(post(BATCH_UPDATE).willReturn(okJson("{\"status\":\"COMPLETE\",\"results\":[]}")));
        String[] ids = Stream.iterate(1, i -> i + 1).limit(250).map(String::valueOf).toArray(String[]::new);

        List<RecordResult> results = sink(settings()).write(changes(ids));

        assertThat(results).hasSize(250).allMatch(RecordResult::success);
        hubspot.verify(3, postRequestedFor(urlEqualTo(BATCH_UPDATE)));
    }

    @Test
    void createsMissingPropertiesAndAcceptsOneCreatedMeanwhile() {
        hubspot.stubFor(get(urlPathEqualTo("/crm/v3/properties/contacts/leadsync_score")).willReturn(aResponse()
                .withStatus(404).withBody("{\"status\":\"error\",\"category\":\"OBJECT_NOT_FOUND\",\"message\":\"not found\"}")));
        hubspot.stubFor(get(urlPathEqualTo("/crm/v3/properties/contacts/leadsync_grade")).willReturn(aResponse()
                .withStatus(404).withBody("{\"status\":\"error\",\"category\":\"OBJECT_NOT_FOUND\",\"message\":\"not found\"}")));
        hubspot.stubFor(get(urlPathEqualTo("/crm/v3/properties/contacts/leadsync_reasons"))
                .willReturn(okJson("{\"name\":\"leadsync_reasons\",\"type\":\"string\"}")));
        hubspot.stubFor(get(urlPathEqualTo("/crm/v3/properties/contacts/leadsync_model_version"))
                .willReturn(okJson("{\"name\":\"leadsync_model_version\",\"type\":\"string\"}")));
        hubspot.stubFor(post("/crm/v3/properties/contacts").withRequestBody(matchingJsonPath("$.name", equalTo("leadsync_score")))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{}")));
        hubspot.stubFor(post("/crm/v3/properties/contacts").withRequestBody(matchingJsonPath("$.name", equalTo("leadsync_grade")))
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/json").withBody(
                        "{\"status\":\"error\",\"message\":\"Property named 'leadsync_grade' already exists.\","
                                + "\"category\":\"OBJECT_ALREADY_EXISTS\"}")));

        sink(settings()).prepare();

        hubspot.verify(2, postRequestedFor(urlEqualTo("/crm/v3/properties/contacts")));
        hubspot.verify(postRequestedFor(urlEqualTo("/crm/v3/properties/contacts"))
                .withRequestBody(matchingJsonPath("$.name", equalTo("leadsync_score")))
                .withRequestBody(matchingJsonPath("$.type", equalTo("number"))));
        hubspot.verify(4, getRequestedFor(WireMock.urlMatching("/crm/v3/properties/contacts/.*")));
    }

    @Test
    void createsTasksInOneBatchAssociatedToTheirContactsWithType204MatchingAnswersByTraceId() {
        // HubSpot does not promise the order of a batch's results: they are matched by objectWriteTraceId
        hubspot.stubFor(post("/crm/v3/objects/tasks/batch/create").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"status":"COMPLETE","results":[
                          {"id":"9002","properties":{},"objectWriteTraceId":"ls-00000000000b"},
                          {"id":"9001","properties":{},"objectWriteTraceId":"ls-00000000000a"}]}""")));
        FollowUpTask ana = new FollowUpTask(new ExternalId("hubspot-main", "51"), "Hot lead: Ana (Acme) scored 82",
                "Why: +30 Meeting held\n\nleadsync ref: ls-00000000000a", FollowUpTask.Priority.HIGH,
                Instant.parse("2026-11-25T09:00:00Z"), "77", "ls-00000000000a");
        FollowUpTask ben = new FollowUpTask(new ExternalId("hubspot-main", "52"), "Hot lead: Ben scored 80",
                "Why: +25 Requested a demo\n\nleadsync ref: ls-00000000000b", FollowUpTask.Priority.HIGH,
                Instant.parse("2026-11-25T09:00:00Z"), null, "ls-00000000000b");

        List<RecordResult> results = sink(settings()).createTasks(List.of(ana, ben));

        assertThat(results).extracting(RecordResult::createdId).containsExactly("9001", "9002");
        hubspot.verify(1, postRequestedFor(urlEqualTo("/crm/v3/objects/tasks/batch/create"))
                .withRequestBody(matchingJsonPath("$.inputs[0].properties.hs_timestamp", equalTo("2026-11-25T09:00:00Z")))
                .withRequestBody(matchingJsonPath("$.inputs[0].properties.hs_task_priority", equalTo("HIGH")))
                .withRequestBody(matchingJsonPath("$.inputs[0].properties.hubspot_owner_id", equalTo("77")))
                .withRequestBody(matchingJsonPath("$.inputs[0].objectWriteTraceId", equalTo("ls-00000000000a")))
                .withRequestBody(matchingJsonPath("$.inputs[0].associations[0].to.id", equalTo("51")))
                .withRequestBody(matchingJsonPath("$.inputs[0].associations[0].types[0].associationTypeId",
                        equalTo("204")))
                .withRequestBody(matchingJsonPath("$.inputs[0].associations[0].types[0].associationCategory",
                        equalTo("HUBSPOT_DEFINED"))));
    }

    @Test
    void isolatesATaskHubSpotRefusesByHalvingTheBatch() {
        hubspot.stubFor(post("/crm/v3/objects/tasks/batch/create").atPriority(1)
                .withRequestBody(matchingJsonPath("$.inputs[?(@.associations[0].to.id == '99')]"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(
                        "{\"status\":\"error\",\"message\":\"One or more associations are invalid\","
                                + "\"category\":\"VALIDATION_ERROR\"}")));
        hubspot.stubFor(post("/crm/v3/objects/tasks/batch/create").atPriority(2).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"7\",\"properties\":{}}]}")));
        List<FollowUpTask> tasks = Stream.of("51", "99").map(id -> new FollowUpTask(new ExternalId("hubspot-main", id),
                "Hot lead " + id, "Why", FollowUpTask.Priority.HIGH, Instant.parse("2026-11-25T09:00:00Z"), null))
                .toList();

        List<RecordResult> results = sink(settings()).createTasks(tasks);

        assertThat(results.get(0).success()).isTrue();
        assertThat(results.get(1).success()).isFalse();
        assertThat(results.get(1).errorCode()).isEqualTo("VALIDATION_ERROR");
    }
}
