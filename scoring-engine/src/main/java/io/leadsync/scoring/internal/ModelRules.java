package io.leadsync.scoring.internal;

import io.leadsync.scoring.Band;
import io.leadsync.scoring.Category;
import io.leadsync.scoring.Criterion;
import io.leadsync.scoring.FieldCriterion;
import io.leadsync.scoring.ModelKind;
import io.leadsync.scoring.Segment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
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
    public static List<String> check(String name, String version, ModelKind kind, Segment defaultSegment,
                                     List<Segment> segments, List<String> fields, List<Band> grades,
                                     List<Band> stages, OptionalInt taskThreshold, int reasonsMaxLength) {
        List<String> reasons = new ArrayList<>();
        checkIdPart("name", name).ifPresent(reasons::add);
        checkIdPart("version", version).ifPresent(reasons::add);
        if (!defaultSegment.isDefault()) {
            reasons.add("the default segment (the top-level criteria) has no conditions, but has "
                    + defaultSegment.when().size());
        }
        checkSegmentNames(segments).forEach(violation -> reasons.add(violation.reason()));
        List<Segment> all = new ArrayList<>(segments);
        all.add(defaultSegment);
        for (Segment segment : all) {
            checkKind(kind, segment).ifPresent(reasons::add);
        }
        checkFieldNames(fields).forEach(violation -> reasons.add(violation.reason()));
        if (!fields.isEmpty()) {
            for (Segment segment : all) {
                for (String field : fieldsUsed(segment)) {
                    if (!isKnownField(field, fields)) {
                        reasons.add(unknownFieldProblem(field, "segment '" + segment.name() + "'", fields));
                    }
                }
            }
        }
        OptionalInt maxPossible = OptionalInt.of(maxPossibleScore(kind, all));
        checkBands("grade", grades, true, maxPossible).forEach(violation -> reasons.add(violation.reason()));
        checkBands("stage", stages, false, maxPossible).forEach(violation -> reasons.add(violation.reason()));
        checkTaskThreshold(taskThreshold, maxPossible).ifPresent(reasons::add);
        checkReasonsMaxLength(reasonsMaxLength).ifPresent(reasons::add);
        return List.copyOf(reasons);
    }

    /** Named segments have conditions and unique names, and none is called {@code default}. */
    public static List<Violation> checkSegmentNames(List<Segment> segments) {
        List<Violation> violations = new ArrayList<>();
        Map<String, Segment> byName = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.name().equalsIgnoreCase(Segment.DEFAULT)) {
                violations.add(new Violation(i, "segment name '" + segment.name() + "' is reserved for the"
                        + " top-level criteria, which score everyone no segment picks"));
            } else if (byName.putIfAbsent(segment.name().toLowerCase(Locale.ROOT), segment) != null) {
                violations.add(new Violation(i, "segment name '" + segment.name() + "' is used twice"));
            }
            if (segment.isDefault()) {
                violations.add(new Violation(i, "segment '" + segment.name() + "' needs 'when': the conditions on"
                        + " the person that pick it"));
            }
        }
        return violations;
    }

    /** What the model's kind forbids in a segment: an intercept in a rule model, caps in a logistic one. */
    public static Optional<String> checkKind(ModelKind kind, Segment segment) {
        if (kind == ModelKind.RULE && segment.intercept() != 0) {
            return Optional.of("intercept of segment '" + segment.name() + "' applies only to kind: logistic");
        }
        if (kind == ModelKind.LOGISTIC && !segment.caps().isEmpty()) {
            return Optional.of("caps of segment '" + segment.name() + "' apply only to rule models; a logistic"
                    + " model's weights are fitted together");
        }
        return Optional.empty();
    }

    /** The declared catalog holds non-blank names, each once ignoring case. */
    public static List<Violation> checkFieldNames(List<String> fields) {
        List<Violation> violations = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            if (field == null || field.isBlank()) {
                violations.add(new Violation(i, "fields must hold non-blank attribute names"));
            } else if (seen.putIfAbsent(field.toLowerCase(Locale.ROOT), i) != null) {
                violations.add(new Violation(i, "field '" + field + "' is declared twice"));
            }
        }
        return violations;
    }

    /** Whether a field is canonical or in the catalog, ignoring case as attribute lookup does. */
    public static boolean isKnownField(String field, Collection<String> catalog) {
        if (FieldValues.CANONICAL.contains(field)) {
            return true;
        }
        for (String known : catalog) {
            if (known.equalsIgnoreCase(field)) {
                return true;
            }
        }
        return false;
    }

    /** The problem of a field neither canonical nor in the catalog. */
    public static String unknownFieldProblem(String field, String where, Collection<String> catalog) {
        return "unknown field '" + field + "' in " + where + "; expected a canonical field "
                + FieldValues.CANONICAL_NAMES + " or one declared in fields " + catalog;
    }

    /** The fields a segment's conditions and field criteria read. */
    public static List<String> fieldsUsed(Segment segment) {
        List<String> used = new ArrayList<>();
        segment.when().forEach(condition -> used.add(condition.field()));
        for (Criterion criterion : segment.criteria()) {
            if (criterion instanceof FieldCriterion) {
                used.add(((FieldCriterion) criterion).field());
            }
            criterion.when().forEach(condition -> used.add(condition.field()));
        }
        return used;
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
        return maxPossibleScore(ModelKind.RULE, List.of(Segment.of(criteria)));
    }

    /** The highest score any segment allows; see {@link #maxPossibleScore(ModelKind, Segment)}. */
    public static int maxPossibleScore(ModelKind kind, List<Segment> segments) {
        int max = 0;
        for (Segment segment : segments) {
            max = Math.max(max, maxPossibleScore(kind, segment));
        }
        return max;
    }

    /**
     * The highest score a segment allows. Rule models: the sum of every fit and engagement criterion's
     * {@link Criterion#bound()}, each category at most its cap, clamped to 0..100 and rounded as scores are.
     * Logistic models: the probability when every raising criterion fires at its bound.
     */
    public static int maxPossibleScore(ModelKind kind, Segment segment) {
        double total = kind == ModelKind.LOGISTIC ? segment.intercept() : 0;
        for (Category category : Category.values()) {
            if (category.subtracts()) {
                continue;
            }
            double sum = 0;
            for (Criterion criterion : segment.criteria()) {
                if (criterion.category() == category) {
                    sum += criterion.bound();
                }
            }
            OptionalDouble cap = segment.cap(category);
            total += cap.isPresent() ? Math.min(sum, cap.getAsDouble()) : sum;
        }
        if (kind == ModelKind.LOGISTIC) {
            return total == Double.POSITIVE_INFINITY ? 100 : Decimals.roundToScore(100 * Logistic.probability(total));
        }
        return Decimals.roundToScore(total);
    }
}
