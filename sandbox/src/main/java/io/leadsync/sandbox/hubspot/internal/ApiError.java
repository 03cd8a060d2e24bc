package io.leadsync.sandbox.hubspot.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** An error answer in HubSpot's shape: {@code {status:"error", message, correlationId, category, ...}}. */
public class ApiError extends RuntimeException {
    private final int status;
    private final String category;
    private final Map<String, Object> extra;

    public ApiError(int status, String category, String message) {
        this(status, category, message, Map.of());
    }

    public ApiError(int status, String category, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.category = category;
        this.extra = extra;
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", getMessage());
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("category", category);
        body.putAll(extra);
        return body;
    }

    public static ApiError validation(String message) {
        return new ApiError(400, "VALIDATION_ERROR", message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "OBJECT_NOT_FOUND", message);
    }
}
