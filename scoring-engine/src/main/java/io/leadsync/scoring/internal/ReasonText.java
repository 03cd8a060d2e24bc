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
        StringBuilder text = new StringBuilder();
        for (Contribution contribution : contributions) {
            String reason = reason(contribution);
            int needed = (text.length() == 0 ? 0 : SEPARATOR.length()) + reason.length();
            if (text.length() + needed > maxLength) {
                return truncated(text, reason, maxLength);
            }
            if (text.length() > 0) {
                text.append(SEPARATOR);
            }
            text.append(reason);
        }
        return text.toString();
    }

    /** One reason: signed points, name and, for activity criteria, the count: {@code +30 Meeting held (2)}. */
    static String reason(Contribution contribution) {
        String reason = Decimals.signed(contribution.shownPoints()) + " " + contribution.criterion().name();
        if (contribution.occurrences().isPresent()) {
            reason += " (" + contribution.occurrences().getAsInt() + ")";
        }
        return reason;
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
