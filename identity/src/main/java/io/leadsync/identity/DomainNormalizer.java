package io.leadsync.identity;

import java.net.IDN;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A company's domain from a website ({@code https://www.Acme.com/about} → {@code acme.com}) or a business email
 * ({@code jo@eu.acme.com} → {@code eu.acme.com}). Free-mail addresses name no company: {@code jo@gmail.com} gives
 * no domain (absent, not a problem).
 */
public final class DomainNormalizer {
    private static final Pattern DOMAIN = Pattern.compile(
            "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+");
    /** Providers whose addresses belong to persons, not companies. */
    static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "ymail.com",
            "hotmail.com", "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com",
            "proton.me", "protonmail.com", "gmx.de", "gmx.net", "gmx.com", "web.de", "t-online.de", "mail.com",
            "yandex.ru", "yandex.com", "mail.ru", "qq.com", "163.com", "126.com", "naver.com", "orange.fr", "free.fr",
            "libero.it", "yahoo.co.uk", "hotmail.co.uk", "btinternet.com", "comcast.net", "zoho.com", "fastmail.com");

    /** The domain of a website or URL. */
    public Normalized<String> fromWebsite(String raw) {
        if (raw == null || raw.isBlank()) {
            return Normalized.absent();
        }
        String text = raw.strip().toLowerCase(Locale.ROOT);
        int scheme = text.indexOf("://");
        if (scheme >= 0) {
            text = text.substring(scheme + 3);
        }
        int end = text.length();
        for (char stop : new char[] {'/', '?', '#', ':'}) {
            int at = text.indexOf(stop);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        text = text.substring(0, end);
        int userInfo = text.lastIndexOf('@');
        if (userInfo >= 0) {
            text = text.substring(userInfo + 1);
        }
        if (text.startsWith("www.")) {
            text = text.substring(4);
        }
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        return checked(text, raw);
    }

    /** The company domain of an email address; absent for free-mail providers. */
    public Normalized<String> fromEmail(String raw) {
        if (raw == null || raw.isBlank()) {
            return Normalized.absent();
        }
        String text = raw.strip().toLowerCase(Locale.ROOT);
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            return Normalized.invalid("'" + raw.strip() + "' is not an email address");
        }
        String domain = text.substring(at + 1);
        if (FREE_MAIL.contains(domain)) {
            return Normalized.absent();
        }
        return checked(domain, raw);
    }

    private static Normalized<String> checked(String domain, String raw) {
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Normalized.invalid("'" + raw.strip() + "' holds no valid domain");
        }
        if (!DOMAIN.matcher(ascii).matches()) {
            return Normalized.invalid("'" + raw.strip() + "' holds no valid domain");
        }
        return Normalized.of(ascii);
    }
}
