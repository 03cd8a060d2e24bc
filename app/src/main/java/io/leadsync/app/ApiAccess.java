package io.leadsync.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may call the HTTP API ({@code leadsync.api.tokens}): bearer tokens, each with a name (shown in the log, never the
 * token) and a role. {@code read} may read everything ({@code GET}); {@code admin} may also run jobs, reload and
 * preview models. {@code /health} answers anyone. Only a digest of each token is kept, and a presented token is
 * compared in constant time.
 */
public final class ApiAccess {
    /** The roles, as {@code @Secured} names them. */
    public static final String READ = "read";
    public static final String ADMIN = "admin";
    /** The shortest token accepted: a token must not be guessable. */
    public static final int MIN_TOKEN_LENGTH = 16;

    /** A caller: its name and the roles its token grants. */
    public record Caller(String name, List<String> roles) {
    }

    private record Entry(String name, String role, byte[] digest) {
    }

    private final List<Entry> entries;

    private ApiAccess(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** A token as configured. */
    public record Token(String name, String role, String token) {
        public Token {
            Objects.requireNonNull(name, "name");
            role = role.toLowerCase(Locale.ROOT);
            if (!role.equals(READ) && !role.equals(ADMIN)) {
                throw new IllegalArgumentException("role must be read or admin but is '" + role + "'");
            }
            if (token == null || token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("token must be at least " + MIN_TOKEN_LENGTH + " characters");
            }
        }

        @Override
        public String toString() {
            return "Token[" + name + ", " + role + "]";
        }
    }

    public static ApiAccess of(List<Token> tokens) {
        return new ApiAccess(tokens.stream().map(t -> new Entry(t.name(), t.role(), digest(t.token()))).toList());
    }

    public static ApiAccess none() {
        return new ApiAccess(List.of());
    }

    /** Whether any token is configured; the API is not served without one. */
    public boolean configured() {
        return !entries.isEmpty();
    }

    /** The caller a presented token belongs to, if any. */
    public Optional<Caller> caller(String presented) {
        if (presented == null || presented.isBlank()) {
            return Optional.empty();
        }
        byte[] digest = digest(presented.strip());
        Entry match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                match = entry;
            }
        }
        if (match == null) {
            return Optional.empty();
        }
        return Optional.of(new Caller(match.name(), match.role().equals(ADMIN) ? List.of(READ, ADMIN) : List.of(READ)));
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ApiAccess" + entries.stream().map(e -> e.name() + ":" + e.role()).toList();
    }
}
