package io.leadsync.scoring.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Rounding and number formatting for scores. Doubles are rounded through their shortest decimal form
 * ({@link BigDecimal#valueOf(double)}), so 74.5 rounds to 75 and 0.25 to 0.3, the same on every run.
 *
 * <p>The scorer's hot path calls {@link #roundToScore}, {@link #tenths} and {@link #format} for every score; they
 * give exactly what the {@code BigDecimal} definitions give but without allocating in the common cases: a decimal
 * boundary such as 23.65 compares with a double as its correctly rounded quotient {@code 473 / 20.0} does, so a
 * comparison with that quotient decides the rounding.
 */
public final class Decimals {
    /** Above this magnitude the fast paths step aside (doubles there are whole numbers anyway). */
    private static final double FAST_LIMIT = 1e13;

    private Decimals() {
    }

    /** A value as a number, or empty if it is none ({@code "250"} and {@code "1.5e3"} are, {@code "1,000"} is not). */
    public static Optional<BigDecimal> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(value.strip()));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    /** A total clamped to 0..100 and rounded half up: the score. */
    public static int roundToScore(double total) {
        if (Double.isNaN(total)) {
            throw new IllegalArgumentException("score total is not a number");
        }
        double clamped = Math.max(0, Math.min(100, total));
        // x.5 is a double, so comparing with it is exact: the same as rounding the shortest decimal half up
        double whole = Math.floor(clamped);
        return (int) whole + (clamped - whole >= 0.5 ? 1 : 0);
    }

    /** Points rounded half up (away from zero) to one decimal, as reasons show them. */
    public static double tenths(double points) {
        if (points < 0) {
            double rounded = -tenths(-points);
            return rounded == 0 ? 0.0 : rounded;
        }
        if (!(points < FAST_LIMIT)) {
            return Double.isNaN(points) || Double.isInfinite(points) ? points
                    : BigDecimal.valueOf(points).setScale(1, RoundingMode.HALF_UP).doubleValue();
        }
        if (points == Math.rint(points)) {
            return points + 0.0; // turns -0.0 into 0.0, as BigDecimal does
        }
        // the answer is j/10 where (2j-1)/20 <= points < (2j+1)/20, boundaries compared as correctly rounded doubles
        long j = (long) Math.floor(points * 10);
        while (j > 0 && points < (2 * j - 1) / 20.0) {
            j--;
        }
        while (points >= (2 * j + 1) / 20.0) {
            j++;
        }
        return j / 10.0;
    }

    /** A number without needless decimals: {@code 30}, {@code 7.5}, {@code -25}. */
    public static String format(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        if (Math.abs(value) < FAST_LIMIT) {
            if (value == Math.rint(value)) {
                return Long.toString((long) value);
            }
            long tenths = Math.round(value * 10);
            if (tenths / 10.0 == value) {
                // a value with one decimal: its shortest decimal form is that decimal
                long whole = Math.abs(tenths) / 10;
                return (tenths < 0 ? "-" : "") + whole + "." + (Math.abs(tenths) % 10);
            }
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Points with their sign, as the reasons text shows them: {@code +30}, {@code -2.5}. */
    public static String signed(double points) {
        return (points > 0 ? "+" : "") + format(points);
    }

    /** The reference definition of {@link #tenths}, for tests. */
    static double tenthsByBigDecimal(double points) {
        return BigDecimal.valueOf(points).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }

    /** The reference definition of {@link #roundToScore}, for tests. */
    static int roundToScoreByBigDecimal(double total) {
        double clamped = Math.max(0, Math.min(100, total));
        return BigDecimal.valueOf(clamped).setScale(0, RoundingMode.HALF_UP).intValueExact();
    }

    /** The reference definition of {@link #format}, for tests. */
    static String formatByBigDecimal(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
