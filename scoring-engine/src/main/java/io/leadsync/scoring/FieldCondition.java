package io.leadsync.scoring;

import io.leadsync.scoring.internal.Decimals;
import io.leadsync.scoring.internal.EmailDomains;
import io.leadsync.scoring.internal.Words;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a {@link FieldCriterion} requires of a field's value: exactly one operator of the model file. Every text
 * comparison ignores case; a value the person does not have is {@code null} and matches only
 * {@code present: false}.
 */
public sealed interface FieldCondition {

    /** The operator's key in the model file, e.g. {@code contains-any}. */
    String operator();

    /**
     * Whether a value satisfies the condition.
     *
     * @param value the field's value, or null when the person has none (blank counts as none)
     */
    boolean test(String value);

    /** {@code equals: "true"}: the value equals the text, ignoring case and surrounding spaces. */
    record Equals(String expected) implements FieldCondition {
        public Equals {
            expected = requireText(expected, "equals");
        }

        @Override
        public String operator() {
            return "equals";
        }

        @Override
        public boolean test(String value) {
            return value != null && value.strip().equalsIgnoreCase(expected);
        }
    }

    /** {@code in: [A, B]}: the value equals one of the texts, ignoring case and surrounding spaces. */
    record In(List<String> values) implements FieldCondition {
        public In {
            values = requireTexts(values, "in");
        }

        @Override
        public String operator() {
            return "in";
        }

        @Override
        public boolean test(String value) {
            if (value == null) {
                return false;
            }
            String stripped = value.strip();
            for (String candidate : values) {
                if (stripped.equalsIgnoreCase(candidate)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * {@code contains-any: [vp, head of]}: the value contains one of the terms as whole words, ignoring case and
     * punctuation. {@code cto} matches "CTO & Co-Founder" but not "Director"; {@code vice president} matches
     * "Vice-President, Sales".
     */
    record ContainsAny(List<String> terms) implements FieldCondition {
        public ContainsAny {
            terms = requireTexts(terms, "contains-any");
            for (String term : terms) {
                if (!Words.hasWords(term)) {
                    throw new IllegalArgumentException("contains-any term '" + term + "' has no letters or digits");
                }
            }
        }

        @Override
        public String operator() {
            return "contains-any";
        }

        @Override
        public boolean test(String value) {
            if (value == null) {
                return false;
            }
            for (String term : terms) {
                if (Words.containsTerm(value, term)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code at-least: 200}: the value is a number no smaller than the bound; a value that is no number never matches. */
    record AtLeast(BigDecimal bound) implements FieldCondition {
        public AtLeast {
            Objects.requireNonNull(bound, "bound");
        }

        @Override
        public String operator() {
            return "at-least";
        }

        @Override
        public boolean test(String value) {
            Optional<BigDecimal> number = Decimals.parse(value);
            return number.isPresent() && number.get().compareTo(bound) >= 0;
        }
    }

    /** {@code at-most: 50}: the value is a number no larger than the bound; a value that is no number never matches. */
    record AtMost(BigDecimal bound) implements FieldCondition {
        public AtMost {
            Objects.requireNonNull(bound, "bound");
        }

        @Override
        public String operator() {
            return "at-most";
        }

        @Override
        public boolean test(String value) {
            Optional<BigDecimal> number = Decimals.parse(value);
            return number.isPresent() && number.get().compareTo(bound) <= 0;
        }
    }

    /**
     * {@code below: 50}, or the band {@code at-least: 10, below: 50}: the value is a number smaller than
     * {@code below} (and no smaller than {@code atLeast}, when given); a value that is no number never matches. The
     * bands of a learned points table are written so: each value falls in exactly one band of its column.
     *
     * @param atLeast the band's lower bound (inclusive), or null for none
     * @param below   the band's upper bound (exclusive)
     */
    record Between(BigDecimal atLeast, BigDecimal below) implements FieldCondition {
        public Between {
            Objects.requireNonNull(below, "below");
            if (atLeast != null && atLeast.compareTo(below) >= 0) {
                throw new IllegalArgumentException("at-least " + atLeast.toPlainString() + " must be below "
                        + below.toPlainString());
            }
        }

        @Override
        public String operator() {
            return "below";
        }

        @Override
        public boolean test(String value) {
            Optional<BigDecimal> number = Decimals.parse(value);
            return number.isPresent() && number.get().compareTo(below) < 0
                    && (atLeast == null || number.get().compareTo(atLeast) >= 0);
        }
    }

    /** {@code present: true|false}: the person has (or has not) a non-blank value. */
    record Present(boolean expected) implements FieldCondition {
        @Override
        public String operator() {
            return "present";
        }

        @Override
        public boolean test(String value) {
            return (value != null && !value.isBlank()) == expected;
        }
    }

    /**
     * {@code business-email: true|false}: the value is an email address whose domain is (or is not) a company's.
     * Free-mail providers (gmail.com, outlook.com, gmx.de...) and academic domains ({@code *.edu},
     * {@code *.ac.uk}, {@code *.edu.au}...) are not; a value that is no email address matches neither.
     */
    record BusinessEmail(boolean expected) implements FieldCondition {
        @Override
        public String operator() {
            return "business-email";
        }

        @Override
        public boolean test(String value) {
            String domain = EmailDomains.domainOrNull(value);
            return domain != null && EmailDomains.isBusiness(domain) == expected;
        }
    }

    /**
     * {@code matches: "^(c|v)\\w+o$"}: a Java regular expression found anywhere in the value, ignoring case (write
     * {@code ^...$} to match the whole value, {@code (?-i)} to respect case).
     */
    record Matches(Pattern pattern) implements FieldCondition {
        /** The flags every model regex is compiled with. */
        public static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

        public Matches {
            Objects.requireNonNull(pattern, "pattern");
        }

        /**
         * Compiles a model's regex.
         *
         * @throws PatternSyntaxException if it is no valid Java regex
         */
        public static Matches of(String regex) {
            return new Matches(Pattern.compile(regex, FLAGS));
        }

        @Override
        public String operator() {
            return "matches";
        }

        @Override
        public boolean test(String value) {
            return value != null && pattern.matcher(value).find();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Matches that
                    && pattern.pattern().equals(that.pattern.pattern()) && pattern.flags() == that.pattern.flags();
        }

        @Override
        public int hashCode() {
            return Objects.hash(pattern.pattern(), pattern.flags());
        }

        @Override
        public String toString() {
            return "Matches[pattern=" + pattern.pattern() + "]";
        }
    }

    private static String requireText(String text, String operator) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(operator + " needs a non-blank text");
        }
        return text.strip();
    }

    private static List<String> requireTexts(List<String> texts, String operator) {
        Objects.requireNonNull(texts, operator);
        if (texts.isEmpty()) {
            throw new IllegalArgumentException(operator + " needs at least one value");
        }
        return texts.stream().map(text -> requireText(text, operator)).toList();
    }
}
