package io.leadsync.scoring.internal;

import io.leadsync.scoring.Band;
import io.leadsync.scoring.Criterion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The rules a whole model must satisfy, beyond those of its parts. {@code ScoringModel}'s constructor applies them
 * all and throws on a violation; the file parser applies them one by one and reports each at the line of the
 * offending element.
 */
public final class ModelRules {

    /**
     * A broken rule about one element of a list (a criterion, a band).
     *
     * @param index  the offending element
     * @param reason what is wrong, for a person
     */
    public record Violation(int index, String reason) {
    }

    private ModelRules() {
    }

    /** Every rule; the reasons of the broken ones. */
    public static List<String> check(String name, String version, List<Criterion> criteria, List<Band> grades,
                                     List<Band> stages, OptionalInt taskThreshold, int reasonsMaxLength) {
        List<String> reasons = new ArrayList<>();
        checkIdPart("name", name).ifPresent(reasons::add);
        checkIdPart("version", version).ifPresent(reasons::add);
        checkCriterionNames(criteria).forEach(violation -> reasons.add(violation.reason()));
        OptionalInt maxPossible = OptionalInt.of(maxPossibleScore(criteria));
        checkBands("grade", grades, true, maxPossible).forEach(violation -> reasons.add(violation.reason()));
        checkBands("stage", stages, false, maxPossible).forEach(violation -> reasons.add(violation.reason()));
        checkTaskThreshold(taskThreshold, maxPossible).ifPresent(reasons::add);
        checkReasonsMaxLength(reasonsMaxLength).ifPresent(reasons::add);
        return List.copyOf(reasons);
    }

    /** A model's name or version: part of the id {@code name@version}. */
    public static Optional<String> checkIdPart(String key, String value) {
        if (value != null && Checks.MODEL_ID_PART.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of(key + " '" + value
                + "' must start with a letter or digit and hold only letters, digits, '.', '_' and '-'");
    }

    /** Criterion names are unique, ignoring case: reasons are told apart by them. */
    public static List<Violation> checkCriterionNames(List<Criterion> criteria) {
        List<Violation> violations = new ArrayList<>();
        Map<String, Criterion> byName = new HashMap<>();
        for (int i = 0; i < criteria.size(); i++) {
            Criterion criterion = criteria.get(i);
            Criterion earlier = byName.putIfAbsent(criterion.name().toLowerCase(Locale.ROOT), criterion);
            if (earlier != null) {
                violations.add(new Violation(i, "criterion name '" + criterion.name() + "' is already used by '"
                        + earlier.name() + "' in " + earlier.category().key() + "; score reasons need unique names"));
            }
        }
        return violations;
    }

    /**
     * Bands are listed highest first with strictly falling lower bounds, the lowest at 0 so every score 0..100
     * falls in exactly one; the highest must be reachable.
     *
     * @param kind        {@code grade} or {@code stage}
     * @param required    whether at least one band is needed
     * @param maxPossible the highest possible score, or empty to skip the reachability check
     */
    public static List<Violation> checkBands(String kind, List<Band> bands, boolean required, OptionalInt maxPossible) {
        List<Violation> violations = new ArrayList<>();
        if (bands.isEmpty()) {
            if (required) {
                violations.add(new Violation(0, kind + "s must define at least one band, e.g. {A: 75, B: 50, C: 25, D: 0}"));
            }
            return violations;
        }
        Map<String, Integer> labels = new HashMap<>();
        int lowest = 0;
        for (int i = 0; i < bands.size(); i++) {
            Band band = bands.get(i);
            if (labels.putIfAbsent(band.label(), i) != null) {
                violations.add(new Violation(i, kind + " " + band.label() + " is defined twice"));
            }
            if (i > 0 && band.lowerBound() >= bands.get(i - 1).lowerBound()) {
                Band above = bands.get(i - 1);
                violations.add(new Violation(i, kind + "s overlap: " + band.label() + " (" + band.lowerBound()
                        + ") must be below " + above.label() + " (" + above.lowerBound() + "); list " + kind
                        + "s from highest to lowest"));
            }
            if (band.lowerBound() < bands.get(lowest).lowerBound()) {
                lowest = i;
            }
        }
        Band lowestBand = bands.get(lowest);
        if (lowestBand.lowerBound() != 0) {
            violations.add(new Violation(lowest, kind + " bands must start at 0 (lowest band is "
                    + lowestBand.lowerBound() + ")"));
        }
        Band highest = bands.get(0);
        if (violations.isEmpty() && maxPossible.isPresent() && highest.lowerBound() > maxPossible.getAsInt()) {
            violations.add(new Violation(0, kind + " " + highest.label() + " (" + highest.lowerBound()
                    + ") is unreachable: the maximum possible score is " + maxPossible.getAsInt()));
        }
        return violations;
    }

    /** A task threshold lies in 1..the highest possible score: a score must be able to cross it upward. */
    public static Optional<String> checkTaskThreshold(OptionalInt taskThreshold, OptionalInt maxPossible) {
        if (taskThreshold.isEmpty()) {
            return Optional.empty();
        }
        int threshold = taskThreshold.getAsInt();
        if (threshold < 1) {
            return Optional.of("task-threshold " + threshold
                    + " must be at least 1: a task is created when a score crosses it upward");
        }
        if (maxPossible.isPresent() && threshold > maxPossible.getAsInt()) {
            return Optional.of("task-threshold " + threshold + " is unreachable: the maximum possible score is "
                    + maxPossible.getAsInt());
        }
        return Optional.empty();
    }

    public static Optional<String> checkReasonsMaxLength(int maxLength) {
        return maxLength >= 1 ? Optional.empty()
                : Optional.of("reasons max-length " + maxLength + " must be at least 1");
    }

    /**
     * The highest score the criteria allow: the sum of every fit and engagement criterion's {@link Criterion#bound()},
     * clamped to 0..100 and rounded as scores are. An upper bound: criteria that exclude each other all count.
     */
    public static int maxPossibleScore(List<Criterion> criteria) {
        double total = 0;
        for (Criterion criterion : criteria) {
            if (!criterion.category().subtracts()) {
                total += criterion.bound();
            }
        }
        return Decimals.roundToScore(total);
    }
}
