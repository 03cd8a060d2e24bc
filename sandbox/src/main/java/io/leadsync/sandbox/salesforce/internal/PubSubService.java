package io.leadsync.sandbox.salesforce.internal;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.PublishResponse;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaInfo;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Salesforce's Pub/Sub API ({@code eventbus.v1.PubSub}) over the simulator's change events: {@code GetTopic},
 * {@code GetSchema}, and {@code Subscribe} with its flow control (events are sent only against the
 * {@code num_requested} of the client's fetch requests, at most 100 a request), replay presets ({@code LATEST},
 * {@code EARLIEST}, {@code CUSTOM} after a replay id), and empty keepalive responses carrying the latest replay
 * id. Publishing to a change event channel is refused, as Salesforce refuses it.
 *
 * <p>Every call must carry the {@code accesstoken}, {@code instanceurl} and {@code tenantid} metadata of a live
 * session; otherwise it fails {@code UNAUTHENTICATED} with the trailer
 * {@code error-code: sfdc.platform.eventbus.grpc.service.auth.error}, on which camel-salesforce logs in again.
 */
public final class PubSubService extends PubSubGrpc.PubSubImplBase {
    public static final String AUTH_ERROR = "sfdc.platform.eventbus.grpc.service.auth.error";
    public static final String CORRUPTED_REPLAY_ID = "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted";
    public static final String TOPIC_NOT_FOUND = "sfdc.platform.eventbus.grpc.service.topic.not.found";
    public static final String INVALID_REQUEST = "sfdc.platform.eventbus.grpc.fetch.invalid.request";
    public static final String PUBLISH_NOT_ALLOWED = "sfdc.platform.eventbus.grpc.service.publish.not.allowed";
    /** The most events one fetch request may ask for. */
    public static final int MAX_REQUESTED = 100;
    public static final String ALL_CHANGES = "/data/ChangeEvents";
    private static final Logger LOG = LoggerFactory.getLogger(PubSubService.class);
    private static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code",
            Metadata.ASCII_STRING_MARSHALLER);

    /** Checks a call's credentials: access token, instance URL and org id. */
    public interface Sessions {
        boolean valid(String accessToken, String instanceUrl, String tenantId);
    }

    private final ChangeEventLog log;
    private final Predicate<String> knownEntity;
    private final String tenantId;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "salesforce-pubsub-simulator");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Duration keepAlive = Duration.ofSeconds(270);

    public PubSubService(ChangeEventLog log, Predicate<String> knownEntity, String tenantId) {
        this.log = log;
        this.knownEntity = knownEntity;
        this.tenantId = tenantId;
        log.onPublished(() -> pump.execute(() -> subscriptions.forEach(Subscription::deliver)));
        pump.scheduleWithFixedDelay(() -> subscriptions.forEach(Subscription::keepAliveIfIdle), 100, 100,
                TimeUnit.MILLISECONDS);
    }

    /** How long a subscription may go without a response before an empty one is sent (270 s as Salesforce). */
    public void keepAlive(Duration value) {
        keepAlive = value;
    }

    public int subscriptions() {
        return subscriptions.size();
    }

    public void shutdown() {
        pump.shutdownNow();
        subscriptions.forEach(Subscription::end);
    }

    /** The interceptor that refuses calls without the metadata of a live session. */
    public static ServerInterceptor authentication(Sessions sessions) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                String token = headers.get(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER));
                String instance = headers.get(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER));
                String tenant = headers.get(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER));
                if (token == null || instance == null || tenant == null || !sessions.valid(token, instance, tenant)) {
                    StatusRuntimeException error = error(Status.UNAUTHENTICATED, AUTH_ERROR,
                            "The session is not valid: the access token is missing, expired or revoked, or the"
                                    + " instance URL or tenant id does not match it");
                    call.close(error.getStatus(), error.getTrailers());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
    }

    static StatusRuntimeException error(Status status, String code, String message) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, code);
        trailers.put(Metadata.Key.of("rpc-id", Metadata.ASCII_STRING_MARSHALLER), UUID.randomUUID().toString());
        return status.withDescription("[" + code + "] " + message).asRuntimeException(trailers);
    }

    /** The object a topic covers: {@code null} for {@code /data/ChangeEvents}, else its entity. */
    private String entityOf(String topic) {
        if (ALL_CHANGES.equals(topic)) {
            return null;
        }
        if (topic != null && topic.startsWith("/data/") && topic.endsWith("ChangeEvent")) {
            String entity = topic.substring("/data/".length(), topic.length() - "ChangeEvent".length());
            if (knownEntity.test(entity)) {
                return entity;
            }
        }
        throw error(Status.NOT_FOUND, TOPIC_NOT_FOUND, "topic " + topic + " does not exist or is not a change event"
                + " channel of this org (" + ALL_CHANGES + " or /data/<Object>ChangeEvent)");
    }

    @Override
    public void getTopic(TopicRequest request, StreamObserver<TopicInfo> response) {
        try {
            String entity = entityOf(request.getTopicName());
            response.onNext(TopicInfo.newBuilder().setTopicName(request.getTopicName()).setTenantGuid(tenantId)
                    .setCanPublish(false).setCanSubscribe(true)
                    .setSchemaId(entity == null ? "" : log.schema(entity).id())
                    .setRpcId(UUID.randomUUID().toString()).build());
            response.onCompleted();
        } catch (StatusRuntimeException e) {
            response.onError(e);
        }
    }

    @Override
    public void getSchema(SchemaRequest request, StreamObserver<SchemaInfo> response) {
        log.schemaById(request.getSchemaId()).ifPresentOrElse(schema -> {
            response.onNext(SchemaInfo.newBuilder().setSchemaId(schema.id()).setSchemaJson(schema.json())
                    .setRpcId(UUID.randomUUID().toString()).build());
            response.onCompleted();
        }, () -> response.onError(error(Status.NOT_FOUND, "sfdc.platform.eventbus.grpc.schema.not.found",
                "no schema with id " + request.getSchemaId())));
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> response) {
        response.onError(error(Status.PERMISSION_DENIED, PUBLISH_NOT_ALLOWED, "publishing to " + request.getTopicName()
                + " is not allowed: change events are published by Salesforce"));
    }

    @Override
    public StreamObserver<FetchRequest> subscribe(StreamObserver<FetchResponse> response) {
        Subscription subscription = new Subscription((ServerCallStreamObserver<FetchResponse>) response);
        return new StreamObserver<>() {
            @Override
            public void onNext(FetchRequest request) {
                subscription.request(request);
            }

            @Override
            public void onError(Throwable cause) {
                subscription.end();
            }

            @Override
            public void onCompleted() {
                subscription.end();
                try {
                    response.onCompleted();
                } catch (IllegalStateException alreadyClosed) {
                    // the call ended meanwhile
                }
            }
        };
    }

    static ByteString replayId(long id) {
        return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(id).array());
    }

    /** One subscribe stream: its topic, position and the events the client still asks for. */
    private final class Subscription {
        private final ServerCallStreamObserver<FetchResponse> out;
        private boolean started;
        private boolean ended;
        private String topic;
        private String entity;
        private long position;
        private int pending;
        private long lastSent = System.nanoTime();

        Subscription(ServerCallStreamObserver<FetchResponse> out) {
            this.out = out;
            out.setOnCancelHandler(this::end);
        }

        synchronized void request(FetchRequest request) {
            if (ended) {
                return;
            }
            try {
                if (!started) {
                    topic = request.getTopicName();
                    entity = entityOf(topic);
                    position = start(request);
                    started = true;
                    subscriptions.add(this);
                    LOG.debug("subscription to {} starts after replay id {}", topic, position);
                } else if (!request.getTopicName().isEmpty() && !request.getTopicName().equals(topic)) {
                    throw error(Status.INVALID_ARGUMENT, INVALID_REQUEST, "a subscription's topic cannot change"
                            + " (" + topic + ", then " + request.getTopicName() + ")");
                }
                if (request.getNumRequested() <= 0) {
                    throw error(Status.INVALID_ARGUMENT, INVALID_REQUEST, "num_requested must be positive but was "
                            + request.getNumRequested());
                }
                pending = Math.min(MAX_REQUESTED, pending + Math.min(MAX_REQUESTED, request.getNumRequested()));
            } catch (StatusRuntimeException e) {
                fail(e);
                return;
            }
            pump.execute(this::deliver);
        }

        private long start(FetchRequest request) {
            ReplayPreset preset = request.getReplayPreset();
            return switch (preset) {
                case LATEST -> log.latest();
                case EARLIEST -> log.beforeOldest();
                case CUSTOM -> {
                    ByteString id = request.getReplayId();
                    if (id.size() != Long.BYTES) {
                        throw error(Status.INVALID_ARGUMENT, CORRUPTED_REPLAY_ID, "replay id is corrupted: "
                                + id.size() + " bytes");
                    }
                    long replay = id.asReadOnlyByteBuffer().getLong();
                    if (replay > log.latest() || replay < log.beforeOldest()) {
                        throw error(Status.INVALID_ARGUMENT, CORRUPTED_REPLAY_ID, "replay id " + replay + " is not"
                                + " valid: it is not in the retention window of " + topic);
                    }
                    yield replay;
                }
                default -> throw error(Status.INVALID_ARGUMENT, INVALID_REQUEST, "unknown replay preset " + preset);
            };
        }

        synchronized void deliver() {
            if (ended || !started || pending <= 0) {
                return;
            }
            ChangeEventLog.Batch batch = log.after(position, entity, pending);
            if (batch.events().isEmpty()) {
                position = batch.readTo();
                return;
            }
            FetchResponse.Builder response = FetchResponse.newBuilder();
            for (ChangeEventLog.Event event : batch.events()) {
                response.addEvents(ConsumerEvent.newBuilder().setReplayId(replayId(event.replayId()))
                        .setEvent(ProducerEvent.newBuilder().setId(event.eventId()).setSchemaId(event.schemaId())
                                .setPayload(ByteString.copyFrom(event.payload()))));
            }
            position = batch.readTo();
            pending -= batch.events().size();
            send(response);
        }

        synchronized void keepAliveIfIdle() {
            if (ended || !started || System.nanoTime() - lastSent < keepAlive.toNanos()) {
                return;
            }
            ChangeEventLog.Batch batch = log.after(position, entity, 0);
            if (batch.events().isEmpty()) {
                position = batch.readTo();
            }
            send(FetchResponse.newBuilder());
        }

        private void send(FetchResponse.Builder response) {
            lastSent = System.nanoTime();
            try {
                out.onNext(response.setLatestReplayId(replayId(position)).setRpcId(UUID.randomUUID().toString())
                        .setPendingNumRequested(pending).build());
            } catch (RuntimeException e) {
                LOG.debug("subscription to {} ended while sending: {}", topic, e.toString());
                end();
            }
        }

        private void fail(StatusRuntimeException e) {
            end();
            try {
                out.onError(e);
            } catch (IllegalStateException alreadyClosed) {
                // the call ended meanwhile
            }
        }

        synchronized void end() {
            ended = true;
            subscriptions.remove(this);
        }
    }
}
