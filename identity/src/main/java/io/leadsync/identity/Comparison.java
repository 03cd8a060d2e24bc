package io.leadsync.identity;

import java.util.List;

/**
 * What two person records are compared on, each into ordered agreement levels: level 0 is the closest agreement, the
 * last level is "different"; a value missing on either side gives no level and no evidence either way. Each level
 * has a weight in {@link MatchWeights}.
 */
public enum Comparison {
    /**
     * Given name: exact; same formal name (nickname) or Jaro-Winkler ≥ 0.92; initial, start, sound (names of five
     * letters or more: {@code Jane} and {@code John} sound alike but are two names) or JW ≥ 0.85.
     */
    FIRST_NAME("first name", "exact", "nickname or close", "initial, start or sound", "different"),
    /** Family name: exact; one edit or Jaro-Winkler ≥ 0.92; sound (Double Metaphone), one in the other, JW ≥ 0.85. */
    LAST_NAME("last name", "exact", "one edit or close", "sound or part", "different"),
    /** Date of birth: exact; one digit or day and month swapped; two digits. */
    DATE_OF_BIRTH("date of birth", "exact", "one digit or swapped", "two digits", "different"),
    /**
     * Mailbox: exact; the same local part at another domain; one letter apart (a typo; {@code ann2@} is another
     * mailbox than {@code ann@}, not a typo).
     */
    EMAIL("email", "exact", "same local part", "one edit", "different"),
    /** Phone (E.164): exact; one digit apart. */
    PHONE("phone", "exact", "one digit", "different"),
    /**
     * Company web domain or name: the same; similar names (all words of one in the other, or JW ≥ 0.92). A domain read
     * from an email address counts here only when the two emails differ: otherwise {@link #EMAIL} has said it.
     */
    ORGANISATION("company", "same", "similar", "different"),
    /** Street address: exact; similar (JW ≥ 0.9 or same number and street). */
    ADDRESS("address", "exact", "similar", "different"),
    /** City: exact; JW ≥ 0.9. */
    CITY("city", "exact", "similar", "different"),
    /** Postal code: exact; one character apart. */
    POSTAL_CODE("postal code", "exact", "one character", "different"),
    COUNTRY("country", "same", "different");

    private final String label;
    private final List<String> levels;

    Comparison(String label, String... levels) {
        this.label = label;
        this.levels = List.of(levels);
    }

    /** The name reasons show ({@code first name}). */
    public String label() {
        return label;
    }

    /** The levels' names, closest first; the last is "different". */
    public List<String> levels() {
        return levels;
    }

    public int levelCount() {
        return levels.size();
    }

    /** The configuration and API name ({@code first-name}). */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
