package io.leadsync.identity.internal;

/** String similarity measures for comparing field values. */
public final class Similarity {
    private static final org.apache.commons.codec.language.DoubleMetaphone METAPHONE =
            new org.apache.commons.codec.language.DoubleMetaphone();

    private Similarity() {
    }

    /** The primary Double Metaphone code of a word ({@code smith} and {@code smyth} are {@code SM0}), or null. */
    public static String phonetic(String word) {
        if (word == null || word.isEmpty()) {
            return null;
        }
        String code = METAPHONE.doubleMetaphone(word);
        return code == null || code.isEmpty() ? null : code;
    }

    /** Whether two words sound alike: their primary Double Metaphone codes are equal and not empty. */
    public static boolean soundsAlike(String a, String b) {
        String codeA = METAPHONE.doubleMetaphone(a);
        return codeA != null && !codeA.isEmpty() && codeA.equals(METAPHONE.doubleMetaphone(b));
    }

    /** Jaro-Winkler similarity 0..1 (1 = equal), prefix scale 0.1 over at most 4 characters. */
    public static double jaroWinkler(String a, String b) {
        if (a.equals(b)) {
            return 1;
        }
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        return a.length() <= 64 && b.length() <= 64 ? shortJaroWinkler(a, b) : arrayJaroWinkler(a, b);
    }

    /** Jaro's match window: characters this far apart or nearer may match. */
    private static int window(String a, String b) {
        return Math.max(0, Math.max(a.length(), b.length()) / 2 - 1);
    }

    /** Jaro-Winkler of two non-empty strings as it is usually written, with arrays of matched flags. */
    static double arrayJaroWinkler(String a, String b) {
        int la = a.length();
        int lb = b.length();
        int window = window(a, b);
        boolean[] matchedA = new boolean[la];
        boolean[] matchedB = new boolean[lb];
        int matches = 0;
        for (int i = 0; i < la; i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(lb - 1, i + window);
            for (int j = from; j <= to; j++) {
                if (!matchedB[j] && a.charAt(i) == b.charAt(j)) {
                    matchedA[i] = true;
                    matchedB[j] = true;
                    matches++;
                    break;
                }
            }
        }
        int transpositions = 0;
        int k = 0;
        for (int i = 0; i < la; i++) {
            if (matchedA[i]) {
                while (!matchedB[k]) {
                    k++;
                }
                if (a.charAt(i) != b.charAt(k)) {
                    transpositions++;
                }
                k++;
            }
        }
        return winkler(a, b, matches, transpositions);
    }

    /**
     * {@link #arrayJaroWinkler} of non-empty strings of at most 64 characters, with the matched characters kept as
     * bits of two {@code long}s: the same result, nothing allocated (weight estimates compare tens of thousands of
     * random pairs, and the sync every candidate).
     */
    static double shortJaroWinkler(String a, String b) {
        int la = a.length();
        int lb = b.length();
        int window = window(a, b);
        long matchedA = 0;
        long matchedB = 0;
        int matches = 0;
        for (int i = 0; i < la; i++) {
            char c = a.charAt(i);
            int to = Math.min(lb - 1, i + window);
            for (int j = Math.max(0, i - window); j <= to; j++) {
                if ((matchedB & (1L << j)) == 0 && c == b.charAt(j)) {
                    matchedA |= 1L << i;
                    matchedB |= 1L << j;
                    matches++;
                    break;
                }
            }
        }
        int transpositions = 0;
        long restA = matchedA;
        long restB = matchedB;
        while (restA != 0) {
            if (a.charAt(Long.numberOfTrailingZeros(restA)) != b.charAt(Long.numberOfTrailingZeros(restB))) {
                transpositions++;
            }
            restA &= restA - 1;
            restB &= restB - 1;
        }
        return winkler(a, b, matches, transpositions);
    }

    /** Jaro from the matches and half-transpositions, raised by Winkler's common prefix of up to 4 characters. */
    private static double winkler(String a, String b, int matches, int transpositions) {
        if (matches == 0) {
            return 0;
        }
        double m = matches;
        double jaro = (m / a.length() + m / b.length() + (m - transpositions / 2.0) / m) / 3;
        int prefix = 0;
        for (int i = 0; i < Math.min(4, Math.min(a.length(), b.length())) && a.charAt(i) == b.charAt(i); i++) {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    /**
     * Levenshtein edit distance, stopping early once it exceeds {@code limit} (then returns limit + 1). Only the cells
     * within {@code limit} of the diagonal are computed (a path leaving that band costs more than the limit), so a
     * comparison costs about {@code (2 limit + 1) n} steps, not {@code n m}.
     */
    public static int editDistance(String a, String b, int limit) {
        int la = a.length();
        int lb = b.length();
        if (Math.abs(la - lb) > limit) {
            return limit + 1;
        }
        int beyond = limit + 1;
        int[] previous = new int[lb + 1];
        int[] current = new int[lb + 1];
        for (int j = 0; j <= lb; j++) {
            previous[j] = Math.min(j, beyond);
        }
        for (int i = 1; i <= la; i++) {
            int from = Math.max(1, i - limit);
            int to = Math.min(lb, i + limit);
            current[0] = Math.min(i, beyond);
            if (from > 1) {
                current[from - 1] = beyond;
            }
            int rowMin = from == 1 ? current[0] : beyond;
            char c = a.charAt(i - 1);
            for (int j = from; j <= to; j++) {
                int cost = c == b.charAt(j - 1) ? 0 : 1;
                int cell = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                current[j] = Math.min(cell, beyond);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (to < lb) {
                current[to + 1] = beyond;
            }
            if (rowMin > limit) {
                return beyond;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[lb], beyond);
    }

    /** Share of the shorter text's words found in the other: 1 when one's words all appear in the other. */
    public static double tokenOverlap(String a, String b) {
        int wordsA = words(a);
        int wordsB = words(b);
        String shorter = wordsA <= wordsB ? a : b;
        String longer = shorter == a ? b : a;
        int count = Math.min(wordsA, wordsB);
        if (count == 0) {
            return 0;
        }
        int found = 0;
        int start = 0;
        while (start < shorter.length()) {
            int end = shorter.indexOf(' ', start);
            if (end < 0) {
                end = shorter.length();
            }
            if (end > start && containsWord(longer, shorter, start, end - start)) {
                found++;
            }
            start = end + 1;
        }
        return (double) found / count;
    }

    private static int words(String text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean letter = text.charAt(i) != ' ';
            if (letter && !inWord) {
                words++;
            }
            inWord = letter;
        }
        return words;
    }

    /** Whether {@code text} has the word {@code word[from, from + length)} as one of its space-separated words. */
    private static boolean containsWord(String text, String word, int from, int length) {
        int at = 0;
        while (at <= text.length() - length) {
            int found = text.indexOf(word.substring(from, from + length), at);
            if (found < 0) {
                return false;
            }
            boolean startsWord = found == 0 || text.charAt(found - 1) == ' ';
            boolean endsWord = found + length == text.length() || text.charAt(found + length) == ' ';
            if (startsWord && endsWord) {
                return true;
            }
            at = found + 1;
        }
        return false;
    }
}
