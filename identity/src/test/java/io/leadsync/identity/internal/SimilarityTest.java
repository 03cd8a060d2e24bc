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
