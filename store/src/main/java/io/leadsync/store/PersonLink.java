package io.leadsync.store;

import io.leadsync.connector.ExternalId;

import java.time.Instant;
import java.util.Objects;

/**
 * A source person record linked to a golden profile.
 *
 * @param person      the source record
 * @param stream      the stream it was read from
 * @param profileId   the profile it belongs to
 * @param emailNorm   its normalized email, or null
 * @param reason      why it was linked ({@code new profile}, {@code same email}...)
 * @param linkedAt    when
 * @param pushPending whether values written to this record may be stale and need a push
 */
public record PersonLink(ExternalId person, String stream, String profileId, String emailNorm, String reason,
                         Instant linkedAt, boolean pushPending) {
    public PersonLink {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(profileId, "profileId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(linkedAt, "linkedAt");
    }
}
