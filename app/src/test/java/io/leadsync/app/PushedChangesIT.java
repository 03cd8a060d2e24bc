package io.leadsync.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.app.cli.Server;
import io.leadsync.connector.Activity;
import io.leadsync.connector.Change;
import io.leadsync.connector.Person;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.sandbox.hubspot.HubSpotWebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The endpoints that push changes in, over HTTP as the vendors call them: HubSpot's signed webhook batches (sent by
 * the HubSpot simulator, with its retries) and the Segment-compatible intake. A recording intake stands in for the
 * engine's, which refuses every batch until the event path is switched on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushedChangesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_SECRET = "hs-app-secret-5d1e0c9a7b";
    private static final String WRITE_KEY = "wk_live_8a3f5c2e91d04b67";
    private static final RecordingIntake INTAKE = RecordingIntake.INSTANCE;

    private HubSpotSimulator hubspot;
    private Server server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        Path dir = Files.createTempDirectory("pushed-changes");
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        String yaml = """
                leadsync:
                  start-schedules: false
                  api:
                    tokens:
                      - {name: test-admin, role: admin, token: %s}
                  database:
                    url: jdbc:h2:file:%s
                  scoring:
                    model: %s
                sync:
                  connectors:
                    hubspot-main:
                      type: hubspot
                      base-url: %s
                      token: %s
                      webhook:
                        client-secret: %s
                      read:
                        streams: [contacts, meetings]
                    app-events:
                      type: segment
                      write-key: %s
                      read:
                        events:
                          - {name: Requested Demo, type: demo_request}
                  jobs:
                    full-sync:
                      schedule: "0 0 * * * ?"
                      connectors: [hubspot-main, app-events]
                """.formatted(AppFixture.ADMIN_TOKEN, dir.resolve("db/leadsync"), AppFixture.MODEL, hubspot.baseUrl(),
                HubSpotSimulator.Options.DEFAULT_TOKEN, CLIENT_SECRET, WRITE_KEY);
        Path config = dir.resolve("application.yml");
        Files.writeString(config, yaml);
        server = Server.start(config, Map.of("micronaut.server.port", 0, "test.recording-intake", "true"));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (hubspot != null) {
            hubspot.close();
        }
    }

    @BeforeEach
    void clear() {
        INTAKE.reset();
        hubspot.webhooks().configure(HubSpotWebhookSender.Settings.of(null, CLIENT_SECRET));
    }

    private String webhookUrl() {
        return "http://127.0.0.1:" + server.port() + "/webhooks/hubspot/hubspot-main";
    }

    private HttpResponse<String> post(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String method, String uri, String body, String timestamp) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal((method + uri + body + timestamp)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> signedWebhook(String body, long timestampMillis) throws Exception {
        String timestamp = String.valueOf(timestampMillis);
        return post(webhookUrl(), body, Map.of("X-HubSpot-Request-Timestamp", timestamp,
                "X-HubSpot-Signature-v3", sign("POST", webhookUrl(), body, timestamp)));
    }

    private static final String EVENT = "[{\"eventId\":41,\"subscriptionId\":1000,\"portalId\":62515,\"appId\":54321,"
            + "\"occurredAt\":1764946800000,\"subscriptionType\":\"contact.creation\",\"attemptNumber\":0,"
            + "\"objectId\":101}]";

    // ------------------------------------------------------------------ HubSpot webhooks

    @Test
    void aSignedWebhookBatchIsAcceptedAndNamesTheContact() throws Exception {
        HttpResponse<String> response = signedWebhook(EVENT, System.currentTimeMillis());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("accepted").asInt()).isEqualTo(1);
        assertThat(INTAKE.accepted).singleElement().satisfies(change -> {
            assertThat(change.stream().toString()).contains("hubspot-main").contains("contacts");
            assertThat(change.id().id()).isEqualTo("101");
            assertThat(change.kind()).isEqualTo(Change.Kind.UPSERTED);
        });
    }

    @Test
    void unsignedStaleTamperedAndWronglySignedWebhooksAreRefusedWith401() throws Exception {
        long now = System.currentTimeMillis();
        HttpResponse<String> unsigned = post(webhookUrl(), EVENT, Map.of());
        HttpResponse<String> stale = signedWebhook(EVENT, now - Duration.ofMinutes(6).toMillis());
        String timestamp = String.valueOf(now);
        HttpResponse<String> tampered = post(webhookUrl(), EVENT.replace("101", "999"), Map.of(
                "X-HubSpot-Request-Timestamp", timestamp, "X-HubSpot-Signature-v3",
                sign("POST", webhookUrl(), EVENT, timestamp)));
        HttpResponse<String> otherUri = post(webhookUrl() + "?x=1", EVENT, Map.of(
                "X-HubSpot-Request-Timestamp", timestamp, "X-HubSpot-Signature-v3",
                sign("POST", webhookUrl(), EVENT, timestamp)));

        for (HttpResponse<String> response : List.of(unsigned, stale, tampered, otherUri)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.body()).doesNotContain(CLIENT_SECRET);
        }
        assertThat(JSON.readTree(unsigned.body()).path("detail").asText()).contains("not signed");
        assertThat(JSON.readTree(stale.body()).path("detail").asText()).contains("s old");
        assertThat(JSON.readTree(tampered.body()).path("detail").asText()).contains("does not match");
        assertThat(INTAKE.calls.get()).as("nothing refused reaches the pipeline").isZero();
    }

    @Test
    void aSourceWithoutWebhooksIsNotFoundAndAMalformedBodyIs400WithTheReason() throws Exception {
        HttpResponse<String> unknown = post("http://127.0.0.1:" + server.port() + "/webhooks/hubspot/nope", EVENT,
                Map.of());
        HttpResponse<String> malformed = signedWebhook("{\"eventId\":1}", System.currentTimeMillis());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("sync.connectors.nope.webhook.client-secret");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).path("detail").asText()).contains("JSON array of events");
    }

    @Test
    void theIntakesRefusalsBecome503SoHubSpotRetriesAnd404WhenNoJobReadsTheSource() throws Exception {
        INTAKE.failNext.set(1);
        HttpResponse<String> unavailable = signedWebhook(EVENT, System.currentTimeMillis());
        INTAKE.unknownSources = java.util.Set.of("hubspot-main");
        HttpResponse<String> unread = signedWebhook(EVENT, System.currentTimeMillis());

        assertThat(unavailable.statusCode()).as(unavailable.body()).isEqualTo(503);
        assertThat(unavailable.body()).contains("send them again");
        assertThat(unread.statusCode()).isEqualTo(404);
        assertThat(unread.body()).contains("no job reads source hubspot-main");
    }

    @Test
    void theSimulatorSendsSignedBatchesAndRetriesUntilTheEndpointAnswers2xx() throws Exception {
        hubspot.webhooks().configure(HubSpotWebhookSender.Settings.of(URI.create(webhookUrl()), CLIENT_SECRET)
                .withFirstRetryDelay(Duration.ofMillis(50)));
        INTAKE.failNext.set(2);
        int before = hubspot.webhooks().deliveries().size();

        String created = hubspot.createContact(Map.of("email", "ada@acme.io", "firstname", "Ada"));

        // the endpoint takes the batch before the simulator records the 200 it answered: wait for both
        await().atMost(Duration.ofSeconds(20)).until(() -> !INTAKE.accepted.isEmpty() && hubspot.webhooks()
                .deliveries().stream().skip(before).anyMatch(delivery -> delivery.status() == 200));
        List<HubSpotWebhookSender.Delivery> deliveries = hubspot.webhooks().deliveries();
        assertThat(deliveries.subList(before, deliveries.size())).extracting(HubSpotWebhookSender.Delivery::attemptNumber,
                HubSpotWebhookSender.Delivery::status).startsWith(org.assertj.core.groups.Tuple.tuple(0, 503),
                org.assertj.core.groups.Tuple.tuple(1, 503), org.assertj.core.groups.Tuple.tuple(2, 200));
        assertThat(INTAKE.accepted).extracting(c -> c.id().id()).contains(created);
    }

    @Test
    void theSimulatorBatchesAtMost100EventsAndEveryChangeArrivesOnce() throws Exception {
        hubspot.webhooks().configure(HubSpotWebhookSender.Settings.of(URI.create(webhookUrl()), CLIENT_SECRET)
                .withFirstRetryDelay(Duration.ofMillis(50)).withSubscriptions(java.util.Set.of("contact.creation",
                        "contact.deletion", "contact.merge")));
        int before = hubspot.webhooks().deliveries().size();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            ids.add(hubspot.createContact(Map.of("email", "p" + i + "@bulk.io")));
        }
        hubspot.archiveContact(ids.get(0));
        hubspot.mergeContacts(ids.get(1), ids.get(2));

        await().atMost(Duration.ofSeconds(30)).until(() -> hubspot.webhooks().outstanding() == 0
                && INTAKE.accepted.size() >= 253);
        List<HubSpotWebhookSender.Delivery> deliveries = hubspot.webhooks().deliveries();
        deliveries = deliveries.subList(before, deliveries.size());
        assertThat(deliveries).allMatch(d -> d.events() <= 100 && d.status() == 200);
        assertThat(deliveries).anyMatch(d -> d.events() == 100);
        assertThat(deliveries.stream().mapToInt(HubSpotWebhookSender.Delivery::events).sum()).isEqualTo(252);
        assertThat(INTAKE.accepted).filteredOn(c -> c.kind() == Change.Kind.UPSERTED)
                .extracting(c -> c.id().id()).containsAll(ids);
        assertThat(INTAKE.accepted).filteredOn(c -> c.kind() == Change.Kind.DELETED).extracting(c -> c.id().id())
                .containsExactly(ids.get(0));
        assertThat(INTAKE.accepted).filteredOn(c -> c.kind() == Change.Kind.MERGED).extracting(c -> c.id().id())
                .containsExactly(ids.get(2));
    }

    @Test
    void theSimulatorIsSubscribedOverHubSpotsWebhooksApi() throws Exception {
        HttpResponse<String> settings = http.send(HttpRequest.newBuilder(URI.create(hubspot.baseUrl()
                        + "/webhooks/v3/54321/settings")).header("Authorization", "Bearer "
                        + HubSpotSimulator.Options.DEFAULT_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"targetUrl\":\"" + webhookUrl() + "\",\"clientSecret\":\""
                        + CLIENT_SECRET + "\",\"firstRetryDelayMillis\":50}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(settings.statusCode()).as(settings.body()).isEqualTo(200);

        String id = hubspot.createContact(Map.of("email", "grace@acme.io"));
        hubspot.updateContact(id, Map.of("jobtitle", "CTO"));

        await().atMost(Duration.ofSeconds(20)).until(() -> INTAKE.accepted.size() >= 2);
        assertThat(INTAKE.accepted).extracting(c -> c.id().id()).containsOnly(id);
    }

    @Test
    void theOpenApiDocumentListsTheIntakesWithTheirOwnAuthenticationNotTheBearerToken() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/api/openapi.yml")).header("Authorization", "Bearer " + AppFixture.ADMIN_TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
        io.swagger.v3.oas.models.OpenAPI api = new io.swagger.v3.parser.OpenAPIV3Parser()
                .readContents(response.body()).getOpenAPI();

        assertThat(api.getPaths().get("/webhooks/hubspot/{source}").getPost().getSecurity())
                .singleElement().satisfies(requirement -> assertThat(requirement).containsOnlyKeys("hubspotSignature"));
        for (String call : List.of("/v1/track", "/v1/identify", "/v1/batch")) {
            assertThat(api.getPaths().get(call).getPost().getSecurity()).singleElement()
                    .satisfies(requirement -> assertThat(requirement).containsOnlyKeys("segmentWriteKey"));
        }
    }

    // ------------------------------------------------------------------ Segment-compatible intake

    private static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> segment(String call, String body, String key) throws Exception {
        return post("http://127.0.0.1:" + server.port() + "/v1/" + call, body,
                key == null ? Map.of() : Map.of("Authorization", basic(key)));
    }

    @Test
    void aScheduledRunOfAJobWithASegmentIntakeReadsNothingFromItAndSucceeds() throws Exception {
        HttpResponse<String> run = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/jobs/full-sync/run?wait=true")).header("Authorization", "Bearer "
                        + AppFixture.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        JsonNode detail = JSON.readTree(run.body());
        assertThat(detail.path("status").asText()).as(run.body()).isEqualTo("SUCCEEDED");
    }

    @Test
    void segmentCallsWithoutOrWithAWrongWriteKeyAre401() throws Exception {
        String track = "{\"userId\":\"u-1\",\"event\":\"Requested Demo\",\"messageId\":\"m-1\"}";

        HttpResponse<String> missing = segment("track", track, null);
        HttpResponse<String> wrong = segment("track", track, "wk_live_0000000000000000");
        HttpResponse<String> bearer = post("http://127.0.0.1:" + server.port() + "/v1/track", track,
                Map.of("Authorization", "Bearer " + AppFixture.ADMIN_TOKEN));

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(missing.body()).path("detail").asText()).contains("HTTP Basic user name");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("wk_live_0000000000000000").doesNotContain(WRITE_KEY);
        assertThat(bearer.statusCode()).as("an API token is not a write key").isEqualTo(401);
        assertThat(INTAKE.calls.get()).isZero();
    }

    @Test
    void segmentTrackIdentifyAndBatchLandAsActivitiesAndPersons() throws Exception {
        HttpResponse<String> track = segment("track", """
                {"userId":"u-1","event":"Requested Demo","messageId":"m-1","timestamp":"2026-12-05T10:00:00Z",
                 "context":{"traits":{"email":"ada@acme.io"}}}""", WRITE_KEY);
        HttpResponse<String> identify = segment("identify", """
                {"userId":"u-1","messageId":"m-2","traits":{"email":"ada@acme.io","name":"Ada Lovelace"}}""",
                WRITE_KEY);
        HttpResponse<String> batch = segment("batch", """
                {"batch":[{"type":"track","userId":"u-2","event":"Requested Demo","messageId":"m-3"},
                          {"type":"track","userId":"u-1","event":"Requested Demo","messageId":"m-1"}]}""", WRITE_KEY);

        assertThat(track.statusCode()).as(track.body()).isEqualTo(200);
        assertThat(JSON.readTree(track.body()).path("success").asBoolean()).isTrue();
        assertThat(identify.statusCode()).isEqualTo(200);
        JsonNode batchAnswer = JSON.readTree(batch.body());
        assertThat(batchAnswer.path("accepted").asInt()).isEqualTo(1);
        assertThat(batchAnswer.path("duplicates").asInt()).as("m-1 was sent before").isEqualTo(1);
        assertThat(INTAKE.accepted).extracting(Change::eventId).containsExactly("m-1", "m-2", "m-3");
        assertThat(INTAKE.accepted.get(0).record().value()).isInstanceOfSatisfying(Activity.class,
                a -> assertThat(a.type()).isEqualTo("demo_request"));
        assertThat(INTAKE.accepted.get(1).record().value()).isInstanceOfSatisfying(Person.class,
                p -> assertThat(p.lastName()).isEqualTo("Lovelace"));
        assertThat(INTAKE.accepted.get(1).stream().toString()).contains("persons");
    }

    @Test
    void segmentMalformedBodiesAre400WithTheReasonAndABatchKeepsItsGoodMessages() throws Exception {
        HttpResponse<String> notJson = segment("track", "{\"userId\":", WRITE_KEY);
        HttpResponse<String> partly = segment("batch", """
                {"batch":[{"type":"track","userId":"u-3","event":"Requested Demo","messageId":"g-1"},
                          {"type":"track","event":"Requested Demo","messageId":"bad-1"}]}""", WRITE_KEY);
        INTAKE.failNext.set(1);
        HttpResponse<String> unavailable = segment("track",
                "{\"userId\":\"u-4\",\"event\":\"Requested Demo\",\"messageId\":\"m-9\"}", WRITE_KEY);

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).path("detail").asText()).startsWith("the body is not JSON");
        assertThat(partly.statusCode()).isEqualTo(400);
        JsonNode answer = JSON.readTree(partly.body());
        assertThat(answer.path("accepted").asInt()).isEqualTo(1);
        assertThat(answer.path("rejected").get(0).path("messageId").asText()).isEqualTo("bad-1");
        assertThat(answer.path("rejected").get(0).path("reason").asText()).contains("userId or anonymousId");
        assertThat(INTAKE.accepted).extracting(Change::eventId).containsExactly("g-1");
        assertThat(unavailable.statusCode()).as("the sender retries a 5xx").isEqualTo(503);
    }
}
