package io.leadsync.app.internal;

import io.leadsync.app.ApiAccess;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's sign-ins: a caller who signs in with an API token gets a session, a random id sent back as an
 * {@code HttpOnly; SameSite=Strict} cookie (never the token), with the token's roles, for {@link #TTL} after its last
 * use. Each session has a CSRF value the page sends in {@code X-CSRF-Token} with every call that changes something.
 * Sessions live in this process only: a restart signs everyone out.
 */
@Singleton
public class DashboardSessions {
    public static final String COOKIE = "leadsync_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final Duration TTL = Duration.ofHours(8);

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    public DashboardSessions(Clock clock) {
        this.clock = clock;
    }

    /** A signed-in caller. */
    public record Session(String id, ApiAccess.Caller caller, String csrf, Instant expiresAt) {
    }

    public Session open(ApiAccess.Caller caller) {
        purge();
        Session session = new Session(randomHex(), caller, randomHex(), clock.instant().plus(TTL));
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session of an id; its expiry moves on. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (session.expiresAt().isBefore(clock.instant())) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session renewed = new Session(session.id(), session.caller(), session.csrf(), clock.instant().plus(TTL));
        sessions.put(id, renewed);
        return Optional.of(renewed);
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private void purge() {
        Instant now = clock.instant();
        sessions.values().removeIf(session -> session.expiresAt().isBefore(now));
    }

    private String randomHex() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
