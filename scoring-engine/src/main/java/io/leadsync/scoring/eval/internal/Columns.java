package io.leadsync.scoring.eval.internal;

import io.leadsync.connector.Activity;
import io.leadsync.scoring.ActivityCriterion;
import io.leadsync.scoring.Category;
import io.leadsync.scoring.eval.LabelledCase;
import io.leadsync.scoring.internal.ActivityHistory;
import io.leadsync.scoring.internal.CompiledCriterion;
import io.leadsync.scoring.internal.FieldReader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads training cases into binned {@link Column}s: every attribute the cases carry (identifiers and constants
 * left out, a column identical to an earlier one dropped), and for each activity type the count or decayed count
 * that foretells the outcome best.
 */
public final class Columns {
    /** Names of numeric columns that are codes rather than quantities (TrafficType, Region, Browser...). */
    private static final Pattern CODE_NAME = Pattern.compile(
            "(?i).*(type|code|id|region|browser|system|systems|category|class|group|zip|postal|area|channel|segment)$");
    /** Windows and half-lives tried for each activity type. */
    private static final int[] WINDOWS = {7, 30, 90, 365};
    private static final double[] HALF_LIVES = {7, 30};

    /**
     * @param maxBins     most value bins of a numeric column
     * @param minCount    fewest cases a category needs for its own bin (rarer ones are pooled as "other")
     * @param categorical columns to treat as codes whatever their values
     * @param activities  whether to make activity columns
     */
    public record Options(int maxBins, int minCount, Set<String> categorical, boolean activities) {
    }

    private Columns() {
    }

    /** Canonical fields that are columns too (a CRM's job title and country are no attributes). */
    private static final List<String> CANONICAL = List.of("title", "country");

    /** The columns of the cases, binned; {@code label[i]} is case i's outcome. */
    public static List<Column> build(List<LabelledCase> cases, boolean[] label, Options options) {
        List<Column> columns = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>(CANONICAL);
        for (LabelledCase labelled : cases) {
            names.addAll(labelled.person().attributes().keySet());
        }
        int n = cases.size();
        for (String name : names) {
            FieldReader reader = new FieldReader(name);
            String[] values = new String[n];
            for (int i = 0; i < n; i++) {
                values[i] = reader.read(cases.get(i).person());
            }
            Column column = attribute(name, values, label, options);
            if (column != null && !duplicates(column, columns)) {
                columns.add(column);
            }
        }
        if (options.activities()) {
            columns.addAll(activityColumns(cases, label, options));
        }
        return columns;
    }

    // ---- attributes

    static Column attribute(String name, String[] values, boolean[] label, Options options) {
        int n = values.length;
        int missing = 0;
        int numeric = 0;
        Map<String, Integer> counts = new HashMap<>();
        double[] numbers = new double[n];
        for (int i = 0; i < n; i++) {
            numbers[i] = Double.NaN;
            if (values[i] == null) {
                missing++;
                continue;
            }
            counts.merge(values[i].toLowerCase(Locale.ROOT), 1, Integer::sum);
            numbers[i] = parse(values[i]);
            if (!Double.isNaN(numbers[i])) {
                numeric++;
            }
        }
        int present = n - missing;
        if (present == 0 || counts.size() < 2 && missing == 0 || counts.size() == 1 && missing < n / 100) {
            return null;    // empty or constant
        }
        boolean isNumeric = numeric >= 0.98 * present && counts.size() > 2;
        boolean forced = options.categorical().stream().anyMatch(c -> c.equalsIgnoreCase(name));
        if (isNumeric && !forced) {
            return numeric(name, values, numbers, label, missing, options, true);
        }
        if (counts.size() > 0.5 * present && counts.size() > 50) {
            return null;    // an identifier
        }
        return category(name, values, missing, options);
    }

