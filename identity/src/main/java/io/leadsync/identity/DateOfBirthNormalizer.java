package io.leadsync.identity;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates of birth to {@code yyyyMMdd}: ISO dates and times ({@code 1984-03-07}, {@code 1984-03-07T00:00:00Z}),
 * {@code yyyyMMdd}, {@code yyyy/MM/dd}, German {@code 07.03.1984}, and {@code a/b/yyyy} read as month/day (US) unless
 * the first number cannot be a month. A date with a typo that makes it impossible ({@code 19841307}) keeps its digits,
 * so a one-digit slip still compares as close.
 */
public final class DateOfBirthNormalizer {
    private static final Pattern YEAR_FIRST = Pattern.compile("(\\d{4})[-/. ]+(\\d{1,2})[-/. ]+(\\d{1,2})(?:T.*| \\d{1,2}:.*)?");
    private static final Pattern YEAR_LAST = Pattern.compile("(\\d{1,2})([-/.])(\\d{1,2})[-/.](\\d{4})");
    private static final Pattern DIGITS = Pattern.compile("\\d{8}");

    public Normalized<String> normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return Normalized.absent();
        }
        String text = raw.strip();
        Matcher matcher = YEAR_FIRST.matcher(text);
        if (matcher.matches()) {
            return date(raw, matcher.group(1), matcher.group(2), matcher.group(3));
        }
        matcher = YEAR_LAST.matcher(text);
        if (matcher.matches()) {
            int first = Integer.parseInt(matcher.group(1));
            boolean dayFirst = matcher.group(2).equals(".") || first > 12;
            return dayFirst ? date(raw, matcher.group(4), matcher.group(3), matcher.group(1))
                    : date(raw, matcher.group(4), matcher.group(1), matcher.group(3));
        }
        if (DIGITS.matcher(text).matches()) {
            return Normalized.of(text);
        }
        return Normalized.invalid("'" + (text.length() > 40 ? text.substring(0, 37) + "..." : text)
                + "' is not a date of birth");
    }

    private static Normalized<String> date(String raw, String year, String month, String day) {
        String digits = year + (month.length() == 1 ? "0" : "") + month + (day.length() == 1 ? "0" : "") + day;
        try {
            LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
        } catch (DateTimeException e) {
            return digits.length() == 8 ? Normalized.of(digits)
                    : Normalized.invalid("'" + raw.strip() + "' is not a date of birth");
        }
        return Normalized.of(digits);
    }
}
