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
    void jaroWinklerWithoutArraysEqualsTheArrayAlgorithm() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            // few letters, so that matches and transpositions are common; up to the 64 characters of the bit sets
            String a = word(random, random.nextInt(1, i % 10 == 0 ? 65 : 14));
            String b = random.nextInt(4) == 0 ? scramble(a, random) : word(random, random.nextInt(1, 14));
            assertThat(Similarity.shortJaroWinkler(a, b)).as("%s / %s", a, b)
                    .isEqualTo(Similarity.arrayJaroWinkler(a, b));
        }
        // past 64 characters, the arrays: 69 of 70 match, no transposition, a prefix of 4
        assertThat(Similarity.jaroWinkler("a".repeat(70), "a".repeat(69) + "c"))
                .isCloseTo((69 / 70.0 * 2 + 1) / 3 + 0.4 * (1 - (69 / 70.0 * 2 + 1) / 3), within(1e-12));
    }

    @Test
    void boundedEditDistanceEqualsTheFullTableUpToItsLimit() {
        assertThat(Similarity.editDistance("kitten", "sitting", 3)).isEqualTo(3);
        assertThat(Similarity.editDistance("kitten", "sitting", 2)).as("beyond the limit: limit + 1").isEqualTo(3);
        assertThat(Similarity.editDistance("", "ab", 2)).isEqualTo(2);
        assertThat(Similarity.editDistance("491701234567", "491701234576", 1)).isEqualTo(2);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 50_000; i++) {
            String a = word(random, random.nextInt(0, 14));
            String b = random.nextInt(3) == 0 ? edit(a, random) : word(random, random.nextInt(0, 14));
            int limit = random.nextInt(0, 4);
            assertThat(Similarity.editDistance(a, b, limit)).as("%s / %s within %d", a, b, limit)
                    .isEqualTo(Math.min(levenshtein(a, b), limit + 1));
        }
    }

    /** The textbook table, every cell. */
    private static int levenshtein(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                d[i][j] = i == 0 ? j : j == 0 ? i : Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                        d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
        }
        return d[a.length()][b.length()];
    }

    /** One to three random insertions, deletions or replacements. */
    private static String edit(String word, SplittableRandom random) {
        StringBuilder edited = new StringBuilder(word);
        for (int edits = random.nextInt(1, 4); edits > 0; edits--) {
            int at = random.nextInt(edited.length() + 1);
            switch (random.nextInt(3)) {
                case 0 -> edited.insert(at, (char) ('a' + random.nextInt(5)));
                case 1 -> {
                    if (at < edited.length()) {
                        edited.deleteCharAt(at);
                    }
                }
                default -> {
                    if (at < edited.length()) {
                        edited.setCharAt(at, (char) ('a' + random.nextInt(5)));
                    }
                }
            }
        }
        return edited.toString();
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
}
