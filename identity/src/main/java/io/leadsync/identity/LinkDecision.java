package io.leadsync.identity;

import io.leadsync.connector.ExternalId;

import java.util.List;
import java.util.Objects;

/**
 * Which profile a person record belongs to, and why.
 *
 * @param record     the person record
 * @param profileId  the profile
 * @param newProfile whether the profile must be created
 * @param changed    whether the record's link differs from what was stored before
 * @param kind       how the profile was found
 * @param reason     why, in words an operator reads ({@code same email}, {@code new profile}...)
 * @param reviews    what was put in the review queue about it: possible matches below the match threshold, or a
 *                   match with a profile at its size bound; never merged automatically
 * @param merged     profiles this record proved to be the same person as {@code profileId}: their records moved
 *                   into it (empty mostly)
 */
public record LinkDecision(ExternalId record, String profileId, boolean newProfile, boolean changed, Kind kind,
                           String reason, List<IdentityReview> reviews, List<String> merged) {

    /** How the profile of a record was found. */
    public enum Kind {
        /** The record was linked before; it stays (records never change profiles on their own). */
        ALREADY_LINKED,
        /** A record of the profile stores this record's id for another system, or this record stores one of its. */
        STORED_ID,
        /** A record of the profile has the same personal mailbox and no conflicting name. */
        SAME_EMAIL,
        /** The record matched the profile's records with a probability at or above the match threshold. */
        PROBABLE_MATCH,
        /** Nothing matched: a profile of its own. */
        NEW_PROFILE
    }

    public LinkDecision {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(profileId, "profileId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        reviews = List.copyOf(reviews);
        merged = List.copyOf(merged);
    }

    public LinkDecision(ExternalId record, String profileId, boolean newProfile, boolean changed, Kind kind,
                        String reason, List<IdentityReview> reviews) {
        this(record, profileId, newProfile, changed, kind, reason, reviews, List.of());
    }
}
