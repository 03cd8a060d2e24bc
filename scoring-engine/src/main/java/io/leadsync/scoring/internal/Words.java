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
}