    private static Column numeric(String name, String[] values, double[] numbers, boolean[] label, int missing,
                                  Options options, boolean attribute) {
        int n = values.length;
        TreeMap<Double, int[]> distinct = new TreeMap<>();   // value -> {count, positives}
        Map<Double, Set<String>> spellings = new HashMap<>();
        boolean junk = false;
        for (int i = 0; i < n; i++) {
            if (values[i] == null) {
                continue;
            }
            if (Double.isNaN(numbers[i])) {
                junk = true;
                continue;
            }
            int[] stats = distinct.computeIfAbsent(numbers[i], key -> new int[2]);
            stats[0]++;
            stats[1] += label[i] ? 1 : 0;
            spellings.computeIfAbsent(numbers[i], key -> new TreeSet<>()).add(values[i]);
        }
        int present = distinct.values().stream().mapToInt(s -> s[0]).sum();
        if (present > 0.95 * (n - missing) && distinct.size() > 0.95 * present && distinct.size() > 50) {
            return null;    // a numeric identifier
        }
        List<Double> sentinelValues = attribute ? sentinels(distinct, present) : List.of();
        TreeMap<Double, int[]> regular = new TreeMap<>(distinct);
        sentinelValues.forEach(regular::remove);
        if (regular.isEmpty()) {
            return null;
        }
        boolean integers = regular.keySet().stream().allMatch(v -> v == Math.rint(v));
        boolean codeName = attribute && CODE_NAME.matcher(name.strip()).matches();
        boolean discrete = integers && (regular.size() <= 16 || codeName && regular.size() <= 64);
        double[] sentinels = sentinelValues.stream().mapToDouble(Double::doubleValue).toArray();
        List<Set<String>> sentinelSpellings = sentinelValues.stream().map(spellings::get).toList();
        if (attribute && discrete && (codeName || looksLikeCode(regular, positives(label), label.length))) {
            // a code: one bin per value, grouped by effect like categories
            List<Set<String>> levels = new ArrayList<>();
            Map<Double, Integer> binOf = new HashMap<>();
            for (Map.Entry<Double, int[]> entry : regular.entrySet()) {
                if (entry.getValue()[0] >= options.minCount()) {
                    binOf.put(entry.getKey(), levels.size());
                    levels.add(spellings.get(entry.getKey()));
                }
            }
            int otherBin = binOf.size() < regular.size() ? levels.size() : -1;
            if (otherBin >= 0) {
                levels.add(Set.of());
            }
            if (levels.size() < 2) {
                return null;
            }
            Column shape = new Column(name, Column.Kind.CATEGORY, name, List.of(), OptionalInt.empty(),
                    OptionalDouble.empty(), false, levels.size(), null, null, levels, otherBin, missing > 0,
                    sentinels, sentinelSpellings, junk, null);
            short[] bin = new short[n];
            for (int i = 0; i < n; i++) {
                bin[i] = (short) (values[i] == null ? shape.missingBin : Double.isNaN(numbers[i]) ? shape.junkBin
                        : sentinelBin(shape, numbers[i]) >= 0 ? sentinelBin(shape, numbers[i])
                        : binOf.getOrDefault(numbers[i], otherBin));
            }
            return withBins(shape, bin);
        }
        // ordered bins: each at least present / maxBins cases, a frequent value alone in its bin
        int regularCount = regular.values().stream().mapToInt(s -> s[0]).sum();
        double target = Math.max(1, (double) regularCount / options.maxBins());
        List<double[]> ranges = new ArrayList<>();
        double lo = Double.NaN;
        double hi = Double.NaN;
        int accumulated = 0;
        for (Map.Entry<Double, int[]> entry : regular.entrySet()) {
            int count = entry.getValue()[0];
            if (accumulated > 0 && (discrete || accumulated + count > target * 1.5 || count >= target)) {
                ranges.add(new double[] {lo, hi});
                accumulated = 0;
            }
            if (accumulated == 0) {
                lo = entry.getKey();
            }
            hi = entry.getKey();
            accumulated += count;
            if (!discrete && accumulated >= target) {
                ranges.add(new double[] {lo, hi});
                accumulated = 0;
            }
        }
        if (accumulated > 0) {
            ranges.add(new double[] {lo, hi});
        }
        double[] binMin = ranges.stream().mapToDouble(r -> r[0]).toArray();
        double[] binMax = ranges.stream().mapToDouble(r -> r[1]).toArray();
        Column shape = new Column(name, Column.Kind.NUMBER, name, List.of(), OptionalInt.empty(),
                OptionalDouble.empty(), true, binMin.length, binMin, binMax, List.of(), -1, missing > 0, sentinels,
                sentinelSpellings, junk, null);
        short[] bin = new short[n];
        for (int i = 0; i < n; i++) {
            if (values[i] == null) {
                bin[i] = (short) shape.missingBin;
            } else if (Double.isNaN(numbers[i])) {
                bin[i] = (short) shape.junkBin;
            } else if (sentinelBin(shape, numbers[i]) >= 0) {
                bin[i] = (short) sentinelBin(shape, numbers[i]);
            } else {
                bin[i] = (short) valueBin(binMin, numbers[i]);
            }
        }
        Column column = withBins(shape, bin);
        column.sorted = regularValues(numbers, bin, column.valueBins);
        return column;
    }

