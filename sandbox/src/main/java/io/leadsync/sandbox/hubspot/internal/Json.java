package io.leadsync.sandbox.hubspot.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON in and out of the simulator. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value, e);
        }
    }

    /** Parses a request body; malformed JSON is HubSpot's 400 with line and column. */
    public static JsonNode read(String body) {
        if (body == null || body.isBlank()) {
            return MAPPER.createObjectNode();
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw ApiError.validation("Invalid input JSON on line " + (location == null ? 1 : location.getLineNr())
                    + ", column " + (location == null ? 1 : location.getColumnNr()) + ": " + e.getOriginalMessage());
        }
    }
}
