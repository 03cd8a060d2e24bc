package io.leadsync.connector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a push intake (a HubSpot webhook batch, a Segment-compatible call) read from one request: the changes of its
 * well-formed items, how many items it acknowledged without a change, and the items it could not read, each named.
 * The HTTP endpoint hands {@link #changes} to the pipeline and names {@link #problems} in its answer.
 *
 * @param changes  the changes of the well-formed items
 * @param ignored  items acknowledged without a change (objects, calls or events the source does not take)
 * @param problems the items that could not be read, by position
 */
public record ReceivedChanges(List<Change> changes, int ignored, List<Problem> problems) {
    public ReceivedChanges {
        changes = List.copyOf(changes);
        problems = List.copyOf(problems);
    }

    /**
     * An item of a request that could not be read.
     *
     * @param index  its position in the request (0 for a request of one item)
     * @param id     the vendor's id of the item (an {@code eventId}, a {@code messageId}), or null when it has none
     * @param reason why, starting with the field at fault
     */
    public record Problem(int index, String id, String reason) {
    }

    /** A request body that is not what the intake takes at all (answered 400 with the message). */
    public static final class Malformed extends RuntimeException {
        public Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * An id for an event the vendor gave none ({@code h-} and 24 hex digits of the SHA-1 of what identifies it), the
     * same each time the same event is sent or read, so a repeat is recognised.
     */
    public static String derivedId(String content) {
        try {
            return "h-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(content.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
