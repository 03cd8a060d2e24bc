package io.leadsync.connector.hubspot;

import com.sun.net.httpserver.HttpServer;
import io.leadsync.connector.Change;
import io.leadsync.connector.Secret;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.sandbox.hubspot.HubSpotWebhookSender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HubSpot simulator's webhooks against the connector's check of them: two implementations of HubSpot's v3
 * signature that must agree (including the URI's decoded escapes), and HubSpot's retry rules (timeouts and 5xx
 * retried with the next attemptNumber, 400 not).
 */
class HubSpotSimulatorWebhooksIT {
    private static final String SECRET = "hs-client-secret-1f0e2d3c";

    private HubSpotSimulator hubspot;
    private HttpServer receiver;
    private final List<String> verdicts = new CopyOnWriteArrayList<>();
    private final List<Change> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger answer = new AtomicInteger(200);
    private final AtomicInteger slowFirst = new AtomicInteger();
    private String targetUrl;

    @BeforeEach
    void start() throws Exception {
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        targetUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/hubspot-main?owner=ops%40acme.io"
                + "&tag=a%20b";
        HubSpotWebhooks webhooks = new HubSpotWebhooks("hubspot-main", Secret.of(SECRET), null,
                List.of("contacts"), Clock.systemUTC());
        receiver.createContext("/hooks/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String url = "http://" + exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI();
                int status;
                try {
                    webhooks.verify(exchange.getRequestMethod(), url, body,
                            exchange.getRequestHeaders().getFirst(HubSpotWebhooks.SIGNATURE_HEADER),
                            exchange.getRequestHeaders().getFirst(HubSpotWebhooks.TIMESTAMP_HEADER));
                    verdicts.add("valid");
                    boolean slow = slowFirst.getAndDecrement() > 0;
                    if (slow) {
                        Thread.sleep(1_500);   // past the sender's timeout: it has given up on this attempt
                    }
                    status = answer.get();
                    if (status == 200 && !slow) {
                        received.addAll(webhooks.parse(body).changes());
                    }
                } catch (HubSpotWebhooks.Refused e) {
                    verdicts.add("refused: " + e.getMessage());
                    status = 401;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    status = 500;
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        hubspot.close();
    }

    private void subscribe() {
        hubspot.webhooks().configure(HubSpotWebhookSender.Settings.of(URI.create(targetUrl), SECRET)
                .withFirstRetryDelay(Duration.ofMillis(30)).withTimeout(Duration.ofMillis(500)));
    }

    @Test
    void theSimulatorsSignatureVerifiesWithTheConnectorsCheckOnAUrlWithEscapes() {
        subscribe();

        String id = hubspot.createContact(Map.of("email", "ada@acme.io"));
        hubspot.updateContact(id, Map.of("jobtitle", "CTO"));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 2);
        assertThat(verdicts).containsOnly("valid");
        assertThat(received).extracting(c -> c.id().id()).containsOnly(id);
    }

    @Test
    void aMergeThroughTheApiIsSentAndOnlySubscribedPropertiesAre() throws Exception {
        subscribe();
        String primary = hubspot.createContact(Map.of("email", "a@acme.io"));
        String duplicate = hubspot.createContact(Map.of("email", "a.dup@acme.io"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 2);
        received.clear();

        hubspot.updateContact(primary, Map.of("leadsync_score", "77"));   // not subscribed: leadsync's own write
        java.net.http.HttpResponse<String> merge = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(hubspot.baseUrl() + "/crm/v3/objects/contacts/merge"))
                        .header("Authorization", "Bearer " + HubSpotSimulator.Options.DEFAULT_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"primaryObjectId\":\"" + primary
                                + "\",\"objectIdToMerge\":\"" + duplicate + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(merge.statusCode()).as(merge.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 2);
        assertThat(received).extracting(c -> c.kind() + " " + c.id().id())
                .containsExactly("MERGED " + duplicate, "UPSERTED " + primary);
        assertThat(hubspot.contact(duplicate)).isEmpty();
    }

    @Test
    void aTimedOutAttemptIsSentAgainWithTheNextAttemptNumber() {
        slowFirst.set(1);
        subscribe();

        String id = hubspot.createContact(Map.of("email", "grace@acme.io"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        assertThat(hubspot.webhooks().deliveries()).extracting(HubSpotWebhookSender.Delivery::attemptNumber,
                HubSpotWebhookSender.Delivery::status).containsExactly(org.assertj.core.groups.Tuple.tuple(0, -1),
                org.assertj.core.groups.Tuple.tuple(1, 200));
        assertThat(received).extracting(c -> c.id().id()).containsExactly(id);
    }

    @Test
    void aBadRequestAnswerIsNotRetriedButAServerErrorIsUpToTheLimit() {
        answer.set(400);
        subscribe();
        hubspot.createContact(Map.of("email", "one@acme.io"));
        await().atMost(Duration.ofSeconds(10)).until(() -> hubspot.webhooks().outstanding() == 0
                && !hubspot.webhooks().deliveries().isEmpty());
        assertThat(hubspot.webhooks().deliveries()).hasSize(1);

        answer.set(500);
        hubspot.webhooks().configure(HubSpotWebhookSender.Settings.of(URI.create(targetUrl), SECRET)
                .withFirstRetryDelay(Duration.ofMillis(5)).withMaxAttempts(4).withTimeout(Duration.ofMillis(500)));
        hubspot.createContact(Map.of("email", "two@acme.io"));
        await().atMost(Duration.ofSeconds(10)).until(() -> hubspot.webhooks().outstanding() == 0
                && hubspot.webhooks().deliveries().size() == 5);
        assertThat(hubspot.webhooks().deliveries().subList(1, 5)).extracting(HubSpotWebhookSender.Delivery::attemptNumber)
                .containsExactly(0, 1, 2, 3);
    }

    @Test
    void aWrongSecretIsRefusedByTheConnector() {
        hubspot.webhooks().configure(HubSpotWebhookSender.Settings.of(URI.create(targetUrl), "not-the-secret")
                .withFirstRetryDelay(Duration.ofMillis(30)));

        hubspot.createContact(Map.of("email", "eve@acme.io"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !verdicts.isEmpty());
        assertThat(verdicts.get(0)).startsWith("refused: X-HubSpot-Signature-v3 does not match");
        await().atMost(Duration.ofSeconds(5)).until(() -> hubspot.webhooks().outstanding() == 0);
        assertThat(hubspot.webhooks().deliveries()).as("401 is not retried").hasSize(1);
        assertThat(received).isEmpty();
    }
}
