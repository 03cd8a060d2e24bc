package io.leadsync.connector;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Something a person did or that happened to them: a page view, an email open, a meeting, a product event.
 *
 * @param id         the activity's id in its source
 * @param type       canonical type in snake_case (see {@link ActivityTypes}); connectors map vendor event names to it
 * @param occurredAt when it happened (not when it was read)
 * @param person     who it belongs to
 * @param properties details by name: {@code page_url}, {@code campaign}, {@code email_event}, {@code event}...
 */
public record Activity(ExternalId id, String type, Instant occurredAt, PersonRef person,
                       Map<String, String> properties) implements CanonicalRecord {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*");

    public Activity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(person, "person");
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("activity type must be snake_case but was '" + type + "'");
        }
        properties = Values.copyWithoutNulls(properties);
    }
}
