package io.leadsync.connector.segment;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Change;
import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.ReceivedChanges;
import io.leadsync.connector.StreamId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentIntakeTest {
    private static final String KEY = "wk_9f2c41d07be3a865";
    private static final Instant NOW = Instant.parse("2026-12-05T15:00:00Z");

    private static ConnectorSettings settings(Map<String, Object> extra) {
        Map<String, Object> values = new java.util.LinkedHashMap<>(Map.of("type", "segment", "write-key", KEY,
                "read", Map.of("events", List.of(Map.of("name", "Requested Demo", "type", "demo_request"),
                        Map.of("name", "Viewed Pricing", "type", "pricing_page_view")))));
        values.putAll(extra);
        return ConnectorSettings.of("app-events", "sync.connectors.app-events", values);
    }

    private final SegmentIntake intake = SegmentIntake.of(settings(Map.of()), Clock.fixed(NOW, ZoneOffset.UTC));

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authenticatesTheWriteKeyAsBasicUserNameWithEmptyPassword() {
        assertThat(intake.authenticates(basic(KEY, ""))).isTrue();
        assertThat(intake.authenticates(basic("wk_wrong_key_000000", ""))).isFalse();
        assertThat(intake.authenticates(null)).isFalse();
        assertThat(intake.authenticates("Bearer " + KEY)).isFalse();
        assertThat(intake.authenticates("Basic not-base64!")).isFalse();
        assertThat(SegmentIntake.writeKeyOf(basic(KEY, ""))).contains(KEY);
    }

    @Test
    void aTrackCallIsAnActivityWhoseIdIsTheMessageIdAndWhoseTypeComesFromTheMapping() {
        String body = """
                {"type":"track","userId":"u-42","event":"Requested Demo","messageId":"msg-1",
                 "timestamp":"2026-12-05T14:58:00.000+01:00","properties":{"plan":"pro","url":"https://acme.io/demo"},
                 "context":{"traits":{"email":"ada@acme.io"},"library":{"name":"analytics-node"},
                            "campaign":{"name":"winter"}}}
                """;

        ReceivedChanges result = intake.read("track", bytes(body));

        assertThat(result.problems()).isEmpty();
        Change change = result.changes().get(0);
        assertThat(change.eventId()).isEqualTo("msg-1");
        assertThat(change.stream()).isEqualTo(new StreamId("app-events", "events"));
        assertThat(change.kind()).isEqualTo(Change.Kind.UPSERTED);
        Activity activity = (Activity) change.record().value();
        assertThat(activity.id()).isEqualTo(new ExternalId("app-events", "msg-1"));
        assertThat(activity.type()).isEqualTo("demo_request");
        assertThat(activity.occurredAt()).isEqualTo(Instant.parse("2026-12-05T13:58:00Z"));
        assertThat(activity.person().id()).isEqualTo(new ExternalId("app-events", "u-42"));
        assertThat(activity.person().email()).isEqualTo("ada@acme.io");
        assertThat(activity.properties()).containsEntry("event", "Requested Demo")
                .containsEntry("page_url", "https://acme.io/demo").containsEntry("campaign", "winter")
                .containsEntry("library", "analytics-node");
        assertThat(change.record().rawPayload()).contains("\"messageId\":\"msg-1\"");
    }

    @Test
    void aMessageSentTwiceWithoutMessageIdKeepsOneDerivedId() {
        String body = """
                {"anonymousId":"anon-7","event":"Viewed Pricing","timestamp":"2026-12-05T14:00:00Z"}
                """;

        Change first = intake.read("track", bytes(body)).changes().get(0);
        Change again = intake.read("track", bytes(body)).changes().get(0);

        assertThat(first.eventId()).startsWith("h-").isEqualTo(again.eventId());
        assertThat(((Activity) first.record().value()).person().id().id()).isEqualTo("anon-7");
    }

    @Test
    void unmappedEventsAreSkippedUnlessUnmappedNamesAType() {
        String body = "{\"userId\":\"u-1\",\"event\":\"Clicked Logo\",\"messageId\":\"m-9\"}";

        ReceivedChanges skipped = intake.read("track", bytes(body));
        SegmentIntake all = SegmentIntake.of(settings(Map.of("read", Map.of("unmapped", "product_usage"))),
                Clock.fixed(NOW, ZoneOffset.UTC));
        Change mapped = all.read("track", bytes(body)).changes().get(0);

        assertThat(skipped.changes()).isEmpty();
        assertThat(skipped.ignored()).isEqualTo(1);
        assertThat(((Activity) mapped.record().value()).type()).isEqualTo("product_usage");
        assertThat(((Activity) mapped.record().value()).occurredAt()).as("no timestamp: received now").isEqualTo(NOW);
    }

    @Test
    void anIdentifyCallIsAPersonFromItsTraits() {
        String body = """
                {"type":"identify","userId":"u-42","anonymousId":"anon-7","messageId":"msg-2",
                 "timestamp":"2026-12-05T14:00:00Z",
                 "traits":{"email":"ada@acme.io","name":"Ada King Lovelace","phone":"+44 20 7946 0958",
                           "title":"CTO","company":{"name":"Acme","industry":"Software","employee_count":120},
                           "website":"https://www.acme.io/about","address":{"city":"London","country":"GB",
                           "postalCode":"N1 9GU"},"plan":"enterprise","logins":14}}
                """;

        Change change = intake.read("identify", bytes(body)).changes().get(0);

        assertThat(change.eventId()).isEqualTo("msg-2");
        assertThat(change.stream()).isEqualTo(new StreamId("app-events", "persons"));
        Person person = (Person) change.record().value();
        assertThat(person.id()).isEqualTo(new ExternalId("app-events", "u-42"));
        assertThat(person.email()).isEqualTo("ada@acme.io");
        assertThat(person.firstName()).isEqualTo("Ada King");
        assertThat(person.lastName()).isEqualTo("Lovelace");
        assertThat(person.phone()).isEqualTo("+44 20 7946 0958");
        assertThat(person.title()).isEqualTo("CTO");
        assertThat(person.company()).isEqualTo("Acme");
        assertThat(person.domain()).isEqualTo("acme.io");
        assertThat(person.city()).isEqualTo("London");
        assertThat(person.country()).isEqualTo("GB");
        assertThat(person.postalCode()).isEqualTo("N1 9GU");
        assertThat(person.updatedAt()).isEqualTo(Instant.parse("2026-12-05T14:00:00Z"));
        assertThat(person.attributes()).containsEntry("plan", "enterprise").containsEntry("logins", "14")
                .containsEntry("industry", "Software").containsEntry("employees", "120");
        assertThat(person.linkedIds()).containsExactly(new ExternalId("app-events", "anon-7"));
    }

    @Test
    void aBatchKeepsItsGoodMessagesAndNamesEachBadOne() {
        String body = """
                {"batch":[
                  {"type":"identify","userId":"u-1","messageId":"b-1","traits":{"email":"a@x.io"}},
                  {"type":"track","messageId":"b-2","event":"Requested Demo"},
                  {"type":"track","userId":"u-1","messageId":"b-3","event":"Requested Demo"},
                  {"type":"page","userId":"u-1","messageId":"b-4","name":"Home"},
                  {"type":"track","userId":"u-1","messageId":"b-5","event":"Requested Demo","timestamp":"yesterday"},
                  {"type":"launch","userId":"u-1","messageId":"b-6"},
                  "not an object"
                 ],
                 "context":{"library":{"name":"analytics-python"}}}
                """;

        ReceivedChanges result = intake.read("batch", bytes(body));

        assertThat(result.changes()).extracting(Change::eventId).containsExactly("b-1", "b-3");
        assertThat(((Activity) result.changes().get(1).record().value()).properties())
                .as("the batch's context applies to its messages").containsEntry("library", "analytics-python");
        assertThat(result.ignored()).isEqualTo(1);
        assertThat(result.problems()).extracting(ReceivedChanges.Problem::index, ReceivedChanges.Problem::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "b-2"),
                        org.assertj.core.groups.Tuple.tuple(4, "b-5"), org.assertj.core.groups.Tuple.tuple(5, "b-6"),
                        org.assertj.core.groups.Tuple.tuple(6, null));
        assertThat(result.problems().get(0).reason()).isEqualTo("userId or anonymousId: one is required");
        assertThat(result.problems().get(1).reason()).startsWith("timestamp: 'yesterday' is not an ISO-8601");
        assertThat(result.problems().get(2).reason()).contains("'launch' is not a Segment call");
    }

    @Test
    void refusesBodiesThatAreNotCallsOrExceedSegmentsLimits() {
        assertThatThrownBy(() -> intake.read("track", bytes("{\"userId\":")))
                .isInstanceOf(ReceivedChanges.Malformed.class).hasMessageStartingWith("the body is not JSON");
        assertThatThrownBy(() -> intake.read("track", bytes("[1,2]")))
                .isInstanceOf(ReceivedChanges.Malformed.class).hasMessage("the body must be a JSON object");
        assertThatThrownBy(() -> intake.read("batch", bytes("{\"messages\":[]}")))
                .isInstanceOf(ReceivedChanges.Malformed.class).hasMessageContaining("batch: missing");
        byte[] big = bytes("{\"userId\":\"u\",\"event\":\"x\",\"properties\":{\"blob\":\"" + "a".repeat(33 * 1024)
                + "\"}}");
        assertThatThrownBy(() -> intake.read("track", big)).isInstanceOf(ReceivedChanges.Malformed.class)
                .hasMessageContaining("32 KB per message");
        byte[] huge = bytes("{\"batch\":[]," + "\"pad\":\"" + "a".repeat(501 * 1024) + "\"}");
        assertThatThrownBy(() -> intake.read("batch", huge)).isInstanceOf(ReceivedChanges.Malformed.class)
                .hasMessageContaining("500 KB per batch");
        String oneBigMessage = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Requested Demo\","
                + "\"properties\":{\"blob\":\"" + "a".repeat(33 * 1024) + "\"}}]}";
        assertThat(intake.read("batch", bytes(oneBigMessage)).problems().get(0).reason()).contains("32 KB");
    }

    @Test
    void settingsNeedALongWriteKeyAndKnownStreamsAndMaskTheKey() {
        assertThatThrownBy(() -> SegmentIntake.of(ConnectorSettings.of("s", "sync.connectors.s",
                Map.of("type", "segment", "read", Map.of())), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sync.connectors.s.write-key is required");
        assertThatThrownBy(() -> SegmentIntake.of(ConnectorSettings.of("s", "sync.connectors.s",
                Map.of("write-key", "short", "read", Map.of())), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least 16").hasMessageNotContaining("short'");
        assertThatThrownBy(() -> SegmentIntake.of(ConnectorSettings.of("s", "sync.connectors.s",
                Map.of("write-key", KEY, "read", Map.of("streams", List.of("pages")))), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sync.connectors.s.read.streams");
        assertThat(SegmentSettings.parse(settings(Map.of())).toString()).doesNotContain(KEY);
        assertThat(new SegmentSource(SegmentSettings.parse(settings(Map.of()))).descriptor().streams())
                .containsExactly("persons", "events");
    }
}
