package io.leadsync.connector.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadsync.connector.Change;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.ReceivedChanges;
import io.leadsync.connector.segment.internal.MessageMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Segment-compatible intake: recognises its write key and reads Segment HTTP Tracking API calls
 * ({@code track}, {@code identify}, {@code batch}) into changes that carry their whole record: a {@code track} is an
 * activity of the {@code events} stream whose id is the {@code messageId} (so a message sent twice is stored once,
 * as Mixpanel's {@code $insert_id}); an {@code identify} is a person of the {@code persons} stream.
 *
 * <p>Called by the HTTP endpoint on its request thread; immutable and thread-safe. Segment's limits hold: a message
 * of at most 32 KB, a batch of at most 500 KB. A bad message of a batch is named in {@link ReceivedChanges#problems} and the
 * others are kept; {@code page}, {@code screen}, {@code group} and {@code alias} calls are counted as ignored.
 */
public final class SegmentIntake {
    /** Segment's limit of one message. */
    public static final int MAX_MESSAGE_BYTES = 32 * 1024;
    /** Segment's limit of one batch request. */
    public static final int MAX_BATCH_BYTES = 500 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SegmentSettings settings;
    private final MessageMapper mapper;

    public SegmentIntake(SegmentSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.mapper = new MessageMapper(settings.name(), settings.streams(), settings.events(), clock);
    }

    /** The intake of a configured {@code type: segment} source. */
    public static SegmentIntake of(ConnectorSettings settings, Clock clock) {
        return new SegmentIntake(SegmentSettings.parse(settings), clock);
    }

    public String source() {
        return settings.name();
    }

    /**
     * Whether an {@code Authorization} header carries this intake's write key as Segment senders send it: HTTP
     * Basic with the write key as user name and an empty password (compared in constant time).
     */
    public boolean authenticates(String authorization) {
        return writeKeyOf(authorization).map(key -> MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                settings.writeKey().reveal().getBytes(StandardCharsets.UTF_8))).orElse(false);
    }

    /** The write key of a Basic {@code Authorization} header (the user name), or empty. */
    public static Optional<String> writeKeyOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        String key = colon < 0 ? decoded : decoded.substring(0, colon);
        return key.isBlank() ? Optional.empty() : Optional.of(key);
    }

    /**
     * Reads one call.
     *
     * @param call {@code track}, {@code identify} or {@code batch}: the path the sender called
     * @param body the request body
     * @throws ReceivedChanges.Malformed when the body is too large, not a JSON object, or (for a batch) has no {@code batch} array
     */
    public ReceivedChanges read(String call, byte[] body) {
        boolean batch = "batch".equals(call);
        int limit = batch ? MAX_BATCH_BYTES : MAX_MESSAGE_BYTES;
        if (body.length > limit) {
            throw new ReceivedChanges.Malformed("the body is " + body.length + " bytes; Segment's limit is " + limit / 1024 + " KB"
                    + (batch ? " per batch (send smaller batches)" : " per message"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new ReceivedChanges.Malformed("the body is not JSON: " + (e instanceof JsonProcessingException json
                    ? json.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ReceivedChanges.Malformed("the body must be a JSON object");
        }
        if (!batch) {
            return collect(List.of(root), call, null);
        }
        JsonNode messages = root.get("batch");
        if (messages == null || !messages.isArray()) {
            throw new ReceivedChanges.Malformed("batch: missing or not an array of messages");
        }
        List<JsonNode> list = new ArrayList<>();
        messages.forEach(list::add);
        return collect(list, null, root.get("context"));
    }

    private ReceivedChanges collect(List<JsonNode> messages, String call, JsonNode batchContext) {
        List<Change> changes = new ArrayList<>();
        List<ReceivedChanges.Problem> problems = new ArrayList<>();
        int ignored = 0;
        for (int index = 0; index < messages.size(); index++) {
            JsonNode message = messages.get(index);
            String messageId = message.path("messageId").isValueNode() ? message.path("messageId").asText() : null;
            try {
                if (!message.isObject()) {
                    throw new IllegalArgumentException("a message must be a JSON object");
                }
                int size = message.toString().getBytes(StandardCharsets.UTF_8).length;
                if (size > MAX_MESSAGE_BYTES) {
                    throw new IllegalArgumentException("the message is " + size + " bytes; Segment's limit is 32 KB");
                }
                if (batchContext != null && batchContext.isObject() && !message.has("context")) {
                    message = ((ObjectNode) message).deepCopy().set("context", batchContext);
                }
                String type = call != null ? call : message.path("type").asText("");
                Optional<Change> change = mapper.map(type, message);
                if (change.isPresent()) {
                    changes.add(change.get());
                } else {
                    ignored++;
                }
            } catch (IllegalArgumentException e) {
                problems.add(new ReceivedChanges.Problem(index, messageId, e.getMessage()));
            }
        }
        return new ReceivedChanges(changes, ignored, problems);
    }

    @Override
    public String toString() {
        return "SegmentIntake[" + settings.name() + "]";
    }
}
