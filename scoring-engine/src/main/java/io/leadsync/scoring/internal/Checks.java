package io.leadsync.scoring.internal;

import io.leadsync.scoring.Category;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
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
        return pointsSignProblem(criterion, category, points, "points");
    }

    /** As {@link #pointsSignProblem(String, Category, String)}, naming the key: {@code points} or {@code weight}. */
    public static String pointsSignProblem(String criterion, Category category, String points, String key) {
        String problem = criterion + " in " + category.key() + " must have "
                + (category.subtracts() ? "negative" : "positive") + " " + key + " but has " + points;
        return key.equals("weight") ? problem + " (a weight that lowers the score belongs in negative, one that"
                + " raises it in fit or engagement)" : problem;
    }

    /** The problem of a cap with the wrong sign; {@code criterion} reads e.g. {@code criterion 'Email bounced'}. */
    public static String maxSignProblem(String criterion, Category category, String max) {
        return "max of " + criterion + " must be " + (category.subtracts()
                ? "negative like its points (for negative criteria the cap bounds how negative it gets)"
                : "positive like its points") + " but is " + max;
    }

    /** The problem of a category cap with the wrong sign. */
    public static String categoryCapProblem(Category category, String cap) {
        return "cap of " + category.key() + " must be " + (category.subtracts()
                ? "negative (it bounds how negative the negative criteria may get together)" : "positive")
                + " but is " + cap;
    }

    /** Whether a field holds email addresses: {@code email} itself or any attribute with "email" in its name. */
    public static boolean isEmailField(String field) {
        return field.toLowerCase(Locale.ROOT).contains("email");
    }

    /** The problem of {@code any} listed with other types; {@code criterion} reads e.g. {@code criterion 'Quiet'}. */
    public static String anyTypeProblem(String criterion) {
        return "activity 'any' of " + criterion + " stands for every type and must be listed alone";
    }

    /**
     * What is wrong with a count rule's options, if anything.
     *
     * @param criterion    e.g. {@code criterion 'Repeat pricing visit'}
     * @param hasMax       whether the criterion has {@code max}
     * @param hasHalfLife  whether it has {@code half-life-days}
     */
    public static Optional<String> countRuleProblem(String criterion, OptionalInt atLeast, OptionalInt atMost,
                                                    boolean hasMax, boolean hasHalfLife) {
        if (atLeast.isPresent() && atLeast.getAsInt() < 1) {
            return Optional.of("at-least of " + criterion + " must be at least 1 but is " + atLeast.getAsInt()
                    + " (a count of 0 or more always holds)");
        }
        if (atMost.isPresent() && atMost.getAsInt() < 0) {
            return Optional.of("at-most of " + criterion + " must be 0 or more but is " + atMost.getAsInt());
        }
        if (atLeast.isPresent() && atMost.isPresent() && atLeast.getAsInt() > atMost.getAsInt()) {
            return Optional.of(criterion + " can never fire: at-least " + atLeast.getAsInt() + " is above at-most "
                    + atMost.getAsInt());
        }
        if ((atLeast.isPresent() || atMost.isPresent()) && hasMax) {
            return Optional.of("'max' does not apply to " + criterion + ": with at-least or at-most it gives its"
                    + " points once, when the count holds");
        }
        if (atMost.isPresent() && atLeast.isEmpty() && hasHalfLife) {
            return Optional.of("'half-life-days' does not apply to " + criterion + ": an at-most rule has no"
                    + " occurrence whose age could decay it");
        }
        return Optional.empty();
    }

    public static String activityTypeProblem(String type) {
        return "activity type '" + type + "' must be snake_case, e.g. meeting or email_reply";
    }
}
