package io.leadsync.sandbox.salesforce;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.leadsync.sandbox.salesforce.internal.ChangeEventLog;
import io.leadsync.sandbox.salesforce.internal.PubSubService;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The simulated org's Change Data Capture: its change events on an event bus, served through Salesforce's Pub/Sub
 * API (gRPC, {@code eventbus.v1.PubSub}) on a loopback port in plaintext, so camel-salesforce's
 * {@code pubSubSubscribe} consumer talks to it unchanged (pointed at {@link #host()}:{@link #port()} with a
 * plaintext connection).
 *
 * <p>Every create, update, delete and undelete of a selected object (Lead, Contact, Task and Event by default),
 * through the REST API or the simulator's test hooks, becomes a change event with the next replay id; seeded
 * history does not. Events are Avro-encoded with the schema {@code GetSchema} serves ({@code ChangeEventHeader}
 * with {@code entityName}, {@code recordIds}, {@code changeType}, {@code changedFields} as a bitmap,
 * {@code commitTimestamp}, {@code transactionKey}, {@code sequenceNumber}...). Topics: {@code /data/ChangeEvents}
 * (every selected object) and {@code /data/<Object>ChangeEvent}. Gap and overflow events are injected with
 * {@link #gap} and {@link #overflow}.
 *
 * <p>The gRPC server starts on the first call to {@link #port()}; events are kept from the simulator's start.
 */
public final class PubSubSimulator implements AutoCloseable {
    private final ChangeEventLog log;
    private final PubSubService service;
    private final PubSubService.Sessions sessions;
    private Server server;

    PubSubSimulator(ChangeEventLog log, PubSubService service, PubSubService.Sessions sessions) {
        this.log = log;
        this.service = service;
        this.sessions = sessions;
    }

    /** The host the Pub/Sub API listens on (loopback). */
    public String host() {
        return "127.0.0.1";
    }

    /** The Pub/Sub API's port; starts the gRPC server on a free port the first time. */
    public synchronized int port() {
        if (server == null) {
            try {
                server = NettyServerBuilder.forAddress(new InetSocketAddress(host(), 0))
                        .addService(ServerInterceptors.intercept(service, PubSubService.authentication(sessions)))
                        .build().start();
            } catch (IOException e) {
                throw new UncheckedIOException("the Pub/Sub API simulator could not start", e);
            }
        }
        return server.getPort();
    }

    /** Selects the objects whose changes are published, as an admin does under Setup, Change Data Capture. */
    public void select(Set<String> entities) {
        log.select(entities);
    }

    /** How long a subscription may go without events before an empty keepalive response (270 s by default). */
    public void keepAlive(Duration interval) {
        service.keepAlive(interval);
    }

    /** How long events are retained for replay (72 hours by default). */
    public void retention(Duration value) {
        log.retention(value);
    }

    /**
     * Publishes a gap event: Salesforce could not build the events of some changes to these records
     * ({@code GAP_CREATE}, {@code GAP_UPDATE}, {@code GAP_DELETE} or {@code GAP_UNDELETE}); returns its replay id.
     */
    public long gap(String entity, String changeType, List<String> recordIds) {
        if (changeType.equals("GAP_OVERFLOW")) {
            throw new IllegalArgumentException("use overflow() for GAP_OVERFLOW");
        }
        return log.gap(entity, changeType, recordIds).replayId();
    }

    /**
     * Publishes an overflow event: a transaction changed more records of the object than Salesforce sends events
     * for (over 100,000); its record id is Salesforce's placeholder {@code 000000000000000AAA}. Returns its replay id.
     */
    public long overflow(String entity) {
        return log.gap(entity, "GAP_OVERFLOW", List.of()).replayId();
    }

    /** The replay id of the newest event (0 before the first). */
    public long latestReplayId() {
        return log.latest();
    }

    /** The events retained, oldest first. */
    public List<ChangeEventLog.Event> events() {
        return log.events();
    }

    /** Subscriptions open now. */
    public int subscriptions() {
        return service.subscriptions();
    }

    /** The 8-byte replay id of a number, base64-encoded as camel-salesforce writes replay ids. */
    public static String replayIdText(long replayId) {
        return java.util.Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(Long.BYTES)
                .putLong(replayId).array());
    }

    @Override
    public synchronized void close() {
        service.shutdown();
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
