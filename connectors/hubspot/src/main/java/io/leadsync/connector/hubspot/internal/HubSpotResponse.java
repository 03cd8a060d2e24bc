package io.leadsync.connector.hubspot.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Optional;

/** One answer of the HubSpot API: status, parsed body (a missing node when empty or not JSON), headers. */
public record HubSpotResponse(int status, String rawBody, JsonNode body, Map<String, String> headers) {
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** A response header, case-insensitively. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return Optional.ofNullable(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** HubSpot's error category ({@code VALIDATION_ERROR}, {@code OBJECT_NOT_FOUND}...), or the status. */
    public String category() {
        JsonNode category = body.path("category");
        if (category.isTextual()) {
            return category.asText();
        }
        JsonNode errorType = body.path("errorType");
        return errorType.isTextual() ? errorType.asText() : "HTTP_" + status;
    }

    /** HubSpot's error message, or the start of the raw body. */
    public String message() {
        JsonNode message = body.path("message");
        if (message.isTextual()) {
            return message.asText();
        }
        String raw = rawBody == null ? "" : rawBody.strip();
        return raw.isEmpty() ? "(empty body)" : raw.length() > 300 ? raw.substring(0, 300) + "..." : raw;
    }
}