    private static double[] regularValues(double[] numbers, short[] bin, int valueBins) {
        double[] values = new double[numbers.length];
        int count = 0;
        for (int i = 0; i < numbers.length; i++) {
            if (bin[i] < valueBins && !Double.isNaN(numbers[i])) {
                values[count++] = numbers[i];
            }
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /** The value bin of a number: the last whose smallest value it reaches. */
    static int valueBin(double[] binMin, double value) {
        int found = Arrays.binarySearch(binMin, value);
        int b = found >= 0 ? found : -found - 2;
        return Math.max(0, Math.min(binMin.length - 1, b));
    }

    private static int sentinelBin(Column column, double value) {
        for (int s = 0; s < column.sentinels.length; s++) {
            if (column.sentinels[s] == value) {
                return column.firstSentinelBin + s;
            }
        }
        return -1;
    }

    /**
     * Values that stand for "none" rather than an amount: the largest value when it is frequent (1% of cases or
     * more) and lies far beyond the others (999 days since a contact that never happened), or a frequent negative
     * value in a column otherwise never negative (-1).
     */
    static List<Double> sentinels(TreeMap<Double, int[]> distinct, int present) {
        List<Double> found = new ArrayList<>();
        if (distinct.size() < 3) {
            return found;
        }
        double max = distinct.lastKey();
        double below = distinct.lowerKey(max);
        double min = distinct.firstKey();
        if (distinct.get(max)[0] >= 0.01 * present && max - below > 2 * (below - min) && max - below >= 10) {
            found.add(max);
        }
        double above = distinct.higherKey(min);
        if (min < 0 && above >= 0 && distinct.get(min)[0] >= 0.01 * present) {
            found.add(min);
        }
        return found;
    }

    private static int positives(boolean[] label) {
        int positives = 0;
        for (boolean y : label) {
            positives += y ? 1 : 0;
        }
        return positives;
    }

    /**
     * Whether a small-integer column behaves like a code (TrafficType 1..20) rather than a count: its conversion
     * rates by value are fitted far better by three groups in any order than by three ranges of the value.
     */
    static boolean looksLikeCode(TreeMap<Double, int[]> regular, int positives, int n) {
        if (regular.size() < 4) {
            return false;
        }
        double base = (double) positives / n;
        int k = regular.size();
        double[] logOdds = new double[k];
        double[] weight = new double[k];
        int i = 0;
        for (int[] stats : regular.values()) {
            double prior = 10;
            logOdds[i] = Math.log((stats[1] + prior * base) / (stats[0] - stats[1] + prior * (1 - base)));
            weight[i] = stats[0];
            i++;
        }
        double ordered = Segmentation.cost(logOdds, weight, 3);
        Integer[] order = new Integer[k];
        for (int j = 0; j < k; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(logOdds[a], logOdds[b]));
        double[] sortedValues = new double[k];
        double[] sortedWeights = new double[k];
        for (int j = 0; j < k; j++) {
            sortedValues[j] = logOdds[order[j]];
            sortedWeights[j] = weight[order[j]];
        }
        double grouped = Segmentation.cost(sortedValues, sortedWeights, 3);
        double total = Segmentation.cost(logOdds, weight, 1);
        return ordered - grouped > 0.25 * total && ordered > 2 * grouped;
    }

    private static Column category(String name, String[] values, int missing, Options options) {
        int n = values.length;
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Set<String>> spellings = new HashMap<>();
        for (String value : values) {
            if (value != null) {
                String key = value.toLowerCase(Locale.ROOT);
                counts.merge(key, 1, Integer::sum);
                spellings.computeIfAbsent(key, k -> new TreeSet<>()).add(value);
            }
        }
        List<Map.Entry<String, Integer>> byCount = new ArrayList<>(counts.entrySet());
        byCount.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> binOf = new LinkedHashMap<>();
        List<Set<String>> levels = new ArrayList<>();
        for (Map.Entry<String, Integer> level : byCount) {
            if (level.getValue() >= options.minCount() && levels.size() < 64) {
                binOf.put(level.getKey(), levels.size());
                levels.add(spellings.get(level.getKey()));
            }
        }
        int otherBin = binOf.size() < counts.size() ? levels.size() : -1;
        if (otherBin >= 0) {
            levels.add(Set.of());
        }
        if (levels.size() + (missing > 0 ? 1 : 0) < 2) {
            return null;
        }
        Column shape = new Column(name, Column.Kind.CATEGORY, name, List.of(), OptionalInt.empty(),
                OptionalDouble.empty(), false, levels.size(), null, null, levels, otherBin, missing > 0,
                new double[0], List.of(), false, null);
        short[] bin = new short[n];
        for (int i = 0; i < n; i++) {
            bin[i] = (short) (values[i] == null ? shape.missingBin
                    : binOf.getOrDefault(values[i].toLowerCase(Locale.ROOT), otherBin));
        }
        return withBins(shape, bin);
    }

    private static Column withBins(Column shape, short[] bin) {
        return new Column(shape.name, shape.kind, shape.field, shape.activityTypes, shape.withinDays,
                shape.halfLifeDays, shape.ordinal, shape.valueBins, shape.binMin, shape.binMax, shape.levels,
                shape.otherBin, shape.missingBin >= 0, shape.sentinels, shape.sentinelSpellings, shape.junkBin >= 0,
                bin);
    }

    /** Whether the column splits the cases exactly as an earlier one does (the same data under two names). */
    private static boolean duplicates(Column column, List<Column> earlier) {
        for (Column other : earlier) {
            if (samePartition(column.bin, other.bin)) {
                return true;
            }
        }
        return false;
    }

    static boolean samePartition(short[] a, short[] b) {
        Map<Short, Short> forward = new HashMap<>();
        Map<Short, Short> backward = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            Short f = forward.putIfAbsent(a[i], b[i]);
            Short r = backward.putIfAbsent(b[i], a[i]);
            if (f != null && f != b[i] || r != null && r != a[i]) {
                return false;
            }
        }
        return true;
    }

    static double parse(String value) {
        try {
            double number = Double.parseDouble(value);
            return Double.isFinite(number) ? number : Double.NaN;
        } catch (NumberFormatException notANumber) {
            return Double.NaN;
        }
    }

    // ---- activities

    /**
     * For each activity type of the cases (and for any type), the count within a window or the decayed count that
     * separates converters best on the training cases, as its own column.
     */
    private static List<Column> activityColumns(List<LabelledCase> cases, boolean[] label, Options options) {
        Set<String> types = new TreeSet<>();
        for (LabelledCase labelled : cases) {
            for (Activity activity : labelled.activities()) {
                types.add(activity.type());
            }
        }
        if (types.isEmpty()) {
            return List.of();
        }
        List<String> candidates = new ArrayList<>(types);
        if (types.size() > 1) {
            candidates.add(ActivityCriterion.ANY);
        }
        int n = cases.size();
        ActivityHistory[] histories = new ActivityHistory[n];
        for (int i = 0; i < n; i++) {
            histories[i] = ActivityHistory.upTo(cases.get(i).asOf(), cases.get(i).activities());
        }
        List<Column> columns = new ArrayList<>();
        for (String type : candidates) {
            Column best = null;
            double bestGain = 0;
            for (int window : WINDOWS) {
                Column column = activityColumn(type, OptionalInt.of(window), OptionalDouble.empty(), cases,
                        histories, label, options);
                double gain = column == null ? 0 : Gains.univariate(column.bin, column.bins, label);
                if (gain > bestGain) {
                    best = column;
                    bestGain = gain;
                }
            }
            for (double halfLife : HALF_LIVES) {
                Column column = activityColumn(type, OptionalInt.empty(), OptionalDouble.of(halfLife), cases,
                        histories, label, options);
                double gain = column == null ? 0 : Gains.univariate(column.bin, column.bins, label);
                if (gain > bestGain * 1.05) {
                    best = column;
                    bestGain = gain;
                }
            }
            if (best != null) {
                columns.add(best);
            }
        }
        return columns;
    }

    private static Column activityColumn(String type, OptionalInt window, OptionalDouble halfLife,
                                         List<LabelledCase> cases, ActivityHistory[] histories, boolean[] label,
                                         Options options) {
        ActivityCriterion criterion = new ActivityCriterion("feature", Category.ENGAGEMENT, List.of(type), 1,
                OptionalDouble.empty(), window, halfLife, Map.of());
        CompiledCriterion compiled = CompiledCriterion.of(criterion);
        CompiledCriterion.Tally tally = new CompiledCriterion.Tally();
        int n = cases.size();
        String[] values = new String[n];
        double[] numbers = new double[n];
        boolean decay = halfLife.isPresent();
        for (int i = 0; i < n; i++) {
            compiled.evaluate(cases.get(i).person(), histories[i], 1, Double.NaN, tally);
            double value = decay ? (tally.fired ? tally.points : 0) : Math.max(0, tally.occurrences);
            numbers[i] = value;
            values[i] = Double.toString(value);
        }
        Column numeric = numeric("activity", values, numbers, label, 0, options, false);
        if (numeric == null || numeric.kind != Column.Kind.NUMBER || numeric.valueBins < 2) {
            return null;
        }
        String name = type.equals(ActivityCriterion.ANY) ? "any activity" : type;
        name = decay ? name + " (half-life " + (int) halfLife.getAsDouble() + " days)"
                : name + " within " + window.getAsInt() + " days";
        Column column = new Column(name, decay ? Column.Kind.ACTIVITY_DECAY : Column.Kind.ACTIVITY_COUNT, null,
                List.of(type), window, halfLife, true, numeric.valueBins, numeric.binMin, numeric.binMax, List.of(),
                -1, false, new double[0], List.of(), false, numeric.bin);
        column.sorted = numeric.sorted;
        return column;
    }
}
