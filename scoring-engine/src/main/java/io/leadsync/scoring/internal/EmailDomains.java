package io.leadsync.scoring.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Tells company email domains from personal ones for {@code business-email}. Personal are the big free-mail
 * providers and academic domains ({@code *.edu}, {@code *.ac.uk}, {@code *.edu.au}...), whose addresses are
 * students' and researchers' rather than buyers'.
 */
public final class EmailDomains {

    /** Free-mail providers, by the domains their users' addresses have. */
    static final Set<String> FREE_MAIL = Set.of(
            // global
            "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "rocketmail.com", "hotmail.com", "outlook.com",
            "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com",
            "pm.me", "tutanota.com", "tuta.io", "zoho.com", "mail.com", "gmx.com", "gmx.net", "fastmail.com",
            "hey.com", "yandex.com",
            // country variants of the global providers
            "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.es", "yahoo.it", "yahoo.co.jp", "yahoo.com.br",
            "yahoo.co.in", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.es", "hotmail.it", "outlook.de",
            "outlook.fr", "live.co.uk", "live.de", "live.fr",
            // national providers
            "gmx.de", "gmx.at", "gmx.ch", "web.de", "t-online.de", "freenet.de", "posteo.de", "mailbox.org",
            "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "libero.it", "virgilio.it", "seznam.cz",
            "wp.pl", "o2.pl", "interia.pl", "mail.ru", "inbox.ru", "list.ru", "bk.ru", "yandex.ru", "ukr.net",
            "qq.com", "163.com", "126.com", "sina.com", "naver.com", "daum.net", "rediffmail.com", "uol.com.br",
            "bol.com.br", "btinternet.com", "comcast.net", "verizon.net", "att.net", "sbcglobal.net");

    private EmailDomains() {
    }

    /**
     * The domain of an email address in lower case, or empty if the value is no address
     * ({@code "Jane.Doe@Acme.COM"} gives {@code acme.com}; {@code "jane"} and {@code "jane@localhost"} give none).
     */
    public static Optional<String> domainOf(String email) {
        String domain = domainOrNull(email);
        return domain == null ? Optional.empty() : Optional.of(domain);
    }

    /** {@link #domainOf}, or null: for the scorer's hot path. */
    public static String domainOrNull(String email) {
        if (email == null) {
            return null;
        }
        String address = email.strip();
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return null;
        }
        int end = address.endsWith(".") ? address.length() - 1 : address.length();
        String domain = address.substring(at + 1, end).toLowerCase(Locale.ROOT);
        int dot = domain.indexOf('.');
        if (dot <= 0 || dot == domain.length() - 1 || domain.contains("..")) {
            return null;
        }
        for (int i = 0; i < domain.length(); i++) {
            char character = domain.charAt(i);
            if (Character.isWhitespace(character) || character == '@') {
                return null;
            }
        }
        return domain;
    }

    /** Whether a (lower-case) domain is a company's: neither a free-mail provider nor academic. */
    public static boolean isBusiness(String domain) {
        return !FREE_MAIL.contains(domain) && !isAcademic(domain);
    }

    private static boolean isAcademic(String domain) {
        int lastDot = domain.lastIndexOf('.');
        if (domain.startsWith("edu", lastDot + 1) && domain.length() == lastDot + 4) {
            return true;
        }
        int secondDot = domain.lastIndexOf('.', lastDot - 1);
        if (secondDot < 0) {
            return false; // two labels only: "ac.uk" itself is no academic address
        }
        int length = lastDot - secondDot - 1;
        return length == 3 && domain.startsWith("edu", secondDot + 1)
                || length == 2 && domain.startsWith("ac", secondDot + 1);
    }
}
