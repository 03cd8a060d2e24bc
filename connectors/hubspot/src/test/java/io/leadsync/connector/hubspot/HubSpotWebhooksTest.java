package io.leadsync.connector.hubspot;

import io.leadsync.connector.Change;
import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.ReceivedChanges;
import io.leadsync.connector.Secret;
import io.leadsync.connector.StreamId;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubSpotWebhooksTest {
    private static final String SECRET = "c0ffee00-1234-4d2a-9e8f-aa55aa55aa55";
    private static final Instant NOW = Instant.parse("2026-12-05T15:00:00Z");
    private static final String URL = "https://leadsync.example.com/webhooks/hubspot/hubspot-main";
    private static final String BODY = "[{\"eventId\":1001,\"subscriptionId\":77,\"portalId\":62515,\"appId\":54321,"
            + "\"occurredAt\":1764946800000,\"subscriptionType\":\"contact.creation\",\"attemptNumber\":0,"
            + "\"objectId\":501,\"changeSource\":\"CRM\",\"changeFlag\":\"NEW\"}]";

    private final HubSpotWebhooks webhooks = new HubSpotWebhooks("hubspot-main", Secret.of(SECRET), null,
            List.of("contacts", "emails", "meetings"), Clock.fixed(NOW, ZoneOffset.UTC));

    /** The v3 signature computed here by hand, independently of the class under test. */
    private static String hmac(String source) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(source.getBytes(StandardCharsets.UTF_8)));
    }

    private static String millis(Instant instant) {
        return String.valueOf(instant.toEpochMilli());
    }

    @Test
    void acceptsARequestSignedAsHubSpotDoes() throws Exception {
        String timestamp = millis(NOW.minusSeconds(30));
        String signature = hmac("POST" + URL + BODY + timestamp);

        webhooks.verify("POST", URL, BODY, signature, timestamp);
    }

    @Test
    void decodesHubSpotsListedCharactersInTheUriBeforeSigning() throws Exception {
        String received = URL + "?portal=62515&from=ops%40acme.com&path=%2Fa%3Ab&name=x%20y&eq=%3D";
        String signedAs = URL + "?portal=62515&from=ops@acme.com&path=/a:b&name=x%20y&eq=%3D";
        String timestamp = millis(NOW);

        webhooks.verify("POST", received, BODY, hmac("POST" + signedAs + BODY + timestamp), timestamp);
        assertThat(HubSpotWebhooks.decodeUri("%3a%2F%3F%40%21%24%27%28%29%2A%2C%3B%20%26%3D"))
                .isEqualTo(":/?@!$'()*,;%20%26%3D");
    }

    @Test
    void refusesATamperedBodyOrUriOrMethod() throws Exception {
        String timestamp = millis(NOW);
        String signature = hmac("POST" + URL + BODY + timestamp);

        assertThatThrownBy(() -> webhooks.verify("POST", URL, BODY.replace("501", "502"), signature, timestamp))
                .isInstanceOf(HubSpotWebhooks.Refused.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> webhooks.verify("POST", URL + "-other", BODY, signature, timestamp))
                .isInstanceOf(HubSpotWebhooks.Refused.class).hasMessageContaining("webhook.target-url");
        assertThatThrownBy(() -> webhooks.verify("PUT", URL, BODY, signature, timestamp))
                .isInstanceOf(HubSpotWebhooks.Refused.class);
        String later = millis(NOW.plusSeconds(1));
        assertThatThrownBy(() -> webhooks.verify("POST", URL, BODY, signature, later))
                .as("the timestamp is signed too").isInstanceOf(HubSpotWebhooks.Refused.class);
    }

    @Test
    void refusesASignatureMadeWithAnotherSecretWithoutNamingEitherSecret() throws Exception {
        String timestamp = millis(NOW);
        HubSpotWebhooks other = new HubSpotWebhooks("hubspot-main", Secret.of("another-secret-0000"), null,
                List.of("contacts"), Clock.fixed(NOW, ZoneOffset.UTC));
        String signature = hmac("POST" + URL + BODY + timestamp);

        assertThatThrownBy(() -> other.verify("POST", URL, BODY, signature, timestamp))
                .isInstanceOf(HubSpotWebhooks.Refused.class)
                .hasMessageContaining("sync.connectors.hubspot-main")
                .hasMessageNotContaining(SECRET).hasMessageNotContaining("another-secret-0000");
    }

    @Test
    void refusesStaleAndFutureTimestampsEvenWhenSigned() throws Exception {
        String stale = millis(NOW.minusSeconds(301));
        String future = millis(NOW.plusSeconds(301));
        String edge = millis(NOW.minusSeconds(300));

        assertThatThrownBy(() -> webhooks.verify("POST", URL, BODY, hmac("POST" + URL + BODY + stale), stale))
                .isInstanceOf(HubSpotWebhooks.Refused.class).hasMessageContaining("301 s old");
        assertThatThrownBy(() -> webhooks.verify("POST", URL, BODY, hmac("POST" + URL + BODY + future), future))
                .isInstanceOf(HubSpotWebhooks.Refused.class).hasMessageContaining("ahead");
        webhooks.verify("POST", URL, BODY, hmac("POST" + URL + BODY + edge), edge);
    }

    @Test
    void refusesMissingSignatureOrTimestamp() throws Exception {
        String timestamp = millis(NOW);
        String signature = hmac("POST" + URL + BODY + timestamp);

        assertThatThrownBy(() -> webhooks.verify("POST", URL, BODY, null, timestamp))
                .isInstanceOf(HubSpotWebhooks.Refused.class).hasMessageContaining("not signed");
        assertThatThrownBy(() -> webhooks.verify("POST", URL, BODY, signature, null))
                .isInstanceOf(HubSpotWebhooks.Refused.class).hasMessageContaining("Timestamp is missing");
        assertThatThrownBy(() -> webhooks.verify("POST", URL, BODY, signature, "yesterday"))
                .isInstanceOf(HubSpotWebhooks.Refused.class).hasMessageContaining("epoch milliseconds");
    }

    @Test
    void theConfiguredTargetUrlIsWhatTheSignatureCovers() throws Exception {
        HubSpotWebhooks proxied = new HubSpotWebhooks("hubspot-main", Secret.of(SECRET), java.net.URI.create(URL),
                List.of("contacts"), Clock.fixed(NOW, ZoneOffset.UTC));
        String timestamp = millis(NOW);

        proxied.verify("POST", "http://10.0.0.7:8080/webhooks/hubspot/hubspot-main", BODY,
                hmac("POST" + URL + BODY + timestamp), timestamp);
    }

    @Test
    void mapsCreationPropertyChangeDeletionAndMergeToChangesOfTheContactsStream() {
        String body = """
                [{"eventId":1,"subscriptionId":10,"portalId":62515,"appId":9,"occurredAt":1764946800000,
                  "subscriptionType":"contact.creation","attemptNumber":0,"objectId":501},
                 {"eventId":2,"subscriptionId":11,"portalId":62515,"appId":9,"occurredAt":1764946801000,
                  "subscriptionType":"contact.propertyChange","attemptNumber":1,"objectId":502,
                  "propertyName":"lifecyclestage","propertyValue":"salesqualifiedlead"},
                 {"eventId":3,"subscriptionId":12,"portalId":62515,"appId":9,"occurredAt":1764946802000,
                  "subscriptionType":"contact.deletion","attemptNumber":0,"objectId":503},
                 {"eventId":4,"subscriptionId":13,"portalId":62515,"appId":9,"occurredAt":1764946803000,
                  "subscriptionType":"contact.merge","attemptNumber":0,"objectId":504,
                  "primaryObjectId":504,"mergedObjectIds":[505,506],"newObjectId":504,"numberOfPropertiesMoved":3}]
                """;

        ReceivedChanges batch = webhooks.parse(body);

        StreamId contacts = new StreamId("hubspot-main", "contacts");
        assertThat(batch.problems()).isEmpty();
        assertThat(batch.changes()).extracting(Change::eventId, Change::stream, c -> c.id().id(), Change::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1:10:501", contacts, "501", Change.Kind.UPSERTED),
                        org.assertj.core.groups.Tuple.tuple("2:11:502", contacts, "502", Change.Kind.UPSERTED),
                        org.assertj.core.groups.Tuple.tuple("3:12:503", contacts, "503", Change.Kind.DELETED),
                        org.assertj.core.groups.Tuple.tuple("4:13:505", contacts, "505", Change.Kind.MERGED),
                        org.assertj.core.groups.Tuple.tuple("4:13:506", contacts, "506", Change.Kind.MERGED),
                        org.assertj.core.groups.Tuple.tuple("4:13:504", contacts, "504", Change.Kind.UPSERTED));
        assertThat(batch.changes().get(1).changedAt()).isEqualTo(Instant.ofEpochMilli(1764946801000L));
        assertThat(batch.changes()).allMatch(c -> c.record() == null, "named only: the pipeline fetches them");
        assertThat(batch.changes().get(0).id()).isEqualTo(new ExternalId("hubspot-main", "501"));
    }

    @Test
    void mapsAssociationAndEngagementEventsOfReadStreamsAndIgnoresTheRest() {
        String body = """
                [{"eventId":5,"subscriptionId":20,"occurredAt":1764946800000,"subscriptionType":"contact.associationChange",
                  "associationType":"CONTACT_TO_COMPANY","fromObjectId":601,"toObjectId":9001,"associationRemoved":false},
                 {"eventId":6,"subscriptionId":21,"occurredAt":1764946800000,"subscriptionType":"object.creation",
                  "objectTypeId":"0-47","objectId":7001},
                 {"eventId":7,"subscriptionId":22,"occurredAt":1764946800000,"subscriptionType":"object.creation",
                  "objectTypeId":"0-48","objectId":7002},
                 {"eventId":8,"subscriptionId":23,"occurredAt":1764946800000,"subscriptionType":"deal.creation",
                  "objectId":8001}]
                """;

        ReceivedChanges batch = webhooks.parse(body);

        assertThat(batch.changes()).extracting(c -> c.stream().stream() + "/" + c.id().id())
                .containsExactly("contacts/601", "meetings/7001");
        assertThat(batch.ignored()).as("calls are not read; deals are not a stream").isEqualTo(2);
    }

    @Test
    void namesTheEventsItCannotReadAndKeepsTheOthers() {
        String body = """
                [{"eventId":9,"subscriptionId":30,"occurredAt":1764946800000,"subscriptionType":"contact.creation"},
                 {"eventId":10,"subscriptionId":30,"occurredAt":1764946800000,"subscriptionType":"contact.creation",
                  "objectId":902}]
                """;

        ReceivedChanges batch = webhooks.parse(body);

        assertThat(batch.changes()).hasSize(1);
        assertThat(batch.problems()).containsExactly(new ReceivedChanges.Problem(0, "9", "objectId: missing"));
        assertThatThrownBy(() -> webhooks.parse("{\"eventId\":1}")).isInstanceOf(ReceivedChanges.Malformed.class)
                .hasMessageContaining("JSON array");
        assertThatThrownBy(() -> webhooks.parse("[{")).isInstanceOf(ReceivedChanges.Malformed.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void isConfiguredFromTheSourcesWebhookBlockAndAbsentWithoutASecret() {
        Map<String, Object> values = Map.of("type", "hubspot", "token", "pat-1",
                "read", Map.of("streams", List.of("contacts")),
                "webhook", Map.of("client-secret", SECRET, "target-url", URL));
        ConnectorSettings settings = ConnectorSettings.of("hubspot-main", "sync.connectors.hubspot-main", values);

        HubSpotWebhooks configured = HubSpotWebhooks.of(settings, Clock.systemUTC()).orElseThrow();

        assertThat(configured.source()).isEqualTo("hubspot-main");
        assertThat(configured.targetUrl()).contains(java.net.URI.create(URL));
        assertThat(HubSpotWebhooks.of(ConnectorSettings.of("hubspot-main", "sync.connectors.hubspot-main",
                Map.of("token", "pat-1", "read", Map.of())), Clock.systemUTC())).isEmpty();
        assertThatThrownBy(() -> HubSpotWebhooks.of(ConnectorSettings.of("hubspot-main",
                "sync.connectors.hubspot-main", Map.of("token", "pat-1", "read", Map.of(),
                        "webhook", Map.of("client-secret", SECRET, "target-url", "not a url"))), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sync.connectors.hubspot-main.webhook.target-url");
    }
}
