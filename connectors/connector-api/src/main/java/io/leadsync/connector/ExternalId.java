package io.leadsync.connector;

import java.util.Objects;

/**
 * The id of a record in one configured source, e.g. {@code ExternalId("hubspot-main", "1234")}.
 *
 * <p>{@code source} is the name of a configured connector instance (not its type), so two HubSpot portals never
 * share ids. Ids are unique per source for persons; activities carry their own ids.
 */
public record ExternalId(String source, String id) implements Comparable<ExternalId> {
    public ExternalId {
        source = Values.requireText(source, "source");
        id = Values.requireText(id, "id");
    }

    /** Parses the {@code source:id} form written by {@link #toString()}. */
    public static ExternalId parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected <source>:<id> but got '" + text + "'");
        }
        return new ExternalId(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public int compareTo(ExternalId other) {
        int bySource = source.compareTo(other.source);
        return bySource != 0 ? bySource : id.compareTo(other.id);
    }

    @Override
    public String toString() {
        return source + ":" + id;
    }
}
