package io.leadsync.scoring.internal;

import java.util.List;

/**
 * The short reasons text written to the CRM: {@code +30 Meeting held (2); +20 Senior decision maker; -25 Unsubscribed}.
 */
public final class ReasonText {
    static final String SEPARATOR = "; ";
    static final String ELLIPSIS = "…";

    private ReasonText() {
    }

    /**
     * The contributions, largest first, as one text of at most {@code maxLength} characters. When not all fit, the
     * text ends after the last whole reason that does, followed by {@code "; …"} if that still fits; a first reason
     * longer than the limit is cut and ends in {@code …}.
     *
     * @param contributions in the order to show them
     */
    public static String format(List<Contribution> contributions, int maxLength) {
        StringBuilder text = new StringBuilder(Math.min(maxLength, 256));
        for (int i = 0, size = contributions.size(); i < size; i++) {
            int end = text.length();
            if (end > 0) {
                text.append(SEPARATOR);
            }
            int start = text.length();
            appendReason(text, contributions.get(i));
            if (text.length() > maxLength) {
                String firstLeftOut = text.substring(start);
                text.setLength(end);
                return truncated(text, firstLeftOut, maxLength);
            }
        }
        return text.toString();
    }

    /** One reason: signed points, name and, for activity criteria, the count: {@code +30 Meeting held (2)}. */
    static String reason(Contribution contribution) {
        StringBuilder reason = new StringBuilder();
        appendReason(reason, contribution);
        return reason.toString();
    }

    private static void appendReason(StringBuilder text, Contribution contribution) {
        double points = contribution.shownPoints();
        if (points > 0) {
            text.append('+');
        }
        if (points == Math.rint(points) && Math.abs(points) < 1e15) {
            text.append((long) points);
        } else {
            text.append(Decimals.format(points));
        }
        text.append(' ').append(contribution.criterion().name());
        if (contribution.occurrences() > 0) {
            text.append(" (").append(contribution.occurrences()).append(')');
        }
    }

    private static String truncated(StringBuilder text, String firstLeftOut, int maxLength) {
        if (text.length() == 0) {
            int end = maxLength - ELLIPSIS.length();
            if (end > 0 && Character.isHighSurrogate(firstLeftOut.charAt(end - 1))) {
                end--;
            }
            return end <= 0 ? ELLIPSIS.substring(0, Math.min(maxLength, ELLIPSIS.length()))
                    : firstLeftOut.substring(0, end) + ELLIPSIS;
        }
        if (text.length() + SEPARATOR.length() + ELLIPSIS.length() <= maxLength) {
            text.append(SEPARATOR).append(ELLIPSIS);
        }
        return text.toString();
    }
}
