package io.leadsync.app.internal;

import io.leadsync.app.ApiAccess;
import io.leadsync.app.LeadsyncConfig;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.Map;

/**
 * Reads {@code Authorization: Bearer <token>} and, for a configured token, authenticates the caller with its roles;
 * Micronaut Security then answers 401 to a call without a known token and 403 to a role the token lacks.
 */
@Singleton
public class TokenAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {
    private static final String PREFIX = "Bearer ";
    private final ApiAccess access;

    public TokenAuthenticationFetcher(LeadsyncConfig config) {
        this.access = config.api();
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Publishers.empty();
        }
        return access.caller(header.substring(PREFIX.length()))
                .map(caller -> Publishers.just(Authentication.build(caller.name(), caller.roles(),
                        Map.of("client", caller.name()))))
                .orElseGet(Publishers::empty);
    }
}
