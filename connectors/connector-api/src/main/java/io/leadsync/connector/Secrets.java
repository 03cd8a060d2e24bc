package io.leadsync.connector;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in text that may reach a log, an error, an API response or the dashboard: a URL's user info
 * ({@code postgresql://user:pw@host}), credential parameters in every separator form ({@code ?password=pw&},
 * {@code ;password=pw}, {@code password: pw}, JSON {@code "client_secret":"pw"}), and HTTP authorization values
 * ({@code Bearer ...}, {@code Basic ...}). What is not a credential is kept, so the message still says where.
 */
public final class Secrets {
    public static final String MASK = "******";

    private static final String NAMES = "password|passwd|pwd|pass|secret|client[_-]?secret|token|access[_-]?token"
            + "|refresh[_-]?token|id[_-]?token|api[_-]?key|apikey|api[_-]?token|private[_-]?key|key|sig|signature"
            + "|credentials?|auth";

    /** {@code scheme://user:secret@host}: the part between the colon and the at sign. */
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@'\"]*:)([^@/\\s'\"]+)(@)");
    /** {@code "password": "secret"} in JSON. */
    private static final Pattern JSON_FIELD = Pattern.compile("(?i)(\"(?:[a-z0-9_-]*[_-])?(?:" + NAMES
            + ")\"\\s*:\\s*\")([^\"]*)(\")");
    /** {@code password=secret} after {@code ? & ; , space} or at the start, up to the next separator. */
    private static final Pattern PARAMETER = Pattern.compile("(?i)((?:^|[?&;,\\s({\\[])(?:[a-z0-9_.-]*[_.-])?(?:"
            + NAMES + ")\\s*[=:]\\s*)(?!\\*{6}|\\$\\{)([^&;,#\\s)}\\]'\"]+)");
    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)\\b(Bearer|Basic)\\s+([A-Za-z0-9._~+/=-]{6,})");

    private Secrets() {
    }

    /** The text with every credential it recognises replaced by {@value #MASK}; null stays null. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = replace(USER_INFO, text);
        masked = replace(JSON_FIELD, masked);
        masked = replace(PARAMETER, masked);
        return replace(AUTHORIZATION, masked);
    }

    private static String replace(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            String tail = matcher.groupCount() >= 3 ? matcher.group(3) : "";
            String prefix = matcher.group(1);
            String replacement = pattern == AUTHORIZATION ? prefix + " " + MASK : prefix + MASK + tail;
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        } while (matcher.find());
        matcher.appendTail(out);
        return out.toString();
    }
}
