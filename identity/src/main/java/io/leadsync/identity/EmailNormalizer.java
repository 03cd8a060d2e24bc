package io.leadsync.identity;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalizes email addresses for matching: trims, drops a {@code mailto:} prefix and angle brackets
 * ({@code "Zoë <zoe@acme.de>"}), lower-cases, and checks the shape (one {@code @}, a dotted domain, no spaces).
 *
 * <p>Provider rules (Gmail dots, {@code +tags}) change which mailbox an address names and come with the identity
 * resolution issue, as configurable rules.
 */
public final class EmailNormalizer {
    private static final Pattern SHAPE = Pattern.compile(
            "[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+");
    private static final Pattern DISPLAY_NAME = Pattern.compile(".*<([^>]*)>\\s*");

    public Normalized<String> normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return Normalized.absent();
        }
        String email = Normalizer.normalize(raw.strip(), Normalizer.Form.NFKC);
        var display = DISPLAY_NAME.matcher(email);
        if (display.matches()) {
            email = display.group(1).strip();
        }
        if (email.regionMatches(true, 0, "mailto:", 0, 7)) {
            email = email.substring(7);
        }
        email = email.toLowerCase(Locale.ROOT);
        if (email.endsWith(".")) {
            email = email.substring(0, email.length() - 1);
        }
        if (email.length() > 254) {
            return Normalized.invalid("email is longer than 254 characters");
        }
        if (!SHAPE.matcher(email).matches() || email.contains("..")) {
            return Normalized.invalid("'" + abbreviate(raw) + "' is not an email address");
        }
        return Normalized.of(email);
    }

    /** The domain of a normalized email ({@code acme.de}), or null. */
    public static String domainOf(String normalizedEmail) {
        if (normalizedEmail == null) {
            return null;
        }
        int at = normalizedEmail.lastIndexOf('@');
        return at < 0 ? null : normalizedEmail.substring(at + 1);
    }

    private static String abbreviate(String raw) {
        String text = raw.strip();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
