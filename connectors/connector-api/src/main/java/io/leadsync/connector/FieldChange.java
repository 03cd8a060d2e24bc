package io.leadsync.connector;

import java.util.Map;
import java.util.Objects;

/**
 * Values to write to one record of a sink, by canonical field name ({@link WriteField}); only fields whose value
 * differs from what was last written are included.
 */
public record FieldChange(ExternalId target, Map<String, String> fields) {
    public FieldChange {
        Objects.requireNonNull(target, "target");
        fields = Values.copyWithoutNulls(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a change to " + target + " needs at least one field");
        }
    }
}
