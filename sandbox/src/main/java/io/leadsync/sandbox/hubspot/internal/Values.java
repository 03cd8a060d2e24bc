package io.leadsync.sandbox.hubspot.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** How HubSpot compares property values: dates as instants, numbers numerically, text ignoring case. */
final class Values {
    private Values() {
    }

    /** An instant from ISO-8601 or epoch milliseconds, or null. */
    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.strip();
        try {
            if (trimmed.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(trimmed));
            }
            return Instant.parse(trimmed);
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    static BigDecimal number(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Compares two values of a property of the given type; nulls sort last. */
    static int compare(String type, String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        if ("datetime".equals(type) || "date".equals(type)) {
            Instant x = instant(a);
            Instant y = instant(b);
            if (x != null && y != null) {
                return x.compareTo(y);
            }
        }
        if ("number".equals(type)) {
            BigDecimal x = number(a);
            BigDecimal y = number(b);
            if (x != null && y != null) {
                return x.compareTo(y);
            }
        }
        return a.compareToIgnoreCase(b);
    }
}
