package io.leadsync.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.Change;
import io.leadsync.connector.ChangeFeed;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Fetched;
import io.leadsync.connector.Person;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Change Data Capture end to end: changes made through the simulator's REST API become change events on its
 * Pub/Sub API (gRPC), which camel-salesforce's {@code pubSubSubscribe} consumer receives unchanged and the
 * connector's change feed turns into {@link Change}s; and records read back by id.
 */
class SalesforceChangeFeedIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StreamId LEADS = new StreamId(SalesforceFixture.NAME, "leads");
    private static final StreamId CONTACTS = new StreamId(SalesforceFixture.NAME, "contacts");
    private static final StreamId TASKS = new StreamId(SalesforceFixture.NAME, "tasks");
    private final HttpClient http = HttpClient.newHttpClient();
    private SalesforceFixture fixture;
    private String token;

    /** What a listener received: batches with their positions. */
    private static final class Received implements ChangeFeed.Listener {
        final List<Change> changes = new CopyOnWriteArrayList<>();
        final List<String> positions = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        @Override
        public void accept(List<Change> batch, String position) {
            changes.addAll(batch);
            positions.add(position);
        }

        @Override
        public void failed(Throwable cause) {
            failures.add(cause);
        }
    }

    @BeforeEach
    void start() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 0);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private Map<String, Object> cdcSettings() {
        Map<String, Object> settings = fixture.settings();
        settings.put("cdc", new HashMap<>(Map.of("enabled", "true", "pubsub-host", fixture.simulator.pubSub().host(),
                "pubsub-port", String.valueOf(fixture.simulator.pubSub().port()), "plaintext", "true",
                "batch-size", "2")));
        return settings;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------ REST, as a user's changes arrive

    private void login() throws Exception {
        var o = fixture.simulator.options();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(fixture.simulator.baseUrl()
                        .resolve("/services/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=" + o.clientId()
                        + "&client_secret=" + o.clientSecret() + "&username="
                        + URLEncoder.encode(o.username(), StandardCharsets.UTF_8) + "&password=" + o.password()))
                .build(), HttpResponse.BodyHandlers.ofString());
        token = JSON.readTree(response.body()).path("access_token").asText();
    }

    private JsonNode rest(String method, String path, Object body) throws Exception {
        if (token == null) {
            login();
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(fixture.simulator.baseUrl()
                        .resolve("/services/data/v60.0/" + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    private String createLead(String lastName) throws Exception {
        return rest("POST", "sobjects/Lead", Map.of("LastName", lastName, "Company", "Acme",
                "Email", lastName.toLowerCase() + "@acme.example")).path("id").asText();
    }

    private static List<String> ids(List<Change> changes) {
        return changes.stream().map(change -> change.kind() + " " + change.id().id()).toList();
    }

    @Test
    void changesMadeThroughRestArriveInOrderWithIncreasingReplayIds() throws Exception {
        SourceConnector source = fixture.source(cdcSettings());
        ChangeFeed feed = source.changeFeed().orElseThrow();
        Received received = new Received();
        feed.start(null, received);
        await("the subscription", () -> fixture.simulator.pubSub().subscriptions() == 1);

        String lead = createLead("Lovelace");
        rest("PATCH", "sobjects/Lead/" + lead, Map.of("Title", "VP Engineering"));
        String contact = rest("POST", "sobjects/Contact", Map.of("LastName", "Hopper")).path("id").asText();
        rest("POST", "sobjects/Account", Map.of("Name", "Not selected for CDC"));
        rest("DELETE", "sobjects/Lead/" + lead, null);
        String second = createLead("Babbage");
        String third = createLead("Somerville");
        // one call that does the same to two records: one event naming both, one change each
        rest("PATCH", "composite/sobjects", Map.of("allOrNone", false, "records", List.of(
                Map.of("attributes", Map.of("type", "Lead"), "id", second, "Status", "Working"),
                Map.of("attributes", Map.of("type", "Lead"), "id", third, "Status", "Working"))));
        String task = rest("POST", "sobjects/Task", Map.of("WhoId", contact, "Subject", "Call", "Status",
                "Completed", "Priority", "Normal")).path("id").asText();

        await("nine changes", () -> received.changes.size() >= 9);
        Thread.sleep(200);
        assertThat(ids(received.changes)).containsExactly("UPSERTED " + lead, "UPSERTED " + lead,
                "UPSERTED " + contact, "DELETED " + lead, "UPSERTED " + second, "UPSERTED " + third,
                "UPSERTED " + second, "UPSERTED " + third, "UPSERTED " + task);
        assertThat(received.changes.get(0).stream()).isEqualTo(LEADS);
        assertThat(received.changes.get(2).stream()).isEqualTo(CONTACTS);
        assertThat(received.changes.get(8).stream()).isEqualTo(TASKS);
        assertThat(received.changes).allSatisfy(change -> assertThat(change.record()).isNull());
        // the shared event: two changes, one position; event ids are replay id and record id
        Change both = received.changes.get(6);
        assertThat(both.eventId()).endsWith(":" + second);
        assertThat(received.changes.get(7).eventId().split(":")[0]).isEqualTo(both.eventId().split(":")[0]);
        // one batch per event, eight events (Account is not selected for Change Data Capture), each position a
        // replay id, increasing
        List<Long> replayIds = received.positions.stream().map(SalesforceChangeFeedIT::replayNumber).toList();
        assertThat(replayIds).hasSize(8).isSorted().doesNotHaveDuplicates();
        assertThat(received.failures).isEmpty();
        feed.close();
        await("the subscription to end", () -> fixture.simulator.pubSub().subscriptions() == 0);
    }

    private static long replayNumber(String position) {
        return java.nio.ByteBuffer.wrap(Base64.getDecoder().decode(position)).getLong();
    }

    @Test
    void aRestartResumesAfterTheStoredReplayIdWithNothingLostOrRepeated() throws Exception {
        List<String> leads = new ArrayList<>();
        Received first = new Received();
        String stored;
        try (var run = fixture.isolated()) {
            ChangeFeed feed = run.source(cdcSettings()).changeFeed().orElseThrow();
            feed.start(null, first);
            await("the subscription", () -> fixture.simulator.pubSub().subscriptions() == 1);
            for (int i = 0; i < 5; i++) {
                leads.add(createLead("First" + i));
            }
            await("five changes", () -> first.changes.size() == 5);
            feed.close();
            // the pipeline stored the position of the third batch only (the last two were not yet accepted)
            stored = first.positions.get(2);
        }
        // changes while leadsync is down
        for (int i = 0; i < 7; i++) {
            leads.add(createLead("Down" + i));
        }

        Received second = new Received();
        try (var run = fixture.isolated()) {
            ChangeFeed feed = run.source(cdcSettings()).changeFeed().orElseThrow();
            feed.start(stored, second);
            await("nine changes after the stored position", () -> second.changes.size() >= 9);
            leads.add(createLead("After"));
            await("the change after the restart", () -> second.changes.size() >= 10);
            Thread.sleep(200);
            feed.close();
        }
        assertThat(second.changes.stream().map(change -> change.id().id()).toList())
                .containsExactlyElementsOf(leads.subList(3, leads.size()));
        assertThat(second.changes.stream().map(Change::eventId))
                .doesNotContainAnyElementsOf(first.changes.subList(0, 3).stream().map(Change::eventId).toList());
        assertThat(replayNumber(second.positions.get(0))).isEqualTo(replayNumber(stored) + 1);
    }

    @Test
    void aStoredReplayIdNoLongerRetainedResumesFromTheNewestEventAndReadsTheStreamsAgain() throws Exception {
        fixture.simulator.create("Lead", Map.of("LastName", "Old", "Company", "Acme"));
        String stored = io.leadsync.sandbox.salesforce.PubSubSimulator.replayIdText(
                fixture.simulator.pubSub().latestReplayId());
        // the feed stayed off longer than the bus retains events
        fixture.simulator.pubSub().retention(Duration.ZERO);
        fixture.simulator.create("Lead", Map.of("LastName", "Missed", "Company", "Acme"));
        fixture.simulator.create("Lead", Map.of("LastName", "Missed too", "Company", "Acme"));

        ChangeFeed feed = fixture.source(cdcSettings()).changeFeed().orElseThrow();
        Received received = new Received();
        feed.start(stored, received);
        await("the subscription from the newest event", () -> fixture.simulator.pubSub().subscriptions() == 1);
        String lead = fixture.simulator.create("Lead", Map.of("LastName", "New", "Company", "Acme"));

        await("the gap and the new change", () -> received.changes.size() == 5);
        assertThat(ids(received.changes)).containsExactly("GAP *", "GAP *", "GAP *", "GAP *", "UPSERTED " + lead);
        assertThat(received.changes.subList(0, 4).stream().map(change -> change.stream().stream()))
                .containsExactly("leads", "contacts", "tasks", "events");
        assertThat(received.failures).isEmpty();
        feed.close();
    }

    @Test
    void aListenerThatKeepsFailingStopsTheFeedAndIsTold() throws Exception {
        ChangeFeed feed = fixture.source(cdcSettings()).changeFeed().orElseThrow();
        List<List<Change>> attempts = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        feed.start(null, new ChangeFeed.Listener() {
            @Override
            public void accept(List<Change> changes, String position) {
                attempts.add(changes);
                throw new IllegalStateException("the inbox is unavailable");
            }

            @Override
            public void failed(Throwable cause) {
                failures.add(cause);
            }
        });
        await("the subscription", () -> fixture.simulator.pubSub().subscriptions() == 1);
        fixture.simulator.create("Lead", Map.of("LastName", "Refused", "Company", "Acme"));
        fixture.simulator.create("Lead", Map.of("LastName", "Never delivered", "Company", "Acme"));

        await("the feed to stop", () -> !failures.isEmpty() && fixture.simulator.pubSub().subscriptions() == 0);
        assertThat(attempts).as("the first event, three times; nothing after it").hasSize(3)
                .allSatisfy(changes -> assertThat(changes).hasSize(1));
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).hasMessageContaining("not accepted after 3 attempts")
                .hasMessageContaining("the inbox is unavailable");
        feed.close();
    }

    @Test
    void leadsyncsOwnScoreWritesComingBackAreNotChanges() throws Exception {
        ChangeFeed feed = fixture.source(cdcSettings()).changeFeed().orElseThrow();
        Received received = new Received();
        feed.start(null, received);
        await("the subscription", () -> fixture.simulator.pubSub().subscriptions() == 1);
        String lead = createLead("Scored");
        rest("PATCH", "sobjects/Lead/" + lead, Map.of("Lead_Score__c", "87", "Lead_Grade__c", "A"));
        rest("PATCH", "sobjects/Lead/" + lead, Map.of("Lead_Score__c", "91", "Title", "CFO"));

        await("the create, the echo's position and the real update", () -> received.positions.size() == 3);
        assertThat(ids(received.changes)).containsExactly("UPSERTED " + lead, "UPSERTED " + lead);
        assertThat(replayNumber(received.changes.get(1).eventId().split(":")[0]))
                .isEqualTo(replayNumber(received.positions.get(2)));
        feed.close();
    }

    @Test
    void gapAndOverflowEventsBecomeGapChanges() throws Exception {
        ChangeFeed feed = fixture.source(cdcSettings()).changeFeed().orElseThrow();
        Received received = new Received();
        feed.start(null, received);
        await("the subscription", () -> fixture.simulator.pubSub().subscriptions() == 1);
        String lead = fixture.simulator.create("Lead", Map.of("LastName", "Gap", "Company", "Acme"));

        fixture.simulator.pubSub().gap("Lead", "GAP_UPDATE", List.of(lead));
        fixture.simulator.pubSub().overflow("Contact");

        await("three changes", () -> received.changes.size() == 3);
        assertThat(ids(received.changes)).containsExactly("UPSERTED " + lead, "GAP " + lead, "GAP *");
        assertThat(received.changes.get(2).stream()).isEqualTo(CONTACTS);
        feed.close();
    }

    @Test
    void anExpiredSessionIsRefusedByThePubSubApiAndTheComponentLogsInAgain() throws Exception {
        SourceConnector source = fixture.source(cdcSettings());
        assertThat(source.check().ok()).isTrue();
        // the component holds a token the org no longer knows: the subscribe call fails UNAUTHENTICATED with
        // Salesforce's auth error code, on which camel-salesforce logs in again and resubscribes
        fixture.simulator.expireSessions();
        long loginsBefore = tokenRequests();
        ChangeFeed feed = source.changeFeed().orElseThrow();
        Received received = new Received();
        feed.start(null, received);
        await("the subscription after logging in again", () -> fixture.simulator.pubSub().subscriptions() == 1);
        assertThat(tokenRequests()).isGreaterThan(loginsBefore);

        String lead = fixture.simulator.create("Lead", Map.of("LastName", "Again", "Company", "Acme"));
        await("the change", () -> received.changes.size() == 1);
        assertThat(received.changes.get(0).id()).isEqualTo(new ExternalId(SalesforceFixture.NAME, lead));
        feed.close();
    }

    private long tokenRequests() {
        return fixture.simulator.requests().stream().filter(r -> r.path().startsWith("/services/oauth2/token"))
                .count();
    }

    @Test
    void fetchReadsCurrentRecordsAndDeletedOnesByIdInFewCalls() throws Exception {
        SourceConnector source = fixture.source(fixture.settings());
        String kept = createLead("Kept");
        rest("PATCH", "sobjects/Lead/" + kept, Map.of("Title", "CTO"));
        String deleted = createLead("Deleted");
        rest("DELETE", "sobjects/Lead/" + deleted, null);
        List<String> many = IntStream.range(0, 650).mapToObj(i -> fixture.simulator.insert("Lead", Map.of(
                "LastName", "Bulk" + i, "Company", "Acme"), java.time.Instant.now(), java.time.Instant.now())).toList();
        String purged = "00Q000000000zzzAAA";

        int queriesBefore = queries();
        List<String> wanted = new ArrayList<>(List.of(kept, deleted, purged));
        wanted.addAll(many);
        Fetched fetched = source.fetch(LEADS, wanted);

        assertThat(queries() - queriesBefore).isEqualTo(3);
        assertThat(fetched.rejected()).isEmpty();
        assertThat(fetched.items()).hasSize(653);
        Map<String, SourceRecord> byId = new HashMap<>();
        fetched.items().forEach(item -> byId.put(item.id().id(), item));
        SourceRecord current = byId.get(kept);
        assertThat(current.deleted()).isFalse();
        assertThat(((Person) current.value()).title()).isEqualTo("CTO");
        assertThat(byId.get(deleted).deleted()).isTrue();
        assertThat(byId.get(purged).deleted()).isTrue();
        assertThat(many).allSatisfy(id -> assertThat(byId.get(id).deleted()).isFalse());
        // the same mapping as the stream's read
        SourceRecord read;
        try (var pages = source.read(LEADS, null)) {
            read = pages.flatMap(page -> page.items().stream()).filter(r -> r.id().id().equals(kept)).findFirst()
                    .orElseThrow();
        }
        assertThat(current.value()).isEqualTo(read.value());
    }

    private int queries() {
        return (int) fixture.simulator.requests().stream().filter(r -> r.path().contains("/queryAll")).count();
    }
}
