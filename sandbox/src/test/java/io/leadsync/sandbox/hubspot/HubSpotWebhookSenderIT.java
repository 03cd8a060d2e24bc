package io.leadsync.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's webhook requests look as HubSpot's do: headers, signature, event fields, batches. */
class HubSpotWebhookSenderIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant SIM_NOW = Instant.parse("2026-11-02T09:30:00Z");
    private HubSpotSimulator hubspot;
    private HttpServer receiver;
    private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private String target;

    @BeforeEach
    void start() throws Exception {
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits()
                .withClock(Clock.fixed(SIM_NOW, ZoneOffset.UTC)));
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            try (exchange) {
                headers.add(Map.of("signature", exchange.getRequestHeaders().getFirst("X-HubSpot-Signature-v3"),
                        "timestamp", exchange.getRequestHeaders().getFirst("X-HubSpot-Request-Timestamp"),
                        "contentType", exchange.getRequestHeaders().getFirst("Content-Type")));
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        receiver.start();
        target = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        hubspot.close();
    }

    private void awaitEvents(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private List<JsonNode> events() {
        List<JsonNode> all = new ArrayList<>();
        for (String body : bodies) {
            try {
                JSON.readTree(body).forEach(all::add);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return all;
    }

    @Test
    void sendsSignedBatchesOfHubSpotsEventShape() throws Exception {
        hubspot.webhooks().configure(HubSpotWebhookSender.Settings.of(URI.create(target), "app-secret"));

        String id = hubspot.createContact(Map.of("email", "ada@acme.io"));
        hubspot.updateContact(id, Map.of("lifecyclestage", "salesqualifiedlead"));
        hubspot.archiveContact(id);
        awaitEvents(3);

        List<JsonNode> events = events();
        assertThat(events).extracting(e -> e.path("subscriptionType").asText())
                .containsExactly("contact.creation", "contact.propertyChange", "contact.deletion");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.path("objectId").asText()).isEqualTo(id);
            assertThat(event.path("occurredAt").asLong()).isEqualTo(SIM_NOW.toEpochMilli());
            assertThat(event.path("attemptNumber").asInt()).isZero();
            assertThat(event.path("portalId").asLong()).isEqualTo(62515);
            assertThat(event.path("appId").asLong()).isEqualTo(54321);
        });
        assertThat(events).extracting(e -> e.path("eventId").asLong()).doesNotHaveDuplicates();
        assertThat(events.get(1).path("propertyName").asText()).isEqualTo("lifecyclestage");
        assertThat(events.get(1).path("propertyValue").asText()).isEqualTo("salesqualifiedlead");
        for (int i = 0; i < bodies.size(); i++) {
            Map<String, String> request = headers.get(i);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("app-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(mac.doFinal(("POST" + target + bodies.get(i)
                    + request.get("timestamp")).getBytes(StandardCharsets.UTF_8)));
            assertThat(request.get("signature")).isEqualTo(expected);
            assertThat(Long.parseLong(request.get("timestamp"))).as("the request's real time, not the simulated one")
                    .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
            assertThat(request.get("contentType")).isEqualTo("application/json");
        }
    }

    @Test
    void theWebhooksApiSubscribesTargetAndPropertiesAsHubSpotsDoes() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = hubspot.baseUrl() + "/webhooks/v3/54321/";
        HttpResponse<String> settings = http.send(HttpRequest.newBuilder(URI.create(base + "settings"))
                .header("Authorization", "Bearer " + HubSpotSimulator.Options.DEFAULT_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"targetUrl\":\"" + target + "\",\"clientSecret\":\"x\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> subscribe = http.send(HttpRequest.newBuilder(URI.create(base + "subscriptions"))
                .header("Authorization", "Bearer " + HubSpotSimulator.Options.DEFAULT_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"eventType\":\"contact.propertyChange\","
                        + "\"propertyName\":\"leadsync_score\",\"active\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> noProperty = http.send(HttpRequest.newBuilder(URI.create(base + "subscriptions"))
                .header("Authorization", "Bearer " + HubSpotSimulator.Options.DEFAULT_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"eventType\":\"contact.propertyChange\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(settings.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(settings.body()).path("targetUrl").asText()).isEqualTo(target);
        assertThat(subscribe.statusCode()).isEqualTo(200);
        assertThat(subscribe.body()).contains("\"propertyName\":\"leadsync_score\"");
        assertThat(noProperty.statusCode()).isEqualTo(400);
        assertThat(noProperty.body()).contains("needs a propertyName");

        String id = hubspot.createContact(Map.of("email", "grace@acme.io"));
        hubspot.updateContact(id, Map.of("leadsync_score", "81", "hs_persona", "persona_1"));
        awaitEvents(2);
        Thread.sleep(300);
        assertThat(events()).extracting(e -> e.path("subscriptionType").asText() + " " + e.path("propertyName")
                .asText("")).containsExactly("contact.creation ", "contact.propertyChange leadsync_score");
    }
}
