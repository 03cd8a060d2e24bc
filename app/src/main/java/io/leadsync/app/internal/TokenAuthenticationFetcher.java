package io.leadsync.app.internal;

import io.leadsync.app.ApiAccess;
import io.leadsync.app.LeadsyncConfig;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code Authorization: Bearer <token>} and, for a configured token, authenticates the caller with its roles;
 * else a dashboard session cookie ({@link DashboardSessions}), for a call that changes something only with the
 * session's {@code X-CSRF-Token}. Micronaut Security then answers 401 to a call without either and 403 to a role the
 * caller lacks.
 */
@Singleton
public class TokenAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {
    private static final String PREFIX = "Bearer ";
    private final ApiAccess access;
    private final DashboardSessions sessions;

    public TokenAuthenticationFetcher(LeadsyncConfig config, DashboardSessions sessions) {
        this.access = config.api();
        this.sessions = sessions;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return access.caller(header.substring(PREFIX.length())).map(TokenAuthenticationFetcher::authenticated)
                    .orElseGet(Publishers::empty);
        }
        Optional<DashboardSessions.Session> session = request.getCookies().findCookie(DashboardSessions.COOKIE)
                .map(Cookie::getValue).flatMap(sessions::find);
        if (session.isEmpty()) {
            return Publishers.empty();
        }
        boolean safe = request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD
                || request.getMethod() == HttpMethod.OPTIONS;
        if (!safe && !sameSecret(request.getHeaders().get(DashboardSessions.CSRF_HEADER), session.get().csrf())) {
            return Publishers.empty();
        }
        return authenticated(session.get().caller());
    }

    private static Publisher<Authentication> authenticated(ApiAccess.Caller caller) {
        return Publishers.just(Authentication.build(caller.name(), caller.roles(), Map.of("client", caller.name())));
    }

    private static boolean sameSecret(String presented, String expected) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}
