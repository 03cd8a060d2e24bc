package io.leadsync.scoring.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Rounding and number formatting for scores. Doubles are rounded through their shortest decimal form
 * ({@link BigDecimal#valueOf(double)}), so 74.5 rounds to 75 and 0.25 to 0.3, the same on every run.
 */
public final class Decimals {
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
        return BigDecimal.valueOf(clamped).setScale(0, RoundingMode.HALF_UP).intValueExact();
    }

    /** Points rounded half up (away from zero) to one decimal, as reasons show them. */
    public static double tenths(double points) {
        return BigDecimal.valueOf(points).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }

    /** A number without needless decimals: {@code 30}, {@code 7.5}, {@code -25}. */
    public static String format(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Points with their sign, as the reasons text shows them: {@code +30}, {@code -2.5}. */
    public static String signed(double points) {
        return (points > 0 ? "+" : "") + format(points);
    }
}
