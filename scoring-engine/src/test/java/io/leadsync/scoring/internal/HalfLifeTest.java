package io.leadsync.scoring.internal;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class HalfLifeTest {

    @Test
    void agreesWithStrictMathToTheLastBitsOverTheAgesScoresUse() {
        SplittableRandom random = new SplittableRandom(7);
        double worst = 0;
        for (int i = 0; i < 1_000_000; i++) {
            // ages up to 5 years over half-lives from a day: up to ~1,800 halvings, mostly a few
            double halvings = i % 2 == 0 ? random.nextDouble() * 12 : random.nextDouble() * 1_000;
            double expected = StrictMath.pow(0.5, halvings);
            double actual = HalfLife.power(halvings);
            if (expected > Double.MIN_NORMAL) {
                worst = Math.max(worst, Math.abs(actual - expected) / expected);
            }
        }
        assertThat(worst).isLessThan(1e-15);
    }

    @Test
    void exactAtWholeHalvingsAndAtTheEnds() {
        assertThat(HalfLife.power(0)).isEqualTo(1.0);
        assertThat(HalfLife.power(-3)).as("a future activity does not grow").isEqualTo(1.0);
        assertThat(HalfLife.power(1)).isEqualTo(0.5);
        assertThat(HalfLife.power(10)).isEqualTo(1.0 / 1024);
        assertThat(HalfLife.power(0.5)).isCloseTo(StrictMath.sqrt(0.5), org.assertj.core.data.Offset.offset(2e-16));
        assertThat(HalfLife.power(5_000)).isZero();
        assertThat(HalfLife.power(Double.NaN)).isEqualTo(1.0);
    }
}
