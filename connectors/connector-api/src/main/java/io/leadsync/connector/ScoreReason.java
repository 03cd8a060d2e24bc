package io.leadsync.connector;

/**
 * One criterion that contributed to a score.
 *
 * @param criterion the criterion's name as written in the model ({@code Pricing page viewed})
 * @param category  {@code fit}, {@code engagement} or {@code negative}
 * @param points    the points it contributed after decay and caps (negative for negative criteria)
 * @param detail    what matched, e.g. {@code "3 views"} or {@code "title contains VP"}
 */
public record ScoreReason(String criterion, String category, double points, String detail) {
    public ScoreReason {
        criterion = Values.requireText(criterion, "criterion");
        category = Values.requireText(category, "category");
        detail = detail == null ? "" : detail;
    }
}
