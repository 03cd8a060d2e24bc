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
        if (email == null) {
            return Optional.empty();
        }
        String address = email.strip();
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return Optional.empty();
        }
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        int dot = domain.indexOf('.');
        if (dot <= 0 || dot == domain.length() - 1 || domain.contains("..") || domain.chars().anyMatch(
                character -> Character.isWhitespace(character) || character == '@')) {
            return Optional.empty();
        }
        return Optional.of(domain);
    }

    /** Whether a (lower-case) domain is a company's: neither a free-mail provider nor academic. */
    public static boolean isBusiness(String domain) {
        return !FREE_MAIL.contains(domain) && !isAcademic(domain);
    }

    private static boolean isAcademic(String domain) {
        String[] labels = domain.split("\\.");
        String last = labels[labels.length - 1];
        if (last.equals("edu")) {
            return true;
        }
        if (labels.length < 3) {
            return false;
        }
        String secondLevel = labels[labels.length - 2];
        return secondLevel.equals("edu") || secondLevel.equals("ac");
    }
}
