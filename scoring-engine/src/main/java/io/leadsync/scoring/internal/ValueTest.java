package io.leadsync.scoring.internal;

import io.leadsync.scoring.FieldCondition;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * A {@link FieldCondition} prepared for the scorer's hot path: numeric bounds are compared without parsing plain
 * whole numbers into {@link BigDecimal}; the other operators test as the condition does.
 */
public abstract class ValueTest {

    /** Whether a value (stripped, or null for none) satisfies the condition. */
    public abstract boolean test(String value);

    public static ValueTest of(FieldCondition condition) {
        if (condition instanceof FieldCondition.AtLeast atLeast) {
            return new Bound(atLeast.bound(), null, false);
        }
        if (condition instanceof FieldCondition.Between between) {
            return new Bound(between.atLeast(), between.below(), false);
        }
        if (condition instanceof FieldCondition.BusinessEmail business) {
            return new BusinessEmailTest(business.expected());
        }
        if (condition instanceof FieldCondition.AtMost atMost) {
            return new Bound(null, atMost.bound(), true);
        }
        return new ValueTest() {
            @Override
            public boolean test(String value) {
                return condition.test(value);
            }
        };
    }

    /**
     * {@code business-email}. A model usually tests the same address twice (a fit criterion for business addresses,
     * a negative one for free-mail ones): the last classification is remembered per thread, by the identity of the
     * value, so a person's address is classified once.
     */
    private static final class BusinessEmailTest extends ValueTest {
        /** The last address classified on this thread, and its class: 1 business, 0 not, -1 no email address. */
        private static final class Last {
            String value;
            int kind;
        }

        private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);

        private final boolean expected;

        BusinessEmailTest(boolean expected) {
            this.expected = expected;
        }

        @Override
        public boolean test(String value) {
            if (value == null) {
                return false;
            }
            Last last = LAST.get();
            if (last.value != value) {
                String domain = EmailDomains.domainOrNull(value);
                last.kind = domain == null ? -1 : EmailDomains.isBusiness(domain) ? 1 : 0;
                last.value = value;
            }
            return last.kind >= 0 && (last.kind == 1) == expected;
        }
    }

    /** {@code at-least}, {@code at-most}, {@code below} or a band {@code at-least ... below}. */
    private static final class Bound extends ValueTest {
        /** Whole numbers up to this many digits are exact as doubles. */
        private static final int MAX_FAST_DIGITS = 15;

        private final BigDecimal lower;
        private final BigDecimal upper;
        private final boolean upperInclusive;
        private final double lowerAsDouble;
        private final double upperAsDouble;
        private final boolean exactAsDouble;

        /**
         * @param lower          the inclusive lower bound, or null
         * @param upper          the upper bound, or null
         * @param upperInclusive whether a value equal to {@code upper} matches ({@code at-most}) or not
         *                       ({@code below})
         */
        Bound(BigDecimal lower, BigDecimal upper, boolean upperInclusive) {
            this.lower = lower;
            this.upper = upper;
            this.upperInclusive = upperInclusive;
            this.lowerAsDouble = lower == null ? Double.NEGATIVE_INFINITY : lower.doubleValue();
            this.upperAsDouble = upper == null ? Double.POSITIVE_INFINITY : upper.doubleValue();
            this.exactAsDouble = exact(lower, lowerAsDouble) && exact(upper, upperAsDouble);
        }

        private static boolean exact(BigDecimal bound, double asDouble) {
            return bound == null || Double.isFinite(asDouble) && new BigDecimal(asDouble).compareTo(bound) == 0;
        }

        @Override
        public boolean test(String value) {
            if (value == null) {
                return false;
            }
            if (exactAsDouble) {
                long whole = wholeNumber(value);
                if (whole != Long.MIN_VALUE) {
                    double number = whole; // exact: at most 15 digits
                    return number >= lowerAsDouble
                            && (upperInclusive ? number <= upperAsDouble : number < upperAsDouble);
                }
            }
            Optional<BigDecimal> parsed = Decimals.parse(value);
            if (parsed.isEmpty()) {
                return false;
            }
            BigDecimal number = parsed.get();
            if (lower != null && number.compareTo(lower) < 0) {
                return false;
            }
            if (upper == null) {
                return true;
            }
            int versusUpper = number.compareTo(upper);
            return upperInclusive ? versusUpper <= 0 : versusUpper < 0;
        }

        /** A plain whole number of up to 15 digits with an optional sign, or {@code Long.MIN_VALUE}. */
        private static long wholeNumber(String value) {
            int length = value.length();
            int i = 0;
            boolean negative = false;
            if (length > 0 && (value.charAt(0) == '-' || value.charAt(0) == '+')) {
                negative = value.charAt(0) == '-';
                i = 1;
            }
            if (i == length || length - i > MAX_FAST_DIGITS) {
                return Long.MIN_VALUE;
            }
            long number = 0;
            for (; i < length; i++) {
                char digit = value.charAt(i);
                if (digit < '0' || digit > '9') {
                    return Long.MIN_VALUE;
                }
                number = number * 10 + (digit - '0');
            }
            return negative ? -number : number;
        }
    }
}
