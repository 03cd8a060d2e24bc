package io.leadsync.app.api;

import io.micronaut.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A call the API refuses, answered as a problem body (RFC 9457, {@code application/problem+json}): {@code status},
 * {@code title}, {@code detail} (also as {@code message}) and, for bad input, the {@code field} at fault. Thrown by
 * controllers and the services they call; {@link ApiProblems} renders it.
 */
public final class ApiProblem extends RuntimeException {
    private final HttpStatus status;
    private final String field;

    public ApiProblem(HttpStatus status, String field, String detail) {
        super(detail);
        this.status = status;
        this.field = field;
    }

    /** 400: a field of the request is not valid. */
    public static ApiProblem badInput(String field, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, field, detail);
    }

    /** 404: no such thing (an unknown id). */
    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, null, detail);
    }

    /** 409: the call cannot be done now (a run is under way, a letter is already resolved). */
    public static ApiProblem conflict(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, null, detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String field() {
        return field;
    }

    /** The problem body. */
    public Map<String, Object> body() {
        return body(status, field, getMessage());
    }

    static Map<String, Object> body(HttpStatus status, String field, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReason());
        body.put("status", status.getCode());
        body.put("detail", detail);
        body.put("message", detail);
        if (field != null) {
            body.put("field", field);
        }
        return body;
    }
}
