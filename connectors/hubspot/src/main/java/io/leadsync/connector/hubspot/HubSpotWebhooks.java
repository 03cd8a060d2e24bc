package io.leadsync.connector.hubspot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.Change;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.ReceivedChanges;
import io.leadsync.connector.Secret;
import io.leadsync.connector.Setting;
import io.leadsync.connector.StreamId;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhooks of one HubSpot source ({@code sync.connectors.<name>.webhook}): checks a request's
 * {@code X-HubSpot-Signature-v3} and its timestamp window, and reads HubSpot's event batch into {@link Change}s that
 * name the changed records (the pipeline reads them by id).
 *
 * <p>The signature is HubSpot's v3: base64 of HMAC-SHA256, keyed with the app's client secret, over
 * {@code method + URI + body + timestamp}, the URI being the full URL HubSpot called with the characters
 * {@link #decodeUri listed by HubSpot} decoded; a request whose {@code X-HubSpot-Request-Timestamp} is more than
 * 5 minutes old (or ahead) is refused, so a captured request cannot be replayed. Called by the HTTP endpoint on its
 * request thread; immutable and thread-safe. The client secret never appears in a message.
 */
public final class HubSpotWebhooks {
    public static final String SIGNATURE_HEADER = "X-HubSpot-Signature-v3";
    public static final String TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp";
    /** How old (or how far ahead) a request's timestamp may be: HubSpot's 5 minutes. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    static final Setting<String> CLIENT_SECRET = Setting.of("webhook.client-secret", Setting.TEXT).secret()
            .env("HUBSPOT_CLIENT_SECRET").doc("The HubSpot app's client secret (Auth tab of the app), which signs its"
                    + " webhook requests; set it to receive webhooks at POST /webhooks/hubspot/<name>.");
    static final Setting<URI> TARGET_URL = Setting.of("webhook.target-url", Setting.URL)
            .withDefaultText("the URL the request arrived at").doc("The target URL as registered in the HubSpot app;"
                    + " the signature covers it, so set it when a proxy changes the scheme, host or path.");

    /** HubSpot object type ids of the engagement streams, as {@code object.*} events name them. */
    private static final Map<String, String> OBJECT_TYPES = Map.of("0-1", "contacts", "0-49", "emails",
            "0-47", "meetings", "0-48", "calls");
    /** HubSpot's list of percent-encoded characters decoded in the URI before it is signed. */
    private static final Pattern ENCODED = Pattern.compile("%(3[aA]|2[fF]|3[fF]|40|21|24|27|28|29|2[aA]|2[cC]|3[bB])");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final Secret clientSecret;
    private final URI targetUrl;
    private final Set<String> streams;
    private final Clock clock;

    /**
     * @param source       the source's name ({@code hubspot-main}), the source of the changes' ids
     * @param clientSecret the app's client secret
     * @param targetUrl    the URL registered in HubSpot, or null to sign the URL the request arrived at
     * @param streams      the streams the source reads; events of other streams are ignored
     * @param clock        the time the timestamp window is measured against
     */
    public HubSpotWebhooks(String source, Secret clientSecret, URI targetUrl, List<String> streams, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.targetUrl = targetUrl;
        this.streams = Set.copyOf(streams);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The webhooks of a configured HubSpot source, or empty when it sets no {@code webhook.client-secret}.
     *
     * @throws io.leadsync.connector.ConfigException naming the key of an invalid setting
     */
    public static Optional<HubSpotWebhooks> of(ConnectorSettings settings, Clock clock) {
        String secret = settings.get(CLIENT_SECRET);
        URI target = settings.get(TARGET_URL);
        if (secret == null) {
            return Optional.empty();
        }
        List<String> streams = HubSpotSettings.forSource(settings).read().streams();
        return Optional.of(new HubSpotWebhooks(settings.name(), Secret.of(secret), target, streams, clock));
    }

    public String source() {
        return source;
    }

    /** The URL registered in HubSpot, if configured. */
    public Optional<URI> targetUrl() {
        return Optional.ofNullable(targetUrl);
    }

    /**
     * Checks a request's v3 signature and timestamp.
     *
     * @param method      the HTTP method ({@code POST})
     * @param requestUrl  the full URL the request arrived at ({@code https://host/webhooks/hubspot/main?x=1}); the
     *                    configured {@code target-url} replaces it
     * @param body        the raw body, as received
     * @param signature   the {@value #SIGNATURE_HEADER} header, or null
     * @param timestamp   the {@value #TIMESTAMP_HEADER} header (epoch milliseconds), or null
     * @throws Refused saying why, in words fit for the sender (never the secret)
     */
    public void verify(String method, String requestUrl, String body, String signature, String timestamp) {
        if (signature == null || signature.isBlank()) {
            throw new Refused(SIGNATURE_HEADER + " is missing: the request is not signed (leadsync accepts HubSpot's"
                    + " v3 signature only)");
        }
        if (timestamp == null || timestamp.isBlank()) {
            throw new Refused(TIMESTAMP_HEADER + " is missing: a v3 signature needs the request's timestamp");
        }
        long millis;
        try {
            millis = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw new Refused(TIMESTAMP_HEADER + " is not epoch milliseconds");
        }
        Duration age = Duration.between(Instant.ofEpochMilli(millis), clock.instant());
        if (age.compareTo(WINDOW) > 0) {
            throw new Refused(TIMESTAMP_HEADER + " is " + age.toSeconds() + " s old; requests older than "
                    + WINDOW.toSeconds() + " s are refused (a replayed request)");
        }
        if (age.negated().compareTo(WINDOW) > 0) {
            throw new Refused(TIMESTAMP_HEADER + " is " + age.negated().toSeconds() + " s ahead of this server's"
                    + " clock; more than " + WINDOW.toSeconds() + " s is refused");
        }
        String url = targetUrl != null ? targetUrl.toString() : requestUrl;
        String expected = sign(clientSecret, method, url, body, timestamp.strip());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.strip().getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused(SIGNATURE_HEADER + " does not match the request: check webhook.client-secret of"
                    + " sync.connectors." + source + " (the app's client secret) and, behind a proxy, webhook.target-url"
                    + " (the signature covers the URL HubSpot called)");
        }
    }

    /**
     * HubSpot's v3 signature of a request: base64 of HMAC-SHA256 over method, {@link #decodeUri decoded} URI, body
     * and timestamp, keyed with the client secret.
     */
    public static String sign(Secret clientSecret, String method, String uri, String body, String timestamp) {
        String source = method + decodeUri(uri) + (body == null ? "" : body) + timestamp;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * The URI as HubSpot signs it: {@code %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B} decoded to
     * {@code : / ? @ ! $ ' ( ) * , ;}; every other escape (a space's {@code %20}, {@code %26}, {@code %3D}) kept.
     */
    public static String decodeUri(String uri) {
        Matcher matcher = ENCODED.matcher(uri);
        StringBuilder decoded = new StringBuilder(uri.length());
        while (matcher.find()) {
            char c = (char) Integer.parseInt(matcher.group(1), 16);
            matcher.appendReplacement(decoded, Matcher.quoteReplacement(String.valueOf(c)));
        }
        matcher.appendTail(decoded);
        return decoded.toString();
    }

    /**
     * Reads a webhook batch (a JSON array of events) into changes of this source's streams.
     *
     * <p>{@code *.creation}, {@code *.propertyChange} and {@code *.restore} upsert the object; {@code *.deletion} and
     * {@code *.privacyDeletion} delete it; {@code contact.merge} marks each merged-away id MERGED and upserts the
     * survivor; {@code contact.associationChange} upserts the contact it concerns. {@code contact.*} events name the
     * contacts stream; {@code object.*} events name the stream of their {@code objectTypeId} (emails 0-49,
     * meetings 0-47, calls 0-48, contacts 0-1). Events of other objects, or of streams the source does not read,
     * are counted as ignored. Each change's event id is {@code eventId:subscriptionId:objectId}, the same on every
     * delivery attempt, since HubSpot's {@code eventId} alone is not guaranteed to be unique.
     *
     * @throws ReceivedChanges.Malformed when the body is not a JSON array
     */
    public ReceivedChanges parse(String body) {
        JsonNode events;
        try {
            events = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new ReceivedChanges.Malformed("the body is not JSON: " + e.getOriginalMessage());
        }
        if (events == null || !events.isArray()) {
            throw new ReceivedChanges.Malformed("the body must be a JSON array of events but is "
                    + (events == null || events.isMissingNode() ? "empty" : events.getNodeType().name().toLowerCase()));
        }
        List<Change> changes = new ArrayList<>();
        List<ReceivedChanges.Problem> problems = new ArrayList<>();
        int ignored = 0;
        for (int index = 0; index < events.size(); index++) {
            JsonNode event = events.get(index);
            try {
                List<Change> mapped = map(event);
                if (mapped.isEmpty()) {
                    ignored++;
                }
                changes.addAll(mapped);
            } catch (IllegalArgumentException e) {
                problems.add(new ReceivedChanges.Problem(index, event.path("eventId").asText(null), e.getMessage()));
            }
        }
        return new ReceivedChanges(changes, ignored, problems);
    }

    private List<Change> map(JsonNode event) {
        if (!event.isObject()) {
            throw new IllegalArgumentException("an event must be an object");
        }
        String type = required(event, "subscriptionType");
        String eventId = required(event, "eventId");
        JsonNode occurredNode = event.get("occurredAt");
        if (occurredNode == null || !occurredNode.canConvertToLong()) {
            throw new IllegalArgumentException("occurredAt: missing or not epoch milliseconds");
        }
        Instant occurredAt = Instant.ofEpochMilli(occurredNode.asLong());
        int dot = type.indexOf('.');
        String object = dot < 0 ? type : type.substring(0, dot);
        String action = dot < 0 ? "" : type.substring(dot + 1);
        String stream = switch (object) {
            case "contact" -> "contacts";
            case "object" -> OBJECT_TYPES.get(event.path("objectTypeId").asText(""));
            default -> null;
        };
        if (stream == null || !streams.contains(stream)) {
            return List.of();
        }
        StreamId streamId = new StreamId(source, stream);
        String key = eventId + ":" + event.path("subscriptionId").asText("") + ":";
        return switch (action) {
            case "creation", "propertyChange", "restore" -> {
                String id = required(event, "objectId");
                yield List.of(Change.of(key + id, streamId, id, Change.Kind.UPSERTED, occurredAt));
            }
            case "deletion", "privacyDeletion" -> {
                String id = required(event, "objectId");
                yield List.of(Change.of(key + id, streamId, id, Change.Kind.DELETED, occurredAt));
            }
            case "merge" -> merge(event, key, streamId, occurredAt);
            case "associationChange" -> association(event, key, streamId, occurredAt);
            default -> List.of();
        };
    }

    private static List<Change> merge(JsonNode event, String key, StreamId stream, Instant occurredAt) {
        String primary = required(event, "primaryObjectId");
        String survivor = event.hasNonNull("newObjectId") ? event.get("newObjectId").asText() : primary;
        JsonNode merged = event.path("mergedObjectIds");
        if (!merged.isArray()) {
            throw new IllegalArgumentException("mergedObjectIds: missing or not an array");
        }
        Set<String> losers = new LinkedHashSet<>();
        merged.forEach(id -> losers.add(id.asText()));
        losers.add(primary);
        losers.remove(survivor);
        List<Change> changes = new ArrayList<>();
        for (String id : losers) {
            changes.add(Change.of(key + id, stream, id, Change.Kind.MERGED, occurredAt));
        }
        changes.add(Change.of(key + survivor, stream, survivor, Change.Kind.UPSERTED, occurredAt));
        return changes;
    }

    private static List<Change> association(JsonNode event, String key, StreamId stream, Instant occurredAt) {
        String association = event.path("associationType").asText("");
        String id;
        if (association.startsWith("CONTACT_TO_")) {
            id = required(event, "fromObjectId");
        } else if (association.endsWith("_TO_CONTACT")) {
            id = required(event, "toObjectId");
        } else {
            return List.of();
        }
        return List.of(Change.of(key + id, stream, id, Change.Kind.UPSERTED, occurredAt));
    }

    private static String required(JsonNode event, String field) {
        JsonNode value = event.get(field);
        if (value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank()) {
            throw new IllegalArgumentException(field + ": missing");
        }
        return value.asText().strip();
    }

    /** A request whose signature or timestamp is missing, stale or wrong (answered 401). */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
