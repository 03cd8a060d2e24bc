package io.leadsync.identity;

import java.text.Normalizer;
import java.util.regex.Pattern;

/** Removes accents and other combining marks before names, companies and countries are compared. */
final class Accents {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private Accents() {
    }

    /** The text without combining marks ({@code Zoë Müller} is {@code Zoe Muller}); ASCII text as it is. */
    static String strip(String text) {
        return isPlainAscii(text) ? text
                : MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("");
    }

    /** ASCII text has no accents to remove, so the (costly) Unicode decomposition can be skipped. */
    private static boolean isPlainAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }
}
