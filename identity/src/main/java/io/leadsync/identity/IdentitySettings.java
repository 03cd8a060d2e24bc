package io.leadsync.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * How the pipeline resolves identities: configuration key {@code leadsync.identity}.
 *
 * @param matching     probable-match thresholds and prior, or empty to link deterministically only
 * @param phoneRegion  region of phone numbers written without a country code (ISO 3166 alpha-2)
 * @param emailRules   provider rules applied before emails are compared
 * @param survivorship which values make a profile's golden record
 */
public record IdentitySettings(Optional<PersonMatcher.Settings> matching, String phoneRegion,
                               EmailNormalizer.Rules emailRules, SurvivorshipRules survivorship) {
    public IdentitySettings {
        Objects.requireNonNull(matching, "matching");
        Objects.requireNonNull(phoneRegion, "phoneRegion");
        Objects.requireNonNull(emailRules, "emailRules");
        Objects.requireNonNull(survivorship, "survivorship");
    }

    /** Probable matches with default thresholds, phones in the US, no email provider rules, most recent values. */
    public static IdentitySettings defaults() {
        return new IdentitySettings(Optional.of(PersonMatcher.Settings.defaults()), "US", EmailNormalizer.Rules.none(),
                SurvivorshipRules.mostRecent());
    }

    /** The resolver these settings describe. */
    public IdentityResolver resolver() {
        return new IdentityResolver(matching.map(settings -> new PersonMatcher(settings, phoneRegion)).orElse(null));
    }

    /** The email normalizer these settings describe. */
    public EmailNormalizer emails() {
        return new EmailNormalizer(emailRules);
    }
}
