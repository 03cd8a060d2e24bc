package io.leadsync.identity.internal;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SimilarityTest {

    @Test
    void jaroWinklerGivesTheTextbookValues() {
        assertThat(Similarity.jaroWinkler("martha", "marhta")).isCloseTo(0.9611, within(1e-4));
        assertThat(Similarity.jaroWinkler("dwayne", "duane")).isCloseTo(0.84, within(1e-4));
        assertThat(Similarity.jaroWinkler("dixon", "dicksonx")).isCloseTo(0.8133, within(1e-4));
        assertThat(Similarity.jaroWinkler("abc", "xyz")).isZero();
        assertThat(Similarity.jaroWinkler("", "abc")).isZero();
        assertThat(Similarity.jaroWinkler("same", "same")).isEqualTo(1.0);
    }

    @Test
    void jaroWinklerWithoutArraysEqualsTheArrayAlgorithmForShortAndLongStrings() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            // few letters, so that matches and transpositions are common; lengths around the 64 of the bit sets
            String a = word(random, random.nextInt(1, i % 10 == 0 ? 90 : 14));
            String b = random.nextInt(4) == 0 ? scramble(a, random) : word(random, random.nextInt(1, 14));
            assertThat(Similarity.jaroWinkler(a, b)).as("%s / %s", a, b).isEqualTo(reference(a, b));
        }
    }

    private static String word(SplittableRandom random, int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + random.nextInt(5)));
        }
        return word.toString();
    }

    private static String scramble(String word, SplittableRandom random) {
        char[] letters = word.toCharArray();
        for (int swaps = random.nextInt(3); swaps >= 0 && letters.length > 1; swaps--) {
            int i = random.nextInt(letters.length - 1);
            char c = letters[i];
            letters[i] = letters[i + 1];
            letters[i + 1] = c;
        }
        return new String(letters);
    }

    /** Jaro-Winkler as it is usually written, with arrays of matched flags. */
    private static double reference(String a, String b) {
        if (a.equals(b)) {
            return 1;
        }
        int la = a.length();
        int lb = b.length();
        if (la == 0 || lb == 0) {
            return 0;
        }
        int window = Math.max(0, Math.max(la, lb) / 2 - 1);
        boolean[] matchedA = new boolean[la];
        boolean[] matchedB = new boolean[lb];
        int matches = 0;
        for (int i = 0; i < la; i++) {
            for (int j = Math.max(0, i - window); j <= Math.min(lb - 1, i + window); j++) {
                if (!matchedB[j] && a.charAt(i) == b.charAt(j)) {
                    matchedA[i] = true;
                    matchedB[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0;
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
        double m = matches;
        double jaro = (m / la + m / lb + (m - transpositions / 2.0) / m) / 3;
        int prefix = 0;
        for (int i = 0; i < Math.min(4, Math.min(la, lb)) && a.charAt(i) == b.charAt(i); i++) {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro);
    }
}
