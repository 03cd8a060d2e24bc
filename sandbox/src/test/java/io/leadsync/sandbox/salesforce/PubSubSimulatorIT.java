package io.leadsync.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.leadsync.sandbox.salesforce.internal.ChangeEventSchemas;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator's Pub/Sub API spoken to with Salesforce's own gRPC stubs, as any Pub/Sub client does. */
class PubSubSimulatorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code",
            Metadata.ASCII_STRING_MARSHALLER);
    private SalesforceSimulator salesforce;
    private ManagedChannel channel;
    private String token;

    @BeforeEach
    void start() throws Exception {
        salesforce = SalesforceSimulator.start();
        channel = ManagedChannelBuilder.forAddress(salesforce.pubSub().host(), salesforce.pubSub().port())
                .usePlaintext().build();
        var o = salesforce.options();
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(salesforce.baseUrl()
                        .resolve("/services/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=" + o.clientId()
                        + "&client_secret=" + o.clientSecret() + "&username="
                        + URLEncoder.encode(o.username(), StandardCharsets.UTF_8) + "&password=" + o.password()))
                .build(), HttpResponse.BodyHandlers.ofString());
        token = JSON.readTree(login.body()).path("access_token").asText();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        salesforce.close();
    }

    private Metadata auth(String accessToken, String instanceUrl, String tenantId) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER), accessToken);
        metadata.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER), instanceUrl);
        metadata.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), tenantId);
        return metadata;
    }

    private PubSubGrpc.PubSubBlockingStub blocking() {
        return PubSubGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                auth(token, salesforce.baseUrl().toString(), SalesforceSimulator.ORG_ID)));
    }

    /** A subscribe stream whose responses queue up. */
    private final class Subscription {
        final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
        final StreamObserver<FetchRequest> requests;

        Subscription() {
            requests = PubSubGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                    auth(token, salesforce.baseUrl().toString(), SalesforceSimulator.ORG_ID))).subscribe(
                    new StreamObserver<>() {
                        @Override
                        public void onNext(FetchResponse response) {
                            responses.add(response);
                        }

                        @Override
                        public void onError(Throwable t) {
                            responses.add(t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
        }

        FetchResponse next() throws InterruptedException {
            Object next = responses.poll(10, TimeUnit.SECONDS);
            assertThat(next).as("a response").isInstanceOf(FetchResponse.class);
            return (FetchResponse) next;
        }

        Throwable error() throws InterruptedException {
            Object next = responses.poll(10, TimeUnit.SECONDS);
            assertThat(next).as("an error").isInstanceOf(Throwable.class);
            return (Throwable) next;
        }
    }

    private static long replayId(ByteString bytes) {
        return ByteBuffer.wrap(bytes.toByteArray()).getLong();
    }

    private static ByteString replayBytes(long id) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array());
    }

    private GenericRecord decode(com.salesforce.eventbus.protobuf.ConsumerEvent event) throws Exception {
        Schema schema = new Schema.Parser().parse(blocking().getSchema(SchemaRequest.newBuilder()
                .setSchemaId(event.getEvent().getSchemaId()).build()).getSchemaJson());
        return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get()
                .binaryDecoder(event.getEvent().getPayload().toByteArray(), null));
    }

    @Test
    void callsWithoutALiveSessionAreRefusedWithTheAuthErrorCode() {
        var badToken = PubSubGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                auth("00D5g000004sAbC!expired", salesforce.baseUrl().toString(), SalesforceSimulator.ORG_ID)));
        assertThatThrownBy(() -> badToken.getTopic(TopicRequest.newBuilder().setTopicName("/data/ChangeEvents")
                .build())).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getTrailers().get(ERROR_CODE)).isEqualTo("sfdc.platform.eventbus.grpc.service.auth.error");
                });
        var otherOrg = PubSubGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                auth(token, salesforce.baseUrl().toString(), "00D000000000001AAA")));
        assertThatThrownBy(() -> otherOrg.getTopic(TopicRequest.newBuilder().setTopicName("/data/ChangeEvents")
                .build())).hasMessageContaining("UNAUTHENTICATED");

        assertThat(blocking().getTopic(TopicRequest.newBuilder().setTopicName("/data/LeadChangeEvent").build())
                .getCanSubscribe()).isTrue();
        salesforce.expireSessions();
        assertThatThrownBy(() -> blocking().getTopic(TopicRequest.newBuilder().setTopicName("/data/ChangeEvents")
                .build())).isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void topicsAndSchemasDescribeChangeEventsAsSalesforceDoes() {
        TopicInfo lead = blocking().getTopic(TopicRequest.newBuilder().setTopicName("/data/LeadChangeEvent").build());
        assertThat(lead.getCanPublish()).isFalse();
        assertThat(lead.getTenantGuid()).isEqualTo(SalesforceSimulator.ORG_ID);
        Schema schema = new Schema.Parser().parse(blocking().getSchema(SchemaRequest.newBuilder()
                .setSchemaId(lead.getSchemaId()).build()).getSchemaJson());
        assertThat(schema.getFullName()).isEqualTo("com.sforce.eventbus.LeadChangeEvent");
        assertThat(schema.getFields().get(0).name()).isEqualTo("ChangeEventHeader");
        Schema header = schema.getField("ChangeEventHeader").schema();
        assertThat(header.getField("changeType").schema().getEnumSymbols()).contains("CREATE", "UPDATE", "DELETE",
                "UNDELETE", "GAP_CREATE", "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE", "GAP_OVERFLOW");
        assertThat(header.getFields().stream().map(Schema.Field::name)).contains("entityName", "recordIds",
                "changedFields", "commitTimestamp", "transactionKey", "sequenceNumber");
        assertThatThrownBy(() -> blocking().getTopic(TopicRequest.newBuilder().setTopicName("/data/NoSuchChangeEvent")
                .build())).hasMessageContaining("NOT_FOUND");
    }

    @Test
    void subscribersGetAvroEventsWithinWhatTheyRequestAndResumeAfterAReplayId() throws Exception {
        Instant then = Instant.parse("2026-01-01T00:00:00Z");
        salesforce.insert("Lead", Map.of("LastName", "Seeded", "Company", "Old"), then, then);
        assertThat(salesforce.pubSub().latestReplayId()).as("seeded history is not a change").isZero();
        String lead = salesforce.create("Lead", Map.of("LastName", "Curie", "Company", "Radium", "Title", "Chemist"));
        salesforce.update("Lead", lead, new java.util.HashMap<>(Map.of("Title", "Physicist")));
        salesforce.update("Lead", lead, java.util.Collections.singletonMap("Title", null));
        salesforce.create("Account", Map.of("Name", "not selected"));
        salesforce.delete("Lead", lead);
        salesforce.undelete("Lead", lead);
        assertThat(salesforce.pubSub().latestReplayId()).isEqualTo(5);

        Subscription subscription = new Subscription();
        subscription.requests.onNext(FetchRequest.newBuilder().setTopicName("/data/ChangeEvents")
                .setReplayPreset(ReplayPreset.EARLIEST).setNumRequested(2).build());
        List<com.salesforce.eventbus.protobuf.ConsumerEvent> events = new ArrayList<>();
        while (events.size() < 2) {
            events.addAll(subscription.next().getEventsList());
        }
        assertThat(subscription.responses.poll(300, TimeUnit.MILLISECONDS)).as("nothing beyond num_requested")
                .isNull();
        subscription.requests.onNext(FetchRequest.newBuilder().setNumRequested(10).build());
        while (events.size() < 5) {
            FetchResponse response = subscription.next();
            events.addAll(response.getEventsList());
            assertThat(replayId(response.getLatestReplayId())).isEqualTo(replayId(events.get(events.size() - 1)
                    .getReplayId()));
        }
        assertThat(events.stream().map(e -> replayId(e.getReplayId()))).containsExactly(1L, 2L, 3L, 4L, 5L);

        GenericRecord created = decode(events.get(0));
        GenericRecord header = (GenericRecord) created.get("ChangeEventHeader");
        assertThat(header.get("changeType").toString()).isEqualTo("CREATE");
        assertThat(header.get("entityName").toString()).isEqualTo("Lead");
        assertThat(((List<?>) header.get("recordIds")).stream().map(Object::toString)).containsExactly(lead);
        assertThat(created.get("Title").toString()).isEqualTo("Chemist");

        GenericRecord updated = decode(events.get(1));
        GenericRecord updateHeader = (GenericRecord) updated.get("ChangeEventHeader");
        assertThat(updateHeader.get("changeType").toString()).isEqualTo("UPDATE");
        String bitmap = ((List<?>) updateHeader.get("changedFields")).get(0).toString();
        assertThat(bitmap).startsWith("0x");
        assertThat(ChangeEventSchemas.fieldsOf(updated.getSchema(), bitmap)).containsExactlyInAnyOrder("Title",
                "LastModifiedDate");
        assertThat(updated.get("Title").toString()).isEqualTo("Physicist");
        assertThat(updated.get("LastName")).as("unchanged fields are null").isNull();
        GenericRecord nulled = (GenericRecord) decode(events.get(2)).get("ChangeEventHeader");
        assertThat(ChangeEventSchemas.fieldsOf(decode(events.get(2)).getSchema(),
                ((List<?>) nulled.get("nulledFields")).get(0).toString())).containsExactly("Title");
        assertThat(((GenericRecord) decode(events.get(3)).get("ChangeEventHeader")).get("changeType").toString())
                .isEqualTo("DELETE");
        assertThat(((GenericRecord) decode(events.get(4)).get("ChangeEventHeader")).get("changeType").toString())
                .isEqualTo("UNDELETE");

        // a new subscription after replay id 3 gets 4 and 5, then what happens next
        Subscription resumed = new Subscription();
        resumed.requests.onNext(FetchRequest.newBuilder().setTopicName("/data/LeadChangeEvent")
                .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(replayBytes(3)).setNumRequested(100).build());
        List<Long> after = new ArrayList<>();
        while (after.size() < 2) {
            resumed.next().getEventsList().forEach(e -> after.add(replayId(e.getReplayId())));
        }
        salesforce.update("Lead", lead, Map.of("Status", "Working"));
        resumed.next().getEventsList().forEach(e -> after.add(replayId(e.getReplayId())));
        assertThat(after).containsExactly(4L, 5L, 6L);
    }

    @Test
    void aCorruptedOrUnretainedReplayIdIsRefused() throws Exception {
        salesforce.create("Lead", Map.of("LastName", "One", "Company", "Acme"));
        Subscription corrupted = new Subscription();
        corrupted.requests.onNext(FetchRequest.newBuilder().setTopicName("/data/ChangeEvents")
                .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(ByteString.copyFromUtf8("x")).setNumRequested(1)
                .build());
        assertThat(corrupted.error()).isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
                e.getTrailers().get(ERROR_CODE)).isEqualTo(
                "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted"));
        Subscription future = new Subscription();
        future.requests.onNext(FetchRequest.newBuilder().setTopicName("/data/ChangeEvents")
                .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(replayBytes(99)).setNumRequested(1).build());
        assertThat(future.error()).hasMessageContaining("INVALID_ARGUMENT");
    }

    @Test
    void gapsOverflowsAndKeepalivesReachSubscribers() throws Exception {
        salesforce.pubSub().keepAlive(Duration.ofMillis(300));
        Subscription subscription = new Subscription();
        subscription.requests.onNext(FetchRequest.newBuilder().setTopicName("/data/ChangeEvents")
                .setReplayPreset(ReplayPreset.LATEST).setNumRequested(10).build());
        FetchResponse keepAlive = subscription.next();
        assertThat(keepAlive.getEventsList()).isEmpty();
        assertThat(keepAlive.getPendingNumRequested()).isEqualTo(10);
        assertThat(replayId(keepAlive.getLatestReplayId())).isZero();

        String lead = salesforce.create("Lead", Map.of("LastName", "Gap", "Company", "Acme"));
        salesforce.pubSub().gap("Lead", "GAP_UPDATE", List.of(lead));
        salesforce.pubSub().overflow("Contact");
        List<com.salesforce.eventbus.protobuf.ConsumerEvent> events = new ArrayList<>();
        while (events.size() < 3) {
            events.addAll(subscription.next().getEventsList());
        }
        GenericRecord gap = (GenericRecord) decode(events.get(1)).get("ChangeEventHeader");
        assertThat(gap.get("changeType").toString()).isEqualTo("GAP_UPDATE");
        assertThat(((List<?>) gap.get("recordIds")).get(0).toString()).isEqualTo(lead);
        GenericRecord overflow = (GenericRecord) decode(events.get(2)).get("ChangeEventHeader");
        assertThat(overflow.get("changeType").toString()).isEqualTo("GAP_OVERFLOW");
        assertThat(overflow.get("entityName").toString()).isEqualTo("Contact");
    }

    @Test
    void oneRestCallChangingRecordsAlikeIsOneEventNamingThemAll() throws Exception {
        String first = salesforce.create("Lead", Map.of("LastName", "A", "Company", "Acme"));
        String second = salesforce.create("Lead", Map.of("LastName", "B", "Company", "Acme"));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(salesforce.baseUrl()
                        .resolve("/services/data/v60.0/composite/sobjects")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("records", List.of(
                                Map.of("attributes", Map.of("type", "Lead"), "id", first, "Rating", "Hot"),
                                Map.of("attributes", Map.of("type", "Lead"), "id", second, "Rating", "Hot"))))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        var events = salesforce.pubSub().events();
        assertThat(events).hasSize(3);
        assertThat(events.get(2).recordIds()).containsExactly(first, second);
        assertThat(events.get(2).changeType()).isEqualTo("UPDATE");
        JsonNode results = JSON.readTree(response.body());
        assertThat(results.get(0).path("success").asBoolean()).isTrue();
    }
}
