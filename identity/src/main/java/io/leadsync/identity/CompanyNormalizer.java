package io.leadsync.identity;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Normalizes company names for matching: accents and punctuation removed, lower case, a leading "the" and trailing
 * legal forms dropped ({@code "ACME, Inc."}, {@code "Acme GmbH"} and {@code "The Acme Company Ltd"} all become
 * {@code acme}).
 */
public final class CompanyNormalizer {
    private static final Pattern NOT_WORDS = Pattern.compile("[^\\p{L}\\p{N}]+");
    /** Legal forms and generic words, as words after punctuation is removed ("s.a." is "s a"). */
    private static final Set<String> SUFFIXES = Set.of("inc", "incorporated", "llc", "llp", "lp", "ltd", "limited",
            "corp", "corporation", "co", "company", "plc", "gmbh", "ag", "kg", "ug", "mbh", "sa", "sas", "sarl", "srl",
            "spa", "bv", "nv", "oy", "ab", "as", "aps", "pty", "pte", "kk", "group", "holding", "holdings");
    private static final List<String> TWO_WORD_SUFFIXES = List.of("s a", "s l", "b v", "n v", "s p a", "co kg",
            "pty ltd", "pte ltd", "gmbh co kg");

    public Normalized<String> normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return Normalized.absent();
        }
        String text = Accents.strip(raw);
        text = NOT_WORDS.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
        if (text.startsWith("the ")) {
            text = text.substring(4);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String suffix : TWO_WORD_SUFFIXES) {
                if (text.endsWith(" " + suffix)) {
                    text = text.substring(0, text.length() - suffix.length() - 1).strip();
                    changed = true;
                }
            }
            int lastSpace = text.lastIndexOf(' ');
            if (lastSpace > 0 && SUFFIXES.contains(text.substring(lastSpace + 1))) {
                text = text.substring(0, lastSpace).strip();
                changed = true;
            }
        }
        if (text.isEmpty()) {
            return Normalized.invalid("'" + raw.strip() + "' holds no company name");
        }
        return Normalized.of(text);
    }
}
