package io.leadsync.connector;

/** A record mapped to leadsync's canonical model: a {@link Person} or an {@link Activity}. */
public sealed interface CanonicalRecord permits Person, Activity {
    /** The record's own id in its source. */
    ExternalId id();
}
