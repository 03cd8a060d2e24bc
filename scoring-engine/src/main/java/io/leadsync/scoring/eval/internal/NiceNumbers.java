package io.leadsync.scoring.eval.internal;

import java.math.BigDecimal;
import java.math.MathContext;

/** Cut points a person reads at a glance: 800 rather than 763.5, 0.5 rather than 0.4871. */
final class NiceNumbers {
    private NiceNumbers() {
    }

    /**
     * The roundest number in {@code (low, high]}: the fewest significant digits (a half step allowed at each
     * precision: 250, 0.05), nearest to {@code preferred} among equally round ones. {@code preferred} itself when
     * the interval is empty or holds nothing rounder.
     */
    static BigDecimal roundest(double low, double high, double preferred) {
        if (!(high > low)) {
            return plain(preferred);
        }
        if (low < 0 && high >= 0) {
            return BigDecimal.ZERO;
        }
        double magnitude = Math.max(Math.abs(low), Math.abs(high));
        int exponent = (int) Math.floor(Math.log10(magnitude));
        for (int digits = 0; digits < 16; digits++) {
            BigDecimal step = BigDecimal.ONE.scaleByPowerOfTen(exponent - digits);
            for (BigDecimal unit : new BigDecimal[] {step, step.divide(BigDecimal.valueOf(2))}) {
                BigDecimal found = nearestMultiple(unit, low, high, preferred);
                if (found != null) {
                    return found.stripTrailingZeros().scale() < 0
                            ? found.setScale(0) : found.stripTrailingZeros();
                }
            }
        }
        return plain(preferred);
    }

    private static BigDecimal nearestMultiple(BigDecimal unit, double low, double high, double preferred) {
        double u = unit.doubleValue();
        long first = (long) Math.floor(low / u) + 1;
        long last = (long) Math.floor(high / u);
        BigDecimal best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (long k = first; k <= last && k - first < 64; k++) {
            BigDecimal candidate = unit.multiply(BigDecimal.valueOf(k));
            double value = candidate.doubleValue();
            if (value <= low || value > high) {
                continue;
            }
            double distance = Math.abs(value - preferred);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        if (best == null && last - first >= 64) {
            long k = Math.round(preferred / u);
            BigDecimal candidate = unit.multiply(BigDecimal.valueOf(k));
            if (candidate.doubleValue() > low && candidate.doubleValue() <= high) {
                best = candidate;
            }
        }
        return best;
    }

    static BigDecimal plain(double value) {
        BigDecimal exact = new BigDecimal(value, MathContext.DECIMAL64).stripTrailingZeros();
        return exact.scale() < 0 ? exact.setScale(0) : exact;
    }
}
