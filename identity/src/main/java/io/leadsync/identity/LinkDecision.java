package io.leadsync.identity;

import java.util.List;
import java.util.Objects;

/**
 * Which profile a person record belongs to, and why.
 *
 * @param profileId       the profile
 * @param newProfile      whether the profile must be created
 * @param changed         whether the record's link differs from what was stored before
 * @param reason          why, in words an operator reads ({@code same email}, {@code new profile}...)
 * @param possibleMatches profiles the record may also be, below the match threshold: kept for review, not merged
 */
public record LinkDecision(String profileId, boolean newProfile, boolean changed, String reason,
                           List<PersonMatcher.Match> possibleMatches) {
    public LinkDecision {
        Objects.requireNonNull(profileId, "profileId");
        Objects.requireNonNull(reason, "reason");
        possibleMatches = List.copyOf(possibleMatches);
    }

    public LinkDecision(String profileId, boolean newProfile, boolean changed, String reason) {
        this(profileId, newProfile, changed, reason, List.of());
    }
}
