package io.leadsync.connector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small checks shared by the model's compact constructors. */
final class Values {
    private Values() {
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /** Blank strings become null, others are trimmed: the model never holds "" for "unknown". */
    static String blankToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** An unmodifiable copy that keeps insertion order and drops null values. */
    static Map<String, String> copyWithoutNulls(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (key != null && value != null) {
                copy.put(key, value);
            }
        });
        return Collections.unmodifiableMap(copy);
    }
}
