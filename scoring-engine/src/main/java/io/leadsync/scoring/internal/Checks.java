package io.leadsync.scoring.internal;

import io.leadsync.scoring.Category;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Rules shared by the model's validated constructors and the model file parser, so a file and a model built in
 * code are held to the same rules. The parser reports a broken rule with a line; a constructor throws.
 */
public final class Checks {
    /** Activity types are snake_case, as {@code io.leadsync.connector.Activity} requires. */
    public static final Pattern ACTIVITY_TYPE = Pattern.compile("[a-z][a-z0-9_]*");
    /** A model's name and version: they form the id {@code name@version} written to every score. */
    public static final Pattern MODEL_ID_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private Checks() {
    }

    public static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a criterion needs a name");
        }
        return name.strip();
    }

    public static void requirePointsSign(String name, Category category, double points) {
        if (!Double.isFinite(points)) {
            throw new IllegalArgumentException("criterion '" + name + "' has points " + points + "; expected a number");
        }
        if (!hasRightSign(category, points)) {
            throw new IllegalArgumentException(
                    pointsSignProblem("criterion '" + name + "'", category, Decimals.format(points)));
        }
    }

    public static boolean hasRightSign(Category category, double points) {
        return category.subtracts() ? points < 0 : points > 0;
    }

    /** The problem of points with the wrong sign; {@code criterion} reads e.g. {@code criterion 'Unsubscribed'}. */
    public static String pointsSignProblem(String criterion, Category category, String points) {
        return criterion + " in " + category.key() + " must have "
                + (category.subtracts() ? "negative" : "positive") + " points but has " + points;
    }

    /** The problem of a cap with the wrong sign; {@code criterion} reads e.g. {@code criterion 'Email bounced'}. */
    public static String maxSignProblem(String criterion, Category category, String max) {
        return "max of " + criterion + " must be " + (category.subtracts()
                ? "negative like its points (for negative criteria the cap bounds how negative it gets)"
                : "positive like its points") + " but is " + max;
    }

    /** Whether a field holds email addresses: {@code email} itself or any attribute with "email" in its name. */
    public static boolean isEmailField(String field) {
        return field.toLowerCase(Locale.ROOT).contains("email");
    }

    public static String activityTypeProblem(String type) {
        return "activity type '" + type + "' must be snake_case, e.g. meeting or email_reply";
    }
}
