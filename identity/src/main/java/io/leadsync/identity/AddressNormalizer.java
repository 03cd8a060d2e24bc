package io.leadsync.identity;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Normalizes street addresses for matching: accents and punctuation removed, lower case, and the usual long and short
 * forms of street types and directions made one ({@code 12 North Main Street, Apt. 4} and {@code 12 n main st apt 4}
 * are the same). Postal codes are upper case without spaces ({@code sw1a 1aa} is {@code SW1A1AA}).
 */
public final class AddressNormalizer {
    private static final Pattern NOT_WORDS = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Map<String, String> SHORT = Map.ofEntries(Map.entry("street", "st"),
            Map.entry("str", "st"), Map.entry("road", "rd"), Map.entry("avenue", "ave"), Map.entry("av", "ave"),
            Map.entry("boulevard", "blvd"), Map.entry("blv", "blvd"), Map.entry("drive", "dr"),
            Map.entry("lane", "ln"), Map.entry("place", "pl"), Map.entry("court", "ct"),
            Map.entry("crescent", "cres"), Map.entry("terrace", "tce"), Map.entry("highway", "hwy"),
            Map.entry("parkway", "pkwy"), Map.entry("square", "sq"), Map.entry("circuit", "cct"),
            Map.entry("close", "cl"), Map.entry("north", "n"), Map.entry("south", "s"), Map.entry("east", "e"),
            Map.entry("west", "w"), Map.entry("apartment", "apt"), Map.entry("suite", "ste"),
            Map.entry("floor", "fl"), Map.entry("building", "bldg"), Map.entry("mount", "mt"),
            Map.entry("saint", "st"), Map.entry("strasse", "str"));
    /** Street types long enough to be recognised at the end of a word they were typed into. */
    private static final java.util.List<String> RUN_TOGETHER = java.util.List.of("street", "strasse", "road",
            "avenue", "boulevard", "drive", "lane", "place", "court", "crescent", "terrace", "highway", "parkway",
            "square", "circuit", "close");

    /** A street address in its matching form, or absent. */
    public Normalized<String> normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return Normalized.absent();
        }
        String text = NOT_WORDS.matcher(Accents.strip(raw).toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
        if (text.isEmpty()) {
            return Normalized.invalid("'" + raw.strip() + "' holds no address");
        }
        StringBuilder address = new StringBuilder(text.length());
        for (String word : text.split(" ")) {
            String shortForm = SHORT.get(word);
            if (shortForm == null) {
                shortForm = splitStreetType(word);
            }
            if (address.length() > 0) {
                address.append(' ');
            }
            address.append(shortForm != null ? shortForm : word);
        }
        return Normalized.of(address.toString());
    }

    /** A street name run together with its type ({@code fawknerstreet}, {@code hauptstrasse}), split and shortened. */
    private static String splitStreetType(String word) {
        for (String type : RUN_TOGETHER) {
            if (word.length() > type.length() + 2 && word.endsWith(type)) {
                return word.substring(0, word.length() - type.length()) + " " + SHORT.get(type);
            }
        }
        return null;
    }

    /** A postal code in its matching form: letters and digits only, upper case. */
    public Normalized<String> postalCode(String raw) {
        if (raw == null || raw.isBlank()) {
            return Normalized.absent();
        }
        String code = NOT_WORDS.matcher(Accents.strip(raw).toUpperCase(Locale.ROOT)).replaceAll("");
        return code.isEmpty() ? Normalized.invalid("'" + raw.strip() + "' holds no postal code") : Normalized.of(code);
    }
}
