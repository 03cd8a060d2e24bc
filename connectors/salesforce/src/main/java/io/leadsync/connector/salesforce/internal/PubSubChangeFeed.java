package io.leadsync.connector.salesforce.internal;

import io.leadsync.connector.Change;
import io.leadsync.connector.ChangeFeed;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.salesforce.SalesforceSettings;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.salesforce.InvalidReplayIdException;
import org.apache.camel.component.salesforce.PubSubApiConsumer;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Salesforce Change Data Capture through camel-salesforce's {@code pubSubSubscribe} consumer: a route in the
 * connector's Camel context subscribes to the configured change event channel of the Pub/Sub API and turns each
 * event into one {@link Change} per record id it names, handed to the listener in the bus's order together with
 * the event's replay id (base64, as camel-salesforce writes it), which {@link #start} resumes after with the
 * {@code CUSTOM} replay preset.
 *
 * <p>Flow control is camel-salesforce's: it asks for {@code cdc.batch-size} events and asks again for as many as
 * it has processed; events are processed one at a time on the gRPC callback thread, so a slow listener slows the
 * subscription rather than piling events up. When a session expires the component logs in again and resubscribes
 * from the last replay id it received.
 *
 * <p>A listener that keeps failing (three tries, a second apart) stops the feed: it is told through
 * {@link ChangeFeed.Listener#failed}, nothing after the failed event is delivered, and the next start resumes from
 * the last accepted position. A saved replay id the bus no longer retains (a feed stopped for longer than the
 * 72-hour retention) means changes were missed: the feed resubscribes from the newest event and reports a
 * {@link Change.Kind#GAP} for every stream it covers (id {@code *}) with the first event that arrives, so the
 * pipeline reads those streams again incrementally.
 */
public final class PubSubChangeFeed implements ChangeFeed {
    private static final Logger LOG = LoggerFactory.getLogger(PubSubChangeFeed.class);
    private static final String REPLAY_ID = "CamelSalesforcePubSubReplayId";
    /** Salesforce's placeholder record id of an overflow event. */
    static final String OVERFLOW_RECORD_ID = "000000000000000AAA";
    private static final int ATTEMPTS = 3;
    /** Fields Salesforce sets on every update. */
    private static final java.util.Set<String> AUDIT_FIELDS = java.util.Set.of("LastModifiedDate",
            "LastModifiedById", "SystemModstamp");
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final String source;
    private final SalesforceApi api;
    private final SalesforceSettings.Cdc cdc;
    private final List<String> streams;
    private final String routeId;
    private volatile Listener listener;
    private volatile boolean stopped;
    private volatile boolean gapPending;

    /**
     * @param source  the connector instance
     * @param api     the org's component (its login is the feed's)
     * @param cdc     the subscription's settings
     * @param streams the streams read, of which those with change events are covered
     */
    public PubSubChangeFeed(String source, SalesforceApi api, SalesforceSettings.Cdc cdc, List<String> streams) {
        this.source = source;
        this.api = api;
        this.cdc = cdc;
        this.streams = streams.stream().filter(SalesforceRecords.CHANGE_EVENT_STREAMS::contains).toList();
        this.routeId = "cdc-" + source;
    }

    @Override
    public synchronized void start(String resumeAfter, Listener listener) {
        Objects.requireNonNull(listener, "listener");
        if (this.listener != null) {
            throw new IllegalStateException("the change feed of " + source + " is already started");
        }
        this.listener = listener;
        this.stopped = false;
        SalesforceComponent component = api.component();
        component.setPubSubHost(cdc.host());
        component.setPubSubPort(cdc.port());
        try {
            // the Pub/Sub call credentials are the component's session, which a lazily logging component has not
            // started: start it (it logs in), or the consumer's log in again after an auth error does nothing
            if (!component.getSession().isStarted()) {
                org.apache.camel.support.service.ServiceHelper.startService(component.getSession());
            }
            if (component.getSession().getAccessToken() == null) {
                component.getSession().login(null);
            }
            // the component logs in lazily so that a wrong password cannot stop the host; a consumer refuses to start
            // on such a component, and needs it no more now that the session exists
            component.getLoginConfig().setLazyLogin(false);
            subscribe(resumeAfter);
        } catch (Exception e) {
            this.listener = null;
            throw new ConnectorException("the change feed of " + source + " could not subscribe to " + cdc.channel()
                    + " at " + cdc.host() + ":" + cdc.port() + ": " + e.getMessage(), e);
        }
    }

    private void subscribe(String resumeAfter) throws Exception {
        CamelContext camel = api.camel();
        String uri = api.componentName() + ":pubSubSubscribe:" + cdc.channel() + "?pubSubDeserializeType=GENERIC_RECORD"
                + "&pubSubBatchSize=" + cdc.batchSize()
                + (resumeAfter == null ? "&replayPreset=LATEST"
                : "&replayPreset=CUSTOM&pubSubReplayId=RAW(" + resumeAfter + ")");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).autoStartup(false).process(exchange -> deliver(exchange));
            }
        });
        Route route = camel.getRoute(routeId);
        Consumer consumer = route.getConsumer();
        if (consumer instanceof PubSubApiConsumer pubSub) {
            // TLS unless the settings say plaintext (the sandbox's simulator); the option is not an endpoint one
            pubSub.setUsePlainTextConnection(cdc.plaintext());
            pubSub.setExceptionHandler(new Failures(pubSub.getExceptionHandler()));
        }
        camel.getRouteController().startRoute(routeId);
        LOG.info("{}: Change Data Capture subscribed to {} ({})", source, cdc.channel(),
                resumeAfter == null ? "from the newest event" : "after replay id " + resumeAfter);
    }

    /** One event: its changes and its replay id, to the listener. */
    private void deliver(Exchange exchange) {
        if (stopped) {
            return;
        }
        String replayId = exchange.getMessage().getHeader(REPLAY_ID, String.class);
        Object body = exchange.getMessage().getBody();
        List<Change> changes = new ArrayList<>();
        if (gapPending) {
            // the saved replay id had expired: whatever happened meanwhile is read again
            for (String stream : streams) {
                changes.add(Change.of("gap-" + replayId + ":" + stream, new StreamId(source, stream), "*",
                        Change.Kind.GAP, Instant.now()));
            }
        }
        if (body instanceof GenericRecord event) {
            changes.addAll(changes(event, replayId));
        } else {
            LOG.warn("{}: a change event on {} that is not an Avro record ({}) is skipped", source, cdc.channel(),
                    body == null ? "null" : body.getClass().getName());
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS && !stopped; attempt++) {
            try {
                listener.accept(changes, replayId);
                gapPending = false;
                return;
            } catch (RuntimeException e) {
                last = e;
                LOG.warn("{}: change event {} not accepted (attempt {} of {}): {}", source, replayId, attempt,
                        ATTEMPTS, e.toString());
                pause();
            }
        }
        if (last != null) {
            fail(new ConnectorException("the change feed of " + source + " stopped: change event " + replayId
                    + " was not accepted after " + ATTEMPTS + " attempts: " + last.getMessage(), last));
        }
    }

    /**
     * The changes one event stands for: one per record id, {@code UPSERTED} for CREATE, UPDATE and UNDELETE,
     * {@code DELETED} for DELETE, {@code GAP} for the {@code GAP_*} types (id {@code *} for an overflow); none when
     * the event's object is not read.
     */
    List<Change> changes(GenericRecord event, String replayId) {
        GenericRecord header = (GenericRecord) event.get("ChangeEventHeader");
        if (header == null) {
            LOG.warn("{}: event {} on {} has no ChangeEventHeader; skipped", source, replayId, cdc.channel());
            return List.of();
        }
        String entity = String.valueOf(header.get("entityName"));
        String stream = SalesforceRecords.CHANGE_EVENT_OBJECTS.get(entity);
        if (stream == null || !streams.contains(stream)) {
            return List.of();
        }
        String changeType = String.valueOf(header.get("changeType"));
        Change.Kind kind = switch (changeType) {
            case "CREATE", "UPDATE", "UNDELETE", "SNAPSHOT" -> Change.Kind.UPSERTED;
            case "DELETE" -> Change.Kind.DELETED;
            default -> {
                if (changeType.startsWith("GAP_")) {
                    yield Change.Kind.GAP;
                }
                LOG.warn("{}: event {} has an unknown change type {}; read as a gap", source, replayId, changeType);
                yield Change.Kind.GAP;
            }
        };
        if (changeType.equals("UPDATE") && !cdc.ownFields().isEmpty()) {
            java.util.Optional<java.util.Set<String>> changed = changedFields(event.getSchema(),
                    header.get("changedFields"));
            if (changed.isPresent()) {
                java.util.Set<String> fields = new java.util.HashSet<>(changed.get());
                fields.removeAll(AUDIT_FIELDS);
                if (cdc.ownFields().containsAll(fields)) {
                    // leadsync's own score write coming back: nothing to read
                    LOG.debug("{}: event {} changed only {}, written by leadsync; skipped", source, replayId,
                            changed.get());
                    return List.of();
                }
            }
        }
        Object stamp = header.get("commitTimestamp");
        Instant changedAt = stamp instanceof Number millis ? Instant.ofEpochMilli(millis.longValue()) : Instant.now();
        StreamId streamId = new StreamId(source, stream);
        List<Change> changes = new ArrayList<>();
        Object ids = header.get("recordIds");
        if (changeType.equals("GAP_OVERFLOW")) {
            changes.add(Change.of(replayId + ":*", streamId, "*", Change.Kind.GAP, changedAt));
            return changes;
        }
        if (ids instanceof Iterable<?> recordIds) {
            for (Object id : recordIds) {
                String recordId = String.valueOf(id);
                if (recordId.equals(OVERFLOW_RECORD_ID)) {
                    recordId = "*";
                }
                changes.add(Change.of(replayId + ":" + recordId, streamId, recordId, kind, changedAt));
            }
        }
        return changes;
    }

    /**
     * The names of the fields an UPDATE changed, from the header's {@code changedFields}: a bitmap in hex
     * ({@code 0x...}) whose bit <i>i</i> stands for the schema's field <i>i</i>, then one entry per compound field
     * ({@code <position>-0x...}, a bitmap over the compound's own fields), which names that compound field. Empty
     * when the list is missing or cannot be read (the change is then read, not skipped).
     */
    static java.util.Optional<java.util.Set<String>> changedFields(org.apache.avro.Schema schema, Object bitmaps) {
        if (!(bitmaps instanceof List<?> entries) || entries.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<org.apache.avro.Schema.Field> fields = schema.getFields();
        java.util.Set<String> names = new java.util.HashSet<>();
        try {
            for (Object entry : entries) {
                String text = String.valueOf(entry);
                int dash = text.indexOf('-');
                if (dash > 0) {
                    names.add(fields.get(Integer.parseInt(text.substring(0, dash))).name());
                    continue;
                }
                if (!text.startsWith("0x")) {
                    return java.util.Optional.empty();
                }
                java.math.BigInteger bits = new java.math.BigInteger(text.substring(2), 16);
                if (bits.bitLength() > fields.size()) {
                    return java.util.Optional.empty();
                }
                for (org.apache.avro.Schema.Field field : fields) {
                    if (bits.testBit(field.pos())) {
                        names.add(field.name());
                    }
                }
            }
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(names);
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fail(Throwable cause) {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.error("{}: {}", source, cause.getMessage());
        Listener current = listener;
        // stopping a route from its own consumer's thread would wait for itself: stop it aside
        Thread stopper = new Thread(this::removeRoute, "cdc-stop-" + source);
        stopper.setDaemon(true);
        stopper.start();
        if (current != null) {
            current.failed(cause);
        }
    }

    /** What the consumer cannot handle itself: an expired replay id is a gap; the rest is logged as it was. */
    private final class Failures implements ExceptionHandler {
        private final ExceptionHandler fallback;

        Failures(ExceptionHandler fallback) {
            this.fallback = fallback;
        }

        @Override
        public void handleException(Throwable exception) {
            handleException(null, null, exception);
        }

        @Override
        public void handleException(String message, Throwable exception) {
            handleException(message, null, exception);
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            if (exception instanceof InvalidReplayIdException invalid) {
                LOG.warn("{}: the saved replay id {} is not retained any more; subscribing from the newest event and"
                        + " reading {} again", source, invalid.getReplayId(), streams);
                gapPending = true;
                Thread resubscriber = new Thread(() -> {
                    removeRoute();
                    try {
                        subscribe(null);
                    } catch (Exception e) {
                        fail(e);
                    }
                }, "cdc-resubscribe-" + source);
                resubscriber.setDaemon(true);
                resubscriber.start();
                // camel-salesforce would now resubscribe with the same replay id, and keep retrying on the client
                // being replaced once its channel is shut down (it does not check whether it was stopped); an
                // exception out of its error callback ends that callback before it does
                throw new IllegalStateException("replay id " + invalid.getReplayId() + " expired; the change feed of "
                        + source + " resubscribes from the newest event");
            }
            fallback.handleException(message, exchange, exception);
        }
    }

    private synchronized void removeRoute() {
        CamelContext camel = api.camel();
        try {
            if (camel.getRoute(routeId) != null) {
                camel.getRouteController().stopRoute(routeId);
                camel.removeRoute(routeId);
            }
        } catch (Exception e) {
            LOG.warn("{}: stopping the change feed's route: {}", source, e.toString());
        }
    }

    @Override
    public void close() {
        stopped = true;
        removeRoute();
        synchronized (this) {
            listener = null;
        }
    }
}
