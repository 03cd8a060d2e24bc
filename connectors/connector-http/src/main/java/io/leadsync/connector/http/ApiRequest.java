package io.leadsync.connector.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP call: method, a path relative to the client's base URL (or an absolute URL, such as a "next" link a
 * vendor returned), query parameters, extra headers and a body (JSON text, form text, or none).
 */
public record ApiRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
                         String body, String contentType) {
    public ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = query == null ? Map.of() : new LinkedHashMap<>(query);
        headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
    }

    public static ApiRequest get(String path, Map<String, String> query) {
        return new ApiRequest("GET", path, query, Map.of(), null, null);
    }

    /** A JSON body ({@code body} is serialized with Jackson). */
    public static ApiRequest json(String method, String path, Object body) {
        return new ApiRequest(method, path, Map.of(), Map.of(), Json.write(body), "application/json; charset=UTF-8");
    }

    /** A form-encoded body. */
    public static ApiRequest form(String path, Map<String, String> fields) {
        return new ApiRequest("POST", path, Map.of(), Map.of(), Json.formEncode(fields),
                "application/x-www-form-urlencoded");
    }

    public ApiRequest withQuery(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(query);
        merged.putAll(extra);
        return new ApiRequest(method, path, merged, headers, body, contentType);
    }

    public ApiRequest withHeaders(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(extra);
        return new ApiRequest(method, path, query, merged, body, contentType);
    }

    /** {@code GET /crm/v3/objects/contacts}, for messages: no query, no credentials. */
    public String describe() {
        return method + " " + path;
    }
}
