package io.leadsync.scoring.eval;

import io.leadsync.scoring.ActivityCriterion;
import io.leadsync.scoring.Category;
import io.leadsync.scoring.Criterion;
import io.leadsync.scoring.FieldCondition;
import io.leadsync.scoring.FieldCriterion;
import io.leadsync.scoring.ScoringModel;
import io.leadsync.scoring.internal.ActivityHistory;
import io.leadsync.scoring.internal.CompiledCriterion;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The features a model is trained on: criteria, each read as a number per person, in the criterion's own unit (1 when
 * a field criterion or count rule fires, else 0; for an activity criterion, the decayed count of its activities, at
 * most {@code max / points}). A trained weight {@code w} therefore turns a criterion back into one of a logistic model
 * with {@code weight: w} and {@code max: w × max / points}, scoring exactly as training saw it.
 *
 * <p>Features come from an existing model's criteria ({@link #of(ScoringModel)}, training "over the same criteria"),
 * from the data ({@link #discover}, one criterion per frequent value of a column and per quantile of a numeric one,
 * so the trained model still reads as rules), or both ({@link #plus}). Immutable.
 */
public final class FeatureSet {
    private final List<Criterion> criteria;
    private final CompiledCriterion[] compiled;
    private final double[] caps;

    private FeatureSet(List<Criterion> criteria) {
        Set<String> names = new HashSet<>();
        List<Criterion> unique = new ArrayList<>();
        for (Criterion criterion : criteria) {
            if (names.add(criterion.name().toLowerCase(Locale.ROOT))) {
                unique.add(criterion);
            }
        }
        this.criteria = List.copyOf(unique);
        this.compiled = new CompiledCriterion[unique.size()];
        this.caps = new double[unique.size()];
        for (int i = 0; i < compiled.length; i++) {
            Criterion criterion = unique.get(i);
            compiled[i] = CompiledCriterion.of(criterion);
            caps[i] = criterion instanceof ActivityCriterion activity && activity.max().isPresent()
                    && !activity.isCountRule() ? activity.max().getAsDouble() / activity.points() : Double.NaN;
        }
    }

    /** Features that are exactly these criteria (names unique ignoring case; later duplicates are dropped). */
    public static FeatureSet of(List<Criterion> criteria) {
        return new FeatureSet(criteria);
    }

    /** The criteria of a model's top level and of each of its segments. */
    public static FeatureSet of(ScoringModel model) {
        List<Criterion> all = new ArrayList<>();
        model.allSegments().forEach(segment -> all.addAll(segment.criteria()));
        return new FeatureSet(all);
    }

    /** These features and then those of another set. */
    public FeatureSet plus(FeatureSet other) {
        List<Criterion> all = new ArrayList<>(criteria);
        all.addAll(other.criteria);
        return new FeatureSet(all);
    }

    public List<Criterion> criteria() {
        return criteria;
    }

    public int size() {
        return criteria.size();
    }

    /** The feature values of one case. */
    public double[] values(LabelledCase labelled) {
        double[] values = new double[compiled.length];
        ActivityHistory history = ActivityHistory.upTo(labelled.asOf(), labelled.activities());
        CompiledCriterion.Tally tally = new CompiledCriterion.Tally();
        for (int i = 0; i < compiled.length; i++) {
            compiled[i].evaluate(labelled.person(), history, 1, caps[i], tally);
            values[i] = tally.fired ? tally.points : 0;
        }
        return values;
    }

    /** How many occurrences {@code max} allows for feature {@code i}, or NaN: a trained weight's cap is w times it. */
    public double occurrenceCap(int i) {
        return caps[i];
    }

    /**
     * Criteria found in the data: for each attribute (column) of the cases, one {@code equals} criterion per value
     * seen at least {@code minCount} times (case-insensitive; at most {@code maxLevels} per column, most frequent
     * first) for text columns, one {@code at-least} criterion per decile for numeric ones, and a {@code present:
     * false} criterion where at least 1% of values are missing. Columns whose values are nearly all distinct
     * (identifiers) or all the same are left out.
     *
     * @param cases the training cases only: discovering on held-out cases would leak them into training
     */
    public static FeatureSet discover(List<LabelledCase> cases, int minCount, int maxLevels) {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (LabelledCase labelled : cases) {
            for (String column : labelled.person().attributes().keySet()) {
                columns.computeIfAbsent(column, key -> new ArrayList<>());
            }
        }
        for (LabelledCase labelled : cases) {
            Map<String, String> attributes = labelled.person().attributes();
            for (Map.Entry<String, List<String>> column : columns.entrySet()) {
                String value = attributes.get(column.getKey());
                column.getValue().add(value == null || value.isBlank() ? null : value.strip());
            }
        }
        List<Criterion> found = new ArrayList<>();
        int n = cases.size();
        for (Map.Entry<String, List<String>> column : columns.entrySet()) {
            found.addAll(discoverColumn(column.getKey(), column.getValue(), n, minCount, maxLevels));
        }
        return new FeatureSet(found);
    }

    private static List<Criterion> discoverColumn(String column, List<String> values, int n, int minCount,
                                                  int maxLevels) {
        List<Criterion> found = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        Map<String, String> spelling = new HashMap<>();
        int missing = 0;
        int numeric = 0;
        List<Double> numbers = new ArrayList<>();
        for (String value : values) {
            if (value == null) {
                missing++;
                continue;
            }
            String key = value.toLowerCase(Locale.ROOT);
            counts.merge(key, 1, Integer::sum);
            spelling.putIfAbsent(key, value);
            Double number = parse(value);
            if (number != null) {
                numeric++;
                numbers.add(number);
            }
        }
        int present = n - missing;
        if (present == 0 || counts.size() < 2 && missing < n / 100) {
            return found;   // empty or constant
        }
        boolean isNumeric = numeric >= 0.98 * present && counts.size() > 2;
        if (!isNumeric && counts.size() > 0.5 * present && counts.size() > 50) {
            return found;   // an identifier
        }
        if (isNumeric) {
            double[] sorted = numbers.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (counts.size() > 0.95 * present) {
                return found;   // a numeric identifier
            }
            Set<BigDecimal> thresholds = new java.util.TreeSet<>();
            for (int decile = 1; decile <= 9; decile++) {
                double quantile = sorted[(int) Math.floor(decile / 10.0 * (sorted.length - 1))];
                if (quantile > sorted[0]) {
                    thresholds.add(BigDecimal.valueOf(quantile).stripTrailingZeros());
                }
            }
            for (BigDecimal threshold : thresholds) {
                found.add(new FieldCriterion(column + " at least " + threshold.toPlainString(), Category.FIT, column,
                        new FieldCondition.AtLeast(threshold), 1));
            }
        } else {
            List<Map.Entry<String, Integer>> levels = new ArrayList<>(counts.entrySet());
            levels.sort(Map.Entry.<String, Integer>comparingByValue().reversed()
                    .thenComparing(Map.Entry.comparingByKey()));
            int kept = 0;
            for (Map.Entry<String, Integer> level : levels) {
                if (level.getValue() < minCount || kept >= maxLevels || level.getValue() == n) {
                    continue;
                }
                String value = spelling.get(level.getKey());
                found.add(new FieldCriterion(column + " is " + value, Category.FIT, column,
                        new FieldCondition.Equals(value), 1));
                kept++;
            }
        }
        if (missing >= Math.max(minCount, n / 100) && missing < n) {
            found.add(new FieldCriterion(column + " is missing", Category.FIT, column,
                    new FieldCondition.Present(false), 1));
        }
        return found;
    }

    private static Double parse(String value) {
        try {
            double number = Double.parseDouble(value);
            return Double.isFinite(number) ? number : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    @Override
    public String toString() {
        return criteria.size() + " features " + Arrays.toString(criteria.stream().map(Criterion::name)
                .sorted(Comparator.naturalOrder()).limit(5).toArray()) + "...";
    }
}
