package io.leadsync.app.api;

import io.leadsync.connector.Secrets;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;

/**
 * Every error of the API as a problem body ({@link ApiProblem}): the API's own refusals, and Micronaut's (a query
 * value that is not a number, a missing body, JSON that does not parse, an unknown path), whose field is named from
 * the argument at fault. Messages pass {@link Secrets#mask}.
 */
public final class ApiProblems {
    static final String PROBLEM_JSON = "application/problem+json";

    private ApiProblems() {
    }

    /** Renders {@link ApiProblem}s thrown by controllers and services. */
    @Singleton
    public static class Handler implements ExceptionHandler<ApiProblem, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ApiProblem problem) {
            return HttpResponse.status(problem.status()).contentType(MediaType.of(PROBLEM_JSON))
                    .body(ApiProblem.body(problem.status(), problem.field(), Secrets.mask(problem.getMessage())));
        }
    }

    /** Micronaut's own errors (bad arguments, unreadable bodies, 404 routes) in the same shape. */
    @Singleton
    @Primary
    @Replaces(JsonErrorResponseBodyProvider.class)
    public static class Bodies implements JsonErrorResponseBodyProvider<Map<String, Object>> {
        @Override
        public Map<String, Object> body(ErrorContext context, HttpResponse<?> response) {
            HttpStatus status = response.getStatus();
            String field = null;
            String detail = status.getReason();
            if (context.hasErrors()) {
                Error error = context.getErrors().get(0);
                Optional<String> path = error.getPath();
                field = path.map(p -> p.replaceFirst("^/", "")).filter(p -> !p.isBlank()).orElse(null);
                detail = error.getMessage();
            }
            if (field == null) {
                field = fieldOf(detail);
            }
            return ApiProblem.body(status, field, Secrets.mask(detail));
        }

        @Override
        public String contentType() {
            return PROBLEM_JSON;
        }

        /** Micronaut names a bad argument in its message: {@code Failed to convert argument [limit] ...}. */
        private static String fieldOf(String message) {
            if (message == null) {
                return null;
            }
            java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("argument \\[([^\\]]+)]").matcher(message);
            return matcher.find() ? matcher.group(1) : null;
        }
    }
}
