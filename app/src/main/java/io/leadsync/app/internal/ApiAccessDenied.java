package io.leadsync.app.internal;

import io.leadsync.app.ApiAccess;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * What a caller without the right token reads: 401 with the header to send when no known token came, 403 naming the
 * role needed when the token's role is not enough. Says nothing of which tokens exist.
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class ApiAccessDenied implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {
    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        if (exception.isForbidden()) {
            return HttpResponse.status(HttpStatus.FORBIDDEN).body(Map.of("message", "this call needs a token with the"
                    + " " + ApiAccess.ADMIN + " role; the token sent may only read"));
        }
        return HttpResponse.status(HttpStatus.UNAUTHORIZED).header("WWW-Authenticate", "Bearer realm=\"leadsync\"")
                .body(Map.of("message", "a token is required: send 'Authorization: Bearer <token>' with a token from"
                        + " leadsync.api.tokens"));
    }
}
