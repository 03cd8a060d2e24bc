package io.leadsync.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.sandbox.hubspot.internal.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends the simulator's contact changes to a subscribed target URL as HubSpot's webhooks do: JSON arrays of at most
 * 100 events ({@code eventId, subscriptionId, portalId, appId, occurredAt, subscriptionType, attemptNumber, objectId},
 * plus {@code propertyName}/{@code propertyValue} or the merge's ids), signed with {@code X-HubSpot-Signature-v3}
 * and {@code X-HubSpot-Request-Timestamp} with the app's client secret, and sent again on a connection failure, a
 * timeout or an answer other than 2xx, 400, 401, 403, 404 and 405, up to 10 attempts with doubling delays (HubSpot
 * spreads them over about a day; {@link Settings#firstRetryDelay} scales them down for tests). Each retry carries
 * the next {@code attemptNumber} and a fresh timestamp and signature.
 *
 * <p>Configured in Java ({@link #configure}) or over HubSpot's webhooks API on the simulator
 * ({@code PUT /webhooks/v3/{appId}/settings}, {@code POST /webhooks/v3/{appId}/subscriptions}; see docs/sandbox.md).
 * Thread-safe; one daemon thread delivers.
 */
public final class HubSpotWebhookSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotWebhookSender.class);
    /** What HubSpot sends in one request. */
    public static final int MAX_BATCH = 100;
    /** The secret the simulator signs with when none is configured. */
    public static final String DEFAULT_CLIENT_SECRET = "sandbox-client-secret";
    public static final List<String> CONTACT_SUBSCRIPTIONS = List.of("contact.creation", "contact.propertyChange",
            "contact.deletion", "contact.merge");
    /** The contact properties a propertyChange subscription covers by default: those that make a lead's fit. */
    public static final Set<String> DEFAULT_PROPERTIES = Set.of("email", "firstname", "lastname", "jobtitle",
            "company", "phone", "website", "industry", "numemployees", "annualrevenue", "country", "city",
            "lifecyclestage", "hs_lead_status", "hubspot_owner_id", "recent_conversion_event_name");
    private static final Set<Integer> NOT_RETRIED = Set.of(400, 401, 403, 404, 405);
    private static final Pattern ENCODED = Pattern.compile("%(3[aA]|2[fF]|3[fF]|40|21|24|27|28|29|2[aA]|2[cC]|3[bB])");

    /**
     * @param targetUrl       where batches are POSTed; null: nothing is sent (events are dropped)
     * @param clientSecret    the app's client secret, which signs each request
     * @param subscriptions   the subscribed event types ({@link #CONTACT_SUBSCRIPTIONS} by default)
     * @param properties      the properties whose changes {@code contact.propertyChange} sends (HubSpot subscribes
     *                        to each property on its own; {@link #DEFAULT_PROPERTIES} by default, {@code *} for all)
     * @param firstRetryDelay the delay before the first retry; each further one doubles it
     * @param maxAttempts     attempts per batch (HubSpot: 10)
     * @param timeout         how long an answer may take before the attempt counts as failed (HubSpot: 5 s)
     * @param batchWindow     how long events gather before a batch is sent
     * @param appId           the app's id in every event
     * @param portalId        the account's id in every event
     */
    public record Settings(URI targetUrl, String clientSecret, Set<String> subscriptions, Set<String> properties,
                           Duration firstRetryDelay,
                           int maxAttempts, Duration timeout, Duration batchWindow, long appId, long portalId) {
        public Settings {
            Objects.requireNonNull(clientSecret, "clientSecret");
            subscriptions = Set.copyOf(subscriptions);
            properties = Set.copyOf(properties);
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
        }

        /** HubSpot's behaviour: the contact subscriptions, 10 attempts from 1 minute doubling, 5 s timeout. */
        public static Settings of(URI targetUrl, String clientSecret) {
            return new Settings(targetUrl, clientSecret, Set.copyOf(CONTACT_SUBSCRIPTIONS), DEFAULT_PROPERTIES,
                    Duration.ofMinutes(1), 10,
                    Duration.ofSeconds(5), Duration.ofMillis(100), 54321, 62515);
        }

        public Settings withFirstRetryDelay(Duration value) {
            return new Settings(targetUrl, clientSecret, subscriptions, properties, value, maxAttempts, timeout,
                    batchWindow, appId, portalId);
        }

        public Settings withTimeout(Duration value) {
            return new Settings(targetUrl, clientSecret, subscriptions, properties, firstRetryDelay, maxAttempts, value,
                    batchWindow, appId, portalId);
        }

        public Settings withMaxAttempts(int value) {
            return new Settings(targetUrl, clientSecret, subscriptions, properties, firstRetryDelay, value, timeout,
                    batchWindow, appId, portalId);
        }

        public Settings withSubscriptions(Set<String> value) {
            return new Settings(targetUrl, clientSecret, value, properties, firstRetryDelay, maxAttempts, timeout,
                    batchWindow, appId, portalId);
        }

        public Settings withProperties(Set<String> value) {
            return new Settings(targetUrl, clientSecret, subscriptions, value, firstRetryDelay, maxAttempts, timeout,
                    batchWindow, appId, portalId);
        }

        public Settings withTargetUrl(URI value) {
            return new Settings(value, clientSecret, subscriptions, properties, firstRetryDelay, maxAttempts, timeout,
                    batchWindow, appId, portalId);
        }

        public Settings withClientSecret(String value) {
            return new Settings(targetUrl, value, subscriptions, properties, firstRetryDelay, maxAttempts, timeout,
                    batchWindow, appId, portalId);
        }

        /** Whether a change of this property is sent. */
        boolean sends(String property) {
            return properties.contains("*") || properties.contains(property);
        }
    }

    /** One attempt to deliver a batch: its attempt number (0 first), its event count, and the answer (-1: none). */
    public record Delivery(int attemptNumber, int events, int status, Instant at) {
    }

    private final Clock eventClock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "hubspot-simulator-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    private final ConcurrentLinkedQueue<Map<String, Object>> pending = new ConcurrentLinkedQueue<>();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicLong eventIds = new AtomicLong(1);
    private final AtomicLong inFlight = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Settings settings = Settings.of(null, DEFAULT_CLIENT_SECRET);

    HubSpotWebhookSender(Clock eventClock) {
        this.eventClock = eventClock;
    }

    /** Subscribes (or, with a null target URL, unsubscribes); batches already under way keep their settings. */
    public void configure(Settings value) {
        this.settings = Objects.requireNonNull(value, "value");
        if (value.targetUrl() != null && started.compareAndSet(false, true)) {
            long window = Math.max(1, value.batchWindow().toMillis());
            scheduler.scheduleWithFixedDelay(this::flush, window, window, TimeUnit.MILLISECONDS);
        }
    }

    public Settings settings() {
        return settings;
    }

    /** Every attempt so far, in order. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Events queued or being delivered (not yet answered 2xx nor given up). */
    public long outstanding() {
        return pending.size() + inFlight.get();
    }

    /** Called by the simulator's state on each change (inside its lock: it only queues). */
    void changed(String kind, String type, String id, Map<String, String> detail) {
        Settings current = settings;
        String subscriptionType = "contact." + kind;
        if (current.targetUrl() == null || !"contacts".equals(type)
                || !current.subscriptions().contains(subscriptionType)
                || "propertyChange".equals(kind) && !current.sends(detail.get("propertyName"))) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventIds.getAndIncrement());
        event.put("subscriptionId", "propertyChange".equals(kind) ? propertySubscriptionId(detail.get("propertyName"))
                : 1000 + CONTACT_SUBSCRIPTIONS.indexOf(subscriptionType));
        event.put("portalId", current.portalId());
        event.put("appId", current.appId());
        event.put("occurredAt", eventClock.millis());
        event.put("subscriptionType", subscriptionType);
        event.put("attemptNumber", 0);
        event.put("objectId", Long.parseLong(id));
        event.put("changeSource", "CRM");
        switch (kind) {
            case "creation" -> event.put("changeFlag", "NEW");
            case "propertyChange" -> {
                event.put("propertyName", detail.get("propertyName"));
                event.put("propertyValue", detail.get("propertyValue"));
            }
            case "deletion" -> event.put("changeFlag", "DELETED");
            case "merge" -> {
                event.put("primaryObjectId", Long.parseLong(id));
                event.put("mergedObjectIds", List.of(Long.parseLong(detail.get("mergedId"))));
                event.put("newObjectId", Long.parseLong(id));
                event.put("numberOfPropertiesMoved", 0);
            }
            default -> {
            }
        }
        pending.add(event);
    }

    private static int propertySubscriptionId(String property) {
        return 2000 + Math.floorMod(property.hashCode(), 1000);
    }

    private void flush() {
        try {
            if (settings.targetUrl() == null) {
                pending.clear();   // unsubscribed: what was queued is not sent, as HubSpot drops it
                return;
            }
            while (!pending.isEmpty()) {
                List<Map<String, Object>> batch = new ArrayList<>(MAX_BATCH);
                Map<String, Object> event;
                while (batch.size() < MAX_BATCH && (event = pending.poll()) != null) {
                    batch.add(event);
                }
                inFlight.addAndGet(batch.size());
                attempt(batch, 0, settings);
            }
        } catch (RuntimeException e) {
            LOG.warn("HubSpot simulator: webhook delivery failed unexpectedly", e);
        }
    }

    private void attempt(List<Map<String, Object>> events, int attemptNumber, Settings at) {
        events.forEach(event -> event.put("attemptNumber", attemptNumber));
        String body = Json.write(events);
        String timestamp = String.valueOf(System.currentTimeMillis());
        String uri = at.targetUrl().toString();
        HttpRequest request = HttpRequest.newBuilder(at.targetUrl()).timeout(at.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nio)")
                .header("X-HubSpot-Request-Timestamp", timestamp)
                .header("X-HubSpot-Signature-v3", sign(at.clientSecret(), "POST", uri, body, timestamp))
                .header("X-HubSpot-Signature-Version", "v3")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        deliveries.add(new Delivery(attemptNumber, events.size(), status, Instant.now()));
        if (status >= 200 && status < 300) {
            inFlight.addAndGet(-events.size());
            return;
        }
        if (NOT_RETRIED.contains(status) || attemptNumber + 1 >= at.maxAttempts()) {
            LOG.warn("HubSpot simulator: gave up on a webhook batch of {} events after attempt {} (status {})",
                    events.size(), attemptNumber, status);
            inFlight.addAndGet(-events.size());
            return;
        }
        long delay = at.firstRetryDelay().toMillis() << Math.min(attemptNumber, 20);
        scheduler.schedule(() -> attempt(events, attemptNumber + 1, at), delay, TimeUnit.MILLISECONDS);
    }

    /** HubSpot's v3 signature: base64 HMAC-SHA256 of method, URI (listed escapes decoded), body and timestamp. */
    static String sign(String secret, String method, String uri, String body, String timestamp) {
        Matcher matcher = ENCODED.matcher(uri);
        StringBuilder decoded = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(decoded, Matcher.quoteReplacement(
                    String.valueOf((char) Integer.parseInt(matcher.group(1), 16))));
        }
        matcher.appendTail(decoded);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((method + decoded + body + timestamp)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * HubSpot's webhooks API on the simulator: {@code GET/PUT/DELETE /webhooks/v3/{appId}/settings}
     * ({@code targetUrl}; sandbox extras {@code clientSecret}, {@code firstRetryDelayMillis},
     * {@code timeoutMillis}) and {@code GET/POST /webhooks/v3/{appId}/subscriptions} ({@code eventType},
     * {@code active}).
     */
    Map<String, Object> handle(String method, String path, String body) {
        String[] parts = path.split("/");
        String resource = parts.length > 4 ? parts[4] : "";
        Settings current = settings;
        if ("settings".equals(resource)) {
            switch (method) {
                case "PUT" -> {
                    JsonNode json = Json.read(body);
                    Settings next = current.withTargetUrl(URI.create(json.path("targetUrl").asText()));
                    if (json.hasNonNull("clientSecret")) {
                        next = next.withClientSecret(json.get("clientSecret").asText());
                    }
                    if (json.hasNonNull("firstRetryDelayMillis")) {
                        next = next.withFirstRetryDelay(Duration.ofMillis(json.get("firstRetryDelayMillis").asLong()));
                    }
                    if (json.hasNonNull("timeoutMillis")) {
                        next = next.withTimeout(Duration.ofMillis(json.get("timeoutMillis").asLong()));
                    }
                    configure(next);
                }
                case "DELETE" -> configure(current.withTargetUrl(null));
                default -> {
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("targetUrl", settings.targetUrl() == null ? null : settings.targetUrl().toString());
            answer.put("throttling", Map.of("maxConcurrentRequests", 1, "period", "SECONDLY"));
            return answer;
        }
        if ("subscriptions".equals(resource)) {
            if ("POST".equals(method)) {
                JsonNode json = Json.read(body);
                String type = json.path("eventType").asText();
                if (!CONTACT_SUBSCRIPTIONS.contains(type)) {
                    throw new IllegalArgumentException("eventType must be one of " + CONTACT_SUBSCRIPTIONS);
                }
                boolean active = json.path("active").asBoolean(true);
                Set<String> next = new java.util.HashSet<>(current.subscriptions());
                Set<String> properties = new java.util.HashSet<>(current.properties());
                String property = json.path("propertyName").asText("");
                if ("contact.propertyChange".equals(type) && property.isBlank()) {
                    throw new IllegalArgumentException("a contact.propertyChange subscription needs a propertyName");
                }
                if (active) {
                    next.add(type);
                    if (!property.isBlank()) {
                        properties.add(property);
                    }
                } else if (property.isBlank()) {
                    next.remove(type);
                } else {
                    properties.remove(property);
                }
                configure(current.withSubscriptions(next).withProperties(properties));
            }
            Settings now = settings;
            List<Map<String, Object>> results = new ArrayList<>();
            for (String type : CONTACT_SUBSCRIPTIONS) {
                if ("contact.propertyChange".equals(type)) {
                    now.properties().stream().sorted().forEach(property -> results.add(Map.of("id",
                            propertySubscriptionId(property), "eventType", type, "propertyName",
                            property, "active", now.subscriptions().contains(type))));
                } else {
                    results.add(Map.of("id", 1000 + CONTACT_SUBSCRIPTIONS.indexOf(type), "eventType", type,
                            "active", now.subscriptions().contains(type)));
                }
            }
            return Map.of("results", results);
        }
        throw new IllegalArgumentException("unknown webhooks resource: " + path);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
