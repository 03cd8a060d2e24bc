package io.leadsync.scoring.internal;

/**
 * Word-wise text matching for {@code contains-any}: case and punctuation are ignored and terms match whole words,
 * so "cto" is found in "CTO & Co-Founder" but not in "Director".
 */
public final class Words {
    private Words() {
    }

    /**
     * The text's words in lower case, each followed by one space and the first preceded by one:
     * {@code "Vice-President, Sales"} becomes {@code " vice president sales "}. A term is in a text when its
     * normal form is a substring of the text's.
     */
    public static String normalize(String text) {
        StringBuilder words = new StringBuilder(text.length() + 2).append(' ');
        boolean afterSpace = true;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isLetterOrDigit(codePoint)) {
                words.appendCodePoint(Character.toLowerCase(codePoint));
                afterSpace = false;
            } else if (!afterSpace) {
                words.append(' ');
                afterSpace = true;
            }
        }
        if (!afterSpace) {
            words.append(' ');
        }
        return words.toString();
    }

    /** Whether the text has a letter or digit: a term without one would match every text. */
    public static boolean hasWords(String text) {
        return text.codePoints().anyMatch(Character::isLetterOrDigit);
    }

    /**
     * Whether the term's words appear in the text as consecutive whole words, ignoring case and punctuation: the
     * same as {@code normalize(text).contains(normalize(term))}, without building either string.
     */
    public static boolean containsTerm(String text, String term) {
        int termStart = nextWord(term, 0);
        if (termStart < 0) {
            return true; // an empty normal form " " is in every normal form
        }
        for (int start = nextWord(text, 0); start >= 0; start = nextWord(text, wordEnd(text, start))) {
            if (wordsMatchFrom(text, start, term, termStart)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the term's words, from {@code termAt}, equal the text's words from {@code textAt}. */
    private static boolean wordsMatchFrom(String text, int textAt, String term, int termAt) {
        int t = textAt;
        int w = termAt;
        while (w >= 0) {
            if (t < 0) {
                return false;
            }
            int textEnd = wordEnd(text, t);
            int termEnd = wordEnd(term, w);
            if (!sameWord(text, t, textEnd, term, w, termEnd)) {
                return false;
            }
            w = nextWord(term, termEnd);
            t = nextWord(text, textEnd);
        }
        return true;
    }

    private static boolean sameWord(String a, int aFrom, int aTo, String b, int bFrom, int bTo) {
        int i = aFrom;
        int j = bFrom;
        while (i < aTo && j < bTo) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y && Character.toLowerCase(x) != Character.toLowerCase(y)) {
                return false;
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return i == aTo && j == bTo;
    }

    /** The index of the first letter or digit at or after {@code from}, or -1. */
    private static int nextWord(String text, int from) {
        for (int i = from; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (Character.isLetterOrDigit(codePoint)) {
                return i;
            }
            i += Character.charCount(codePoint);
        }
        return -1;
    }

    /** The index just after the word starting at {@code start}. */
    private static int wordEnd(String text, int start) {
        int i = start;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            if (!Character.isLetterOrDigit(codePoint)) {
                return i;
            }
            i += Character.charCount(codePoint);
        }
        return i;
    }
}
