package io.leadsync.identity;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalizes email addresses for matching: trims, drops a {@code mailto:} prefix and angle brackets
 * ({@code "Zoë <zoe@acme.de>"}), lower-cases, and checks the shape (one {@code @}, a dotted domain, no spaces).
 *
 * <p>{@link #mailbox} applies provider rules on top, for matching: the address a mailbox receives under
 * ({@code Jo.Doe+crm@googlemail.com} is {@code jodoe@gmail.com}'s mailbox). Which rules apply is configurable.
 */
public final class EmailNormalizer {
    /**
     * Provider rules for {@link #mailbox}.
     *
     * @param gmail    at Gmail, dots in the local part and a {@code +tag} suffix are ignored and googlemail.com is
     *                 gmail.com, as Gmail delivers them to one mailbox (on by default)
     * @param plusTags a {@code +tag} suffix of the local part is ignored at every provider (Outlook, Fastmail and most
     *                 company mail servers deliver it to the same mailbox; off by default, as some do not)
     */
    public record Rules(boolean gmail, boolean plusTags) {
        /** The Gmail rules only: what every Gmail address is known to obey. */
        public static Rules defaults() {
            return new Rules(true, false);
        }

        public static Rules none() {
            return new Rules(false, false);
        }

        public static Rules all() {
            return new Rules(true, true);
        }
    }

    private final Rules rules;

    /** Normalizes addresses with the default rules ({@link Rules#defaults()}: Gmail's). */
    public EmailNormalizer() {
        this(Rules.defaults());
    }

    public EmailNormalizer(Rules rules) {
        this.rules = java.util.Objects.requireNonNull(rules, "rules");
    }

    /** The mailbox of a raw address: normalized, then the provider rules applied. */
    public Normalized<String> mailbox(String raw) {
        return normalize(raw).map(this::applyRules);
    }

    private String applyRules(String email) {
        int at = email.lastIndexOf('@');
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        boolean gmail = rules.gmail() && (domain.equals("gmail.com") || domain.equals("googlemail.com"));
        if (rules.plusTags() || gmail) {
            int plus = local.indexOf('+');
            if (plus > 0) {
                local = local.substring(0, plus);
            }
        }
        if (gmail) {
            local = local.replace(".", "");
            domain = "gmail.com";
        }
        return local + "@" + domain;
    }

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
