package io.leadsync.connector.hubspot.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reading HubSpot's JSON with errors that name the field. */
final class Json {
    private Json() {
    }

    /** A problem with one field of a record; the message starts with the field's path. */
    static final class FieldProblem extends RuntimeException {
        FieldProblem(String path, String problem) {
            super(path + ": " + problem, null, false, false);
        }
    }

    /** A text property, or null when absent, null or blank. */
    static String text(JsonNode properties, String name) {
        JsonNode node = properties.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isContainerNode()) {
            throw new FieldProblem("properties." + name, "expected a value but got " + kind(node));
        }
        String text = node.asText().strip();
        return text.isEmpty() ? null : text;
    }

    /** An instant given as ISO-8601 or as epoch milliseconds (HubSpot uses both); null when absent. */
    static Instant instant(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        String text = node.asText().strip();
        if (text.isEmpty()) {
            return null;
        }
        try {
            if (text.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(text));
            }
            return Instant.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new FieldProblem(path, "'" + abbreviate(text) + "' is not an ISO-8601 instant or epoch milliseconds");
        }
    }

    /** The {@code properties} object of a v3 object, or a problem naming it. */
    static JsonNode properties(JsonNode result) {
        JsonNode properties = result.path("properties");
        if (!properties.isObject()) {
            throw new FieldProblem("properties", "expected an object but got "
                    + (properties.isMissingNode() ? "nothing" : kind(properties)));
        }
        return properties;
    }

    /** When a v3 object was last modified: its modification property, else {@code updatedAt}, else a problem. */
    static Instant modified(JsonNode result, JsonNode properties, String property) {
        Instant modified = instant(properties.get(property), "properties." + property);
        if (modified == null) {
            modified = instant(result.get("updatedAt"), "updatedAt");
        }
        if (modified == null) {
            throw new FieldProblem("properties." + property, "missing (and no updatedAt)");
        }
        return modified;
    }

    static String kind(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
