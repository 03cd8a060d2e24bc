package io.leadsync.identity;

import java.util.Objects;

/**
 * Which profile a person record belongs to, and why.
 *
 * @param profileId  the profile
 * @param newProfile whether the profile must be created
 * @param changed    whether the record's link differs from what was stored before
 * @param reason     why, in words an operator reads ({@code same email}, {@code new profile}...)
 */
public record LinkDecision(String profileId, boolean newProfile, boolean changed, String reason) {
    public LinkDecision {
        Objects.requireNonNull(profileId, "profileId");
        Objects.requireNonNull(reason, "reason");
    }
}
