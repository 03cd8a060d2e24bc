package io.leadsync.connector.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Optional;

/**
 * One answer: status, raw body, body parsed as JSON (a missing node when empty or not JSON), headers. A successful
 * answer that is not JSON never reaches a connector ({@link ApiClient} retries, then fails the call).
 */
public record ApiResponse(int status, String rawBody, JsonNode body, Map<String, String> headers) {
    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    /**
     * The list at {@code field} that every successful answer of a call has ({@code results} of a page).
     *
     * @param call the vendor and call, for the message ({@code POST /crm/v3/objects/contacts/search (hubspot-main)})
     * @throws MalformedResponseException when the body has no such list: never taken as an empty page
     */
    public JsonNode list(String field, String vendor, String call) {
        JsonNode list = body.path(field);
        if (!list.isArray()) {
            throw new MalformedResponseException(vendor, call, list.isMissingNode() ? "has no '" + field + "' list"
                    : "has '" + field + "' but not as a list", rawBody);
        }
        return list;
    }

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

    /**
     * The vendor's error category: {@code category} (HubSpot), {@code errorType}, {@code errorCode} (Salesforce,
     * first element of an array), {@code error} (OAuth, Pipedrive) when short, else {@code HTTP_<status>}.
     */
    public String category() {
        JsonNode node = body.isArray() && !body.isEmpty() ? body.get(0) : body;
        for (String field : new String[] {"category", "errorType", "errorCode", "error_code", "error"}) {
            JsonNode value = node.path(field);
            if (value.isTextual() && !value.asText().isBlank() && value.asText().length() <= 60) {
                return value.asText();
            }
        }
        return "HTTP_" + status;
    }

    /** The vendor's error message, or the start of the raw body. */
    public String message() {
        JsonNode node = body.isArray() && !body.isEmpty() ? body.get(0) : body;
        for (String field : new String[] {"message", "error_description", "error_message", "error", "detail"}) {
            JsonNode value = node.path(field);
            if (value.isTextual() && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        String raw = rawBody == null ? "" : rawBody.strip();
        return raw.isEmpty() ? "(empty body)" : raw.length() > 300 ? raw.substring(0, 300) + "..." : raw;
    }
}
