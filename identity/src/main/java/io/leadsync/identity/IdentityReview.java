package io.leadsync.identity;

import io.leadsync.connector.ExternalId;

import java.util.Locale;
import java.util.Objects;

/**
 * Something about a record's profile that a person should look at, kept in the review queue and never acted on
 * automatically.
 *
 * @param record      the person record
 * @param profileId   the profile it was linked to
 * @param candidateId the profile it may also be (a possible match), or that it would have joined (a profile at its
 *                    size bound)
 * @param probability that the record is the candidate's person
 * @param evidence    which comparisons agree and differ
 * @param kind        why it is in the queue
 */
public record IdentityReview(ExternalId record, String profileId, String candidateId, double probability,
                             String evidence, Kind kind) {

    /** Why a record is in the review queue. */
    public enum Kind {
        /** Its probability of being the candidate is in the review band: below a match, above nothing. */
        POSSIBLE_MATCH,
        /** It matches the candidate, but the candidate has as many records as a profile takes automatically. */
        LARGE_PROFILE;

        /** The API name ({@code possible-match}). */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Kind parse(String key) {
            for (Kind kind : values()) {
                if (kind.key().equals(key)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown review kind '" + key + "'");
        }
    }

    public IdentityReview {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(profileId, "profileId");
        Objects.requireNonNull(candidateId, "candidateId");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(kind, "kind");
    }
}
