package io.leadsync.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * How the pipeline resolves identities: configuration key {@code leadsync.identity}.
 *
 * @param matching        probable-match settings, or empty to link deterministically only (ids and emails)
 * @param phoneRegion     region of phone numbers written without a country code (ISO 3166 alpha-2)
 * @param emailRules      provider rules applied before emails are compared
 * @param survivorship    which values make a profile's golden record
 * @param weightsSchedule when weights are re-estimated from the store (a Quartz cron expression), or null for
 *                        never on a schedule (on demand and as the store grows still)
 */
public record IdentitySettings(Optional<MatchSettings> matching, String phoneRegion, EmailNormalizer.Rules emailRules,
                               SurvivorshipRules survivorship, String weightsSchedule) {
    /** Weights are re-estimated every night at 03:00 unless configured otherwise. */
    public static final String DEFAULT_WEIGHTS_SCHEDULE = "0 0 3 * * ?";

    public IdentitySettings {
        Objects.requireNonNull(matching, "matching");
        Objects.requireNonNull(phoneRegion, "phoneRegion");
        Objects.requireNonNull(emailRules, "emailRules");
        Objects.requireNonNull(survivorship, "survivorship");
    }

    /** Probable matches with default settings, phones in the US, Gmail's rules, most recent values. */
    public static IdentitySettings defaults() {
        return new IdentitySettings(Optional.of(MatchSettings.defaults()), "US", EmailNormalizer.Rules.defaults(),
                SurvivorshipRules.mostRecent(), DEFAULT_WEIGHTS_SCHEDULE);
    }

    /** The resolver these settings describe. */
    public IdentityResolver resolver() {
        return new IdentityResolver(matching.orElse(null), emails(), new PhoneNormalizer(phoneRegion));
    }

    /** The email normalizer these settings describe. */
    public EmailNormalizer emails() {
        return new EmailNormalizer(emailRules);
    }
}
