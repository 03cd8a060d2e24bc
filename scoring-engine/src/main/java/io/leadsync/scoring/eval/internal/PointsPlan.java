package io.leadsync.scoring.eval.internal;

import io.leadsync.scoring.ActivityCriterion;
import io.leadsync.scoring.Category;
import io.leadsync.scoring.Criterion;
import io.leadsync.scoring.FieldCondition;
import io.leadsync.scoring.FieldCriterion;
import io.leadsync.scoring.SegmentCondition;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns learned shapes into a points table within a budget of criteria: each column's shape becomes a handful of
 * bands (contiguous value ranges, or groups of categories, merged where the shape is nearly flat and kept monotone
 * where it nearly is), missing values and sentinels their own band, one band of each column the reference that
 * scores nothing; each pairwise term one or two segment rules. Which column gets how many bands is decided for all
 * at once: the split of the budget that loses least of the learned shapes, each bin weighted by the curvature of the
 * log loss of its cases (a second-order estimate of the likelihood lost). Bands of one column never overlap, so each
 * value falls in exactly one band; categories too rare for a band of their own, and values never seen, score as the
 * reference.
 */
public final class PointsPlan {
    /** A shape this close to monotone (share of its variance a monotone fit leaves) is kept monotone. */
    private static final double MONOTONE_TOLERANCE = 0.12;
    /** Share of the cases of the smaller of two neighbouring bands a cut point may move to become round. */
    private static final double ROUNDING_TOLERANCE = 0.10;
    /** Most value bands of one column. */
    private static final int MAX_BANDS = 6;
    /** Least share of the cases a band of a numeric column holds (no one-minute band between two others). */
    private static final double MIN_BAND_SHARE = 0.01;

    /** A written band of a column: its bins (for ordered columns a contiguous range, ascending). */
    static final class Band {
        int[] bins;

        Band(int[] bins) {
            this.bins = bins;
        }
    }

    /** How one column is written: its written bands, in value order for ordered columns. */
    static final class MainPlan {
        final Column column;
        final Booster.Main shape;
        final List<Band> bands = new ArrayList<>();
        /** +1 rising, -1 falling, 0 neither: the order the fitted points must keep. */
        final int direction;
        /** For a decayed-count column written as one criterion: its cap in occurrences, else NaN. */
        double capOccurrences = Double.NaN;

        MainPlan(Booster.Main shape, int direction) {
            this.column = shape.column;
            this.shape = shape;
            this.direction = direction;
        }

        boolean used() {
            return !bands.isEmpty() || !Double.isNaN(capOccurrences);
        }

        /** The written band of each bin, null for the reference. */
        Band[] byBin() {
            Band[] byBin = new Band[column.bins];
            for (Band band : bands) {
                for (int b : band.bins) {
                    byBin[b] = band;
                }
            }
            return byBin;
        }
    }

    /** A pairwise term's segment rules: rectangles {aFrom, aTo, bFrom, bTo} of its coarse bins, ends exclusive. */
    static final class PairPlan {
        final Booster.Pair pair;
        final List<int[]> rectangles = new ArrayList<>();

        PairPlan(Booster.Pair pair) {
            this.pair = pair;
        }
    }

    /**
     * A written criterion and where it comes from: a band of a column's plan (or its decayed count, band null), or
     * a rule of a pairwise plan.
     */
    public record Slot(Criterion criterion, MainPlan main, Band band, PairPlan pair, int[] rectangle) {
    }

    private final List<MainPlan> mains;
    private final List<PairPlan> pairs;

    private PointsPlan(List<MainPlan> mains, List<PairPlan> pairs) {
        this.mains = mains;
        this.pairs = pairs;
    }

    // ---- choosing by the shapes

    private record Option(int criteria, double loss, Runnable apply) {
    }

    /**
     * The plan within {@code budget} criteria that loses least of the learned shapes: for each column the best
     * grouping of its bins into k bands (contiguous for ordered columns, by effect for categories; monotone where
     * the shape nearly is), for each pairwise term one or two rectangles, and the split of the budget between them
     * (a knapsack over the terms), with each bin weighted by the curvature {@code p(1-p)} of its cases.
     */
    public static PointsPlan choose(Booster booster, double[] weights, int budget) {
        List<List<Option>> options = new ArrayList<>();
        List<MainPlan> mainPlans = new ArrayList<>();
        for (Booster.Main main : booster.mains) {
            MainPlan plan = new MainPlan(main, direction(main));
            mainPlans.add(plan);
            options.add(mainOptions(main, weights, plan));
        }
        List<PairPlan> pairPlans = new ArrayList<>();
        for (Booster.Pair pair : booster.pairs) {
            PairPlan plan = new PairPlan(pair);
            pairPlans.add(plan);
            options.add(pairOptions(pair, weights, plan));
        }
        int terms = options.size();
        double[][] best = new double[terms + 1][budget + 1];
        int[][] pick = new int[terms + 1][budget + 1];
        for (int t = 1; t <= terms; t++) {
            List<Option> choices = options.get(t - 1);
            for (int c = 0; c <= budget; c++) {
                best[t][c] = Double.POSITIVE_INFINITY;
                for (int o = 0; o < choices.size(); o++) {
                    Option option = choices.get(o);
                    if (option.criteria() <= c && best[t - 1][c - option.criteria()] + option.loss() < best[t][c]) {
                        best[t][c] = best[t - 1][c - option.criteria()] + option.loss();
                        pick[t][c] = o;
                    }
                }
            }
        }
        int c = budget;
        for (int t = terms; t >= 1; t--) {
            Option option = options.get(t - 1).get(pick[t][c]);
            option.apply().run();
            c -= option.criteria();
        }
        return new PointsPlan(new ArrayList<>(mainPlans.stream().filter(MainPlan::used).toList()),
                new ArrayList<>(pairPlans.stream().filter(plan -> !plan.rectangles.isEmpty()).toList()));
    }

    /** Whether an ordered column's shape is (nearly) monotone: +1 rising, -1 falling, 0 neither. */
    private static int direction(Booster.Main main) {
        Column column = main.column;
        if (!column.ordinal || column.kind == Column.Kind.ACTIVITY_DECAY || column.valueBins < 3) {
            return 0;
        }
        int m = column.valueBins;
        double[] s = Arrays.copyOf(main.value, m);
        double[] w = new double[m];
        for (short b : column.bin) {
            if (b < m) {
                w[b]++;
            }
        }
        double total = Segmentation.cost(s, w, 1);
        if (total <= 1e-9) {
            return 0;
        }
        double up = Segmentation.distance(s, Segmentation.isotonic(s, w), w);
        double down = Segmentation.distance(s, negate(Segmentation.isotonic(negate(s), w)), w);
        if (Math.min(up, down) > MONOTONE_TOLERANCE * total) {
            return 0;
        }
        return up <= down ? 1 : -1;
    }

    private static List<Option> mainOptions(Booster.Main main, double[] caseWeights, MainPlan plan) {
        Column column = main.column;
        int bins = column.bins;
        double[] w = new double[bins];
        int[] counts = new int[bins];
        for (int i = 0; i < column.bin.length; i++) {
            w[column.bin[i]] += caseWeights[i];
            counts[column.bin[i]]++;
        }
        List<Option> options = new ArrayList<>();
        options.add(new Option(0, variance(main.value, w, column), () -> { }));
        int m = column.valueBins;
        double[] s = Arrays.copyOf(main.value, m);
        double[] ws = Arrays.copyOf(w, m);
        if (column.kind == Column.Kind.ACTIVITY_DECAY) {
            decayOption(column, s, ws, plan).ifPresent(options::add);
            return options;
        }
        Integer[] order = new Integer[m];
        for (int b = 0; b < m; b++) {
            order[b] = b;
        }
        double[] target = s;
        if (plan.direction != 0) {
            target = plan.direction > 0 ? Segmentation.isotonic(s, ws)
                    : negate(Segmentation.isotonic(negate(s), ws));
        } else if (!column.ordinal) {
            Arrays.sort(order, Comparator.comparingDouble(b -> s[b]));
        }
        double[] sortedValues = new double[m];
        double[] sortedWeights = new double[m];
        double[] sortedTarget = new double[m];
        double[] sortedCounts = new double[m];
        for (int k = 0; k < m; k++) {
            sortedValues[k] = s[order[k]];
            sortedWeights[k] = ws[order[k]];
            sortedTarget[k] = target[order[k]];
            sortedCounts[k] = counts[order[k]];
        }
        double minBand = column.kind == Column.Kind.NUMBER ? MIN_BAND_SHARE * column.bin.length : 0;
        List<Integer> specials = new ArrayList<>();
        for (int b = m; b < bins; b++) {
            if (column.learned(b) && counts[b] > 0) {
                specials.add(b);
            }
        }
        int previousGroups = 0;
        for (int k = 1; k <= Math.min(MAX_BANDS, m); k++) {
            int[] starts = Segmentation.starts(sortedTarget, sortedWeights, k, sortedCounts, minBand);
            if (starts.length == previousGroups) {
                continue;
            }
            previousGroups = starts.length;
            List<int[]> groups = new ArrayList<>();
            double loss = 0;
            double[] means = new double[starts.length];
            double[] groupWeights = new double[starts.length];
            for (int g = 0; g < starts.length; g++) {
                int from = starts[g];
                int to = g + 1 < starts.length ? starts[g + 1] : m;
                int[] members = new int[to - from];
                for (int k2 = from; k2 < to; k2++) {
                    members[k2 - from] = order[k2];
                    groupWeights[g] += sortedWeights[k2];
                }
                Arrays.sort(members);
                means[g] = Segmentation.mean(sortedTarget, sortedWeights, from, to);
                for (int k2 = from; k2 < to; k2++) {
                    loss += sortedWeights[k2] * (sortedValues[k2] - means[g]) * (sortedValues[k2] - means[g]);
                }
                groups.add(members);
            }
            int reference = referenceGroup(column, groups, groupWeights);
            double referenceValue = means[reference];
            // specials: their own band, or scored as the reference, the costliest kept first
            List<double[]> specialCosts = new ArrayList<>();
            for (int b : specials) {
                specialCosts.add(new double[] {b, w[b] * (main.value[b] - referenceValue)
                        * (main.value[b] - referenceValue)});
            }
            specialCosts.sort(Comparator.comparingDouble((double[] cost) -> -cost[1]));
            double merged = specialCosts.stream().mapToDouble(cost -> cost[1]).sum();
            for (int kept = 0; kept <= specialCosts.size(); kept++) {
                if (kept > 0) {
                    merged -= specialCosts.get(kept - 1)[1];
                }
                int criteria = groups.size() - 1 + kept;
                if (criteria == 0) {
                    continue;
                }
                List<Integer> keptBins = specialCosts.subList(0, kept).stream().map(cost -> (int) cost[0]).toList();
                options.add(new Option(criteria, loss + merged, () -> {
                    for (int g = 0; g < groups.size(); g++) {
                        if (g != reference) {
                            plan.bands.add(new Band(groups.get(g)));
                        }
                    }
                    keptBins.forEach(b -> plan.bands.add(new Band(new int[] {b})));
                }));
            }
        }
        return options;
    }

    /**
     * The band scoring nothing: that of rare and unseen categories (they have no band of their own), else the one
     * with the most weight.
     */
    private static int referenceGroup(Column column, List<int[]> groups, double[] groupWeights) {
        for (int g = 0; g < groups.size(); g++) {
            for (int b : groups.get(g)) {
                if (b == column.otherBin) {
                    return g;
                }
            }
        }
        int reference = 0;
        for (int g = 1; g < groups.size(); g++) {
            if (groupWeights[g] > groupWeights[reference]) {
                reference = g;
            }
        }
        return reference;
    }

    /** A decayed count written as points per occurrence up to a cap: the best cap and its loss. */
    private static java.util.Optional<Option> decayOption(Column column, double[] s, double[] w, MainPlan plan) {
        int m = s.length;
        double[] x = new double[m];
        for (int b = 0; b < m; b++) {
            x[b] = (column.binMin[b] + column.binMax[b]) / 2;
        }
        double bestLoss = Double.POSITIVE_INFINITY;
        double bestCap = Double.NaN;
        for (int c = 1; c < m; c++) {
            double cap = x[c];
            double sw = 0;
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            for (int b = 0; b < m; b++) {
                double f = Math.min(x[b], cap);
                sw += w[b];
                sx += w[b] * f;
                sy += w[b] * s[b];
                sxx += w[b] * f * f;
                sxy += w[b] * f * s[b];
            }
            double denominator = sw * sxx - sx * sx;
            if (denominator <= 1e-12) {
                continue;
            }
            double slope = (sw * sxy - sx * sy) / denominator;
            double intercept = (sy - slope * sx) / sw;
            double loss = 0;
            for (int b = 0; b < m; b++) {
                double residual = s[b] - intercept - slope * Math.min(x[b], cap);
                loss += w[b] * residual * residual;
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                bestCap = cap;
            }
        }
        if (Double.isNaN(bestCap)) {
            return java.util.Optional.empty();
        }
        double cap = Math.max(1, Math.round(bestCap * 2) / 2.0);
        return java.util.Optional.of(new Option(1, bestLoss, () -> plan.capOccurrences = cap));
    }

    private static List<Option> pairOptions(Booster.Pair pair, double[] caseWeights, PairPlan plan) {
        int na = pair.na;
        int nb = pair.nb;
        double[] w = new double[na * nb];
        for (int i = 0; i < caseWeights.length; i++) {
            int cell = pair.cell(i);
            if (cell >= 0) {
                w[cell] += caseWeights[i];
            }
        }
        double total = 0;
        double weight = 0;
        for (int cell = 0; cell < w.length; cell++) {
            total += w[cell] * pair.value[cell];
            weight += w[cell];
        }
        double mean = weight == 0 ? 0 : total / weight;
        double variance = 0;
        for (int cell = 0; cell < w.length; cell++) {
            variance += w[cell] * (pair.value[cell] - mean) * (pair.value[cell] - mean);
        }
        List<Option> options = new ArrayList<>();
        options.add(new Option(0, variance, () -> { }));
        // the 2x2 split of the coarse grid explaining most of the term
        double bestExplained = -1;
        int[][] bestQuadrants = null;
        double[] bestMeans = null;
        double[] bestWeights = null;
        for (int ca = 1; ca < na; ca++) {
            for (int cb = 1; cb < nb; cb++) {
                int[][] quadrants = {{0, ca, 0, cb}, {0, ca, cb, nb}, {ca, na, 0, cb}, {ca, na, cb, nb}};
                double[] means = new double[4];
                double[] weights = new double[4];
                for (int q = 0; q < 4; q++) {
                    double sum = 0;
                    for (int x = quadrants[q][0]; x < quadrants[q][1]; x++) {
                        for (int y = quadrants[q][2]; y < quadrants[q][3]; y++) {
                            sum += w[x * nb + y] * pair.value[x * nb + y];
                            weights[q] += w[x * nb + y];
                        }
                    }
                    means[q] = weights[q] == 0 ? 0 : sum / weights[q];
                }
                double explained = 0;
                for (int q = 0; q < 4; q++) {
                    explained += weights[q] * (means[q] - mean) * (means[q] - mean);
                }
                if (explained > bestExplained) {
                    bestExplained = explained;
                    bestQuadrants = quadrants;
                    bestMeans = means;
                    bestWeights = weights;
                }
            }
        }
        if (bestQuadrants == null) {
            return options;
        }
        double within = variance - bestExplained;
        int[][] quadrants = bestQuadrants;
        double[] means = bestMeans;
        double[] weights = bestWeights;
        // one rule: one quadrant against the other three; two rules: two quadrants against the other two
        for (int rules = 1; rules <= 2; rules++) {
            double bestLoss = Double.POSITIVE_INFINITY;
            int[] bestChoice = null;
            for (int q1 = 0; q1 < 4; q1++) {
                for (int q2 = rules == 1 ? q1 : q1 + 1; q2 < (rules == 1 ? q1 + 1 : 4); q2++) {
                    Set<Integer> chosen = new HashSet<>(List.of(q1, q2));
                    double restWeight = 0;
                    double restSum = 0;
                    for (int q = 0; q < 4; q++) {
                        if (!chosen.contains(q)) {
                            restWeight += weights[q];
                            restSum += weights[q] * means[q];
                        }
                    }
                    double restMean = restWeight == 0 ? 0 : restSum / restWeight;
                    double loss = within;
                    for (int q = 0; q < 4; q++) {
                        if (!chosen.contains(q)) {
                            loss += weights[q] * (means[q] - restMean) * (means[q] - restMean);
                        }
                    }
                    if (loss < bestLoss) {
                        bestLoss = loss;
                        bestChoice = chosen.stream().mapToInt(Integer::intValue).toArray();
                    }
                }
            }
            int[] choice = bestChoice;
            options.add(new Option(rules, bestLoss, () -> {
                for (int q : choice) {
                    plan.rectangles.add(quadrants[q]);
                }
            }));
        }
        return options;
    }

    private static double variance(double[] value, double[] w, Column column) {
        double total = 0;
        double weight = 0;
        for (int b = 0; b < value.length; b++) {
            if (column.learned(b)) {
                total += w[b] * value[b];
                weight += w[b];
            }
        }
        double mean = weight == 0 ? 0 : total / weight;
        double variance = 0;
        for (int b = 0; b < value.length; b++) {
            if (column.learned(b)) {
                variance += w[b] * (value[b] - mean) * (value[b] - mean);
            }
        }
        return variance;
    }

    // ---- after the fit

    /** Drops a slot's criterion: its band scores as the reference, its rule or decayed count no longer counts. */
    public void drop(Slot slot) {
        if (slot.pair() != null) {
            slot.pair().rectangles.remove(slot.rectangle());
        } else if (slot.band() == null) {
            slot.main().capOccurrences = Double.NaN;
        } else {
            slot.main().bands.remove(slot.band());
        }
    }

    /**
     * Mends the first break of a monotone column's order among the fitted weights of its bands (the reference
     * counting 0): neighbouring bands are merged into one, a band out of line with the reference joins it.
     *
     * @return whether something was merged (fit again then)
     */
    public boolean mergeViolation(List<Slot> slots, double[] weights) {
        Map<Band, Double> weightOf = new HashMap<>();
        for (int s = 0; s < slots.size(); s++) {
            if (slots.get(s).band() != null) {
                weightOf.put(slots.get(s).band(), weights[s]);
            }
        }
        for (MainPlan main : mains) {
            if (main.direction == 0 || main.bands.isEmpty()) {
                continue;
            }
            Band[] byBin = main.byBin();
            List<Band> sequence = new ArrayList<>();
            boolean first = true;
            Band previous = null;
            for (int b = 0; b < main.column.valueBins; b++) {
                if (first || byBin[b] != previous) {
                    sequence.add(byBin[b]);
                    previous = byBin[b];
                    first = false;
                }
            }
            for (int k = 0; k + 1 < sequence.size(); k++) {
                Band low = sequence.get(k);
                Band high = sequence.get(k + 1);
                double wl = low == null ? 0 : weightOf.getOrDefault(low, 0.0);
                double wh = high == null ? 0 : weightOf.getOrDefault(high, 0.0);
                if ((wh - wl) * main.direction >= -1e-9) {
                    continue;
                }
                if (low == null || high == null) {
                    main.bands.remove(low == null ? high : low);
                } else {
                    int[] joined = Arrays.copyOf(low.bins, low.bins.length + high.bins.length);
                    System.arraycopy(high.bins, 0, joined, low.bins.length, high.bins.length);
                    Arrays.sort(joined);
                    low.bins = joined;
                    main.bands.remove(high);
                }
                return true;
            }
        }
        return false;
    }

    /**
     * The pairs of slots (indices into {@code slots}) whose bands may become one: value bands of the same column,
     * next to each other in value order for ordered columns (no reference between them), any two for categories.
     */
    public List<int[]> neighbours(List<Slot> slots) {
        Map<Band, Integer> indexOf = new HashMap<>();
        for (int s = 0; s < slots.size(); s++) {
            if (slots.get(s).band() != null) {
                indexOf.put(slots.get(s).band(), s);
            }
        }
        List<int[]> pairs = new ArrayList<>();
        for (MainPlan main : mains) {
            if (main.column.ordinal) {
                Band[] byBin = main.byBin();
                for (int b = 1; b < main.column.valueBins; b++) {
                    if (byBin[b] != byBin[b - 1] && byBin[b] != null && byBin[b - 1] != null) {
                        pairs.add(new int[] {indexOf.get(byBin[b - 1]), indexOf.get(byBin[b])});
                    }
                }
            } else {
                List<Band> values = main.bands.stream().filter(band -> band.bins[0] < main.column.valueBins)
                        .toList();
                for (int x = 0; x < values.size(); x++) {
                    for (int y = x + 1; y < values.size(); y++) {
                        pairs.add(new int[] {indexOf.get(values.get(x)), indexOf.get(values.get(y))});
                    }
                }
            }
        }
        return pairs;
    }

    /** Makes the bands of two slots of one column one band (the first's). */
    public void join(Slot first, Slot second) {
        Band into = first.band();
        Band other = second.band();
        int[] joined = Arrays.copyOf(into.bins, into.bins.length + other.bins.length);
        System.arraycopy(other.bins, 0, joined, into.bins.length, other.bins.length);
        Arrays.sort(joined);
        into.bins = joined;
        first.main().bands.remove(other);
    }

    // ---- writing

    /** The criteria of the plan, each with weight 1 (the fit gives the weights), and their slots. */
    public List<Slot> criteria() {
        List<Slot> slots = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (MainPlan plan : mains) {
            Column column = plan.column;
            if (!Double.isNaN(plan.capOccurrences)) {
                String name = unique(names, decayName(column));
                slots.add(new Slot(new ActivityCriterion(name, Category.ENGAGEMENT, column.activityTypes, 1,
                        OptionalDouble.of(plan.capOccurrences), OptionalInt.empty(), column.halfLifeDays, Map.of()),
                        plan, null, null, null));
            }
            if (plan.bands.isEmpty()) {
                continue;
            }
            Map<Integer, BigDecimal> cuts = new HashMap<>();
            Band[] byBin = plan.byBin();
            for (Band band : plan.bands) {
                Written written = band(column, band, byBin, cuts);
                slots.add(new Slot(criterion(unique(names, written.name), column, written), plan, band, null, null));
            }
        }
        for (PairPlan plan : pairs) {
            Booster.Pair pair = plan.pair;
            boolean swap = pair.b.isActivity();
            Column first = swap ? pair.b : pair.a;
            Column second = swap ? pair.a : pair.b;
            for (int[] rectangle : plan.rectangles) {
                int[] firstRange = swap ? new int[] {rectangle[2], rectangle[3]} : new int[] {rectangle[0], rectangle[1]};
                int[] secondRange = swap ? new int[] {rectangle[0], rectangle[1]} : new int[] {rectangle[2], rectangle[3]};
                Written main = coarseBand(first, swap ? pair.coarseB : pair.coarseA, firstRange);
                Written when = coarseBand(second, swap ? pair.coarseA : pair.coarseB, secondRange);
                String name = unique(names, main.name + " and " + when.name);
                Criterion base = criterion(name, first, main);
                List<SegmentCondition> condition = List.of(new SegmentCondition(second.field, when.condition));
                slots.add(new Slot(withWhen(base, condition), null, null, plan, rectangle));
            }
        }
        return slots;
    }

    private static int[] counts(Column column) {
        int[] counts = new int[column.bins];
        for (short b : column.bin) {
            counts[b]++;
        }
        return counts;
    }

    private static Criterion withWhen(Criterion criterion, List<SegmentCondition> when) {
        if (criterion instanceof FieldCriterion field) {
            return new FieldCriterion(field.name(), field.category(), field.field(), field.condition(),
                    field.points(), when);
        }
        ActivityCriterion activity = (ActivityCriterion) criterion;
        return new ActivityCriterion(activity.name(), activity.category(), activity.activityTypes(),
                activity.points(), activity.max(), activity.withinDays(), activity.halfLifeDays(), activity.where(),
                activity.atLeast(), activity.atMost(), when);
    }

    /** One band as written: its condition on a field (or its count bounds on activities) and its name. */
    private record Written(String name, FieldCondition condition, OptionalInt atLeast, OptionalInt atMost) {
    }

    private static Criterion criterion(String name, Column column, Written band) {
        if (column.kind == Column.Kind.ACTIVITY_COUNT) {
            return new ActivityCriterion(name, Category.ENGAGEMENT, column.activityTypes, 1, OptionalDouble.empty(),
                    column.withinDays, OptionalDouble.empty(), Map.of(), band.atLeast, band.atMost);
        }
        return new FieldCriterion(name, Category.FIT, column.field, band.condition, 1);
    }

    private static Written band(Column column, Band band, Band[] byBin, Map<Integer, BigDecimal> cuts) {
        int[] bins = band.bins;
        if (bins.length == 1 && bins[0] >= column.valueBins) {
            return special(column, bins[0]);
        }
        return written(column, bins, b -> cuts.computeIfAbsent(b, at -> boundary(column, at, byBin)));
    }

    /**
     * The band of some value bins: categories grouped, counts as count rules, numbers as a range whose inner ends
     * are the cuts {@code cutAt} gives at a value-bin boundary (the outer ends: none, or short of a sentinel).
     */
    private static Written written(Column column, int[] bins, java.util.function.IntFunction<BigDecimal> cutAt) {
        if (!column.ordinal) {
            return levels(column, bins);
        }
        int from = bins[0];
        int to = bins[bins.length - 1];
        if (column.kind == Column.Kind.ACTIVITY_COUNT) {
            return countBand(column, from, to);
        }
        BigDecimal lower = from == 0 ? lowerEnd(column) : cutAt.apply(from);
        BigDecimal upper = to == column.valueBins - 1 ? upperEnd(column) : cutAt.apply(to + 1);
        if (lower != null && upper != null && lower.compareTo(upper) >= 0) {
            lower = NiceNumbers.plain(column.binMin[from]);
            upper = NiceNumbers.plain(column.binMin[to + 1]);
        }
        return numberBand(column, lower, upper);
    }

    /** The round cut between value bins {@code b - 1} and {@code b}, moving few cases of the two segments it parts. */
    private static BigDecimal boundary(Column column, int b, Band[] byBin) {
        int[] counts = counts(column);
        int below = 0;
        for (int k = b - 1; k >= 0 && byBin[k] == byBin[b - 1]; k--) {
            below += counts[k];
        }
        int above = 0;
        for (int k = b; k < column.valueBins && byBin[k] == byBin[b]; k++) {
            above += counts[k];
        }
        return cutWithin(column, b, (int) (ROUNDING_TOLERANCE * Math.min(below, above)));
    }

    private static Written numberBand(Column column, BigDecimal lower, BigDecimal upper) {
        String name = column.name + (lower == null ? " below " + upper.toPlainString()
                : upper == null ? " at least " + lower.toPlainString()
                : " " + lower.toPlainString() + " to below " + upper.toPlainString());
        FieldCondition condition = upper == null ? new FieldCondition.AtLeast(lower)
                : new FieldCondition.Between(lower, upper);
        return new Written(name, condition, OptionalInt.empty(), OptionalInt.empty());
    }

    private static Written countBand(Column column, int fromBin, int toBin) {
        int low = (int) column.binMin[fromBin];
        boolean last = toBin == column.valueBins - 1;
        int high = last ? -1 : (int) column.binMin[toBin + 1] - 1;
        String what = column.activityTypes.get(0).equals(ActivityCriterion.ANY) ? "activities"
                : column.activityTypes.get(0).replace('_', ' ');
        String window = " in " + column.withinDays.getAsInt() + " days";
        String name;
        if (low == 0 && high == 0) {
            name = "no " + what + window;
        } else if (last) {
            name = low + "+ " + what + window;
        } else if (low == high) {
            name = low + " " + what + window;
        } else {
            name = low + "-" + high + " " + what + window;
        }
        return new Written(name, null, low >= 1 ? OptionalInt.of(low) : OptionalInt.empty(),
                last ? OptionalInt.empty() : OptionalInt.of(high));
    }

    private static Written levels(Column column, int[] bins) {
        Set<String> values = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        for (int b : bins) {
            for (String value : column.levels.get(b)) {
                if (seen.add(value.toLowerCase(Locale.ROOT))) {
                    values.add(value);
                }
            }
        }
        List<String> list = new ArrayList<>(values);
        FieldCondition condition = list.size() == 1 ? new FieldCondition.Equals(list.get(0))
                : new FieldCondition.In(list);
        String shown = list.size() <= 3 ? String.join(", ", list)
                : String.join(", ", list.subList(0, 2)) + " and " + (list.size() - 2) + " more";
        return new Written(column.name + " is " + shown, condition, OptionalInt.empty(), OptionalInt.empty());
    }

    private static Written special(Column column, int b) {
        if (b == column.missingBin) {
            return new Written(column.name + " missing", new FieldCondition.Present(false), OptionalInt.empty(),
                    OptionalInt.empty());
        }
        int s = b - column.firstSentinelBin;
        List<String> spellings = new ArrayList<>(column.sentinelSpellings.get(s));
        FieldCondition condition = spellings.size() == 1 ? new FieldCondition.Equals(spellings.get(0))
                : new FieldCondition.In(spellings);
        return new Written(column.name + " is " + spellings.get(0), condition, OptionalInt.empty(),
                OptionalInt.empty());
    }

    /** A band of a pairwise rule: coarse bins {@code [from, to)} of a column. */
    private static Written coarseBand(Column column, int[] coarse, int[] range) {
        List<Integer> bins = new ArrayList<>();
        for (int b = 0; b < column.valueBins; b++) {
            if (coarse[b] >= range[0] && coarse[b] < range[1]) {
                bins.add(b);
            }
        }
        int[] members = bins.stream().mapToInt(Integer::intValue).toArray();
        int[] counts = counts(column);
        int inside = 0;
        for (int b : members) {
            inside += counts[b];
        }
        int cases = inside;
        return written(column, members, b -> {
            int outside = 0;
            for (int k = 0; k < column.valueBins; k++) {
                outside += (b <= members[0] ? k < b : k >= b) ? counts[k] : 0;
            }
            return cutWithin(column, b, (int) (ROUNDING_TOLERANCE * Math.min(outside, cases)));
        });
    }

    /** The lower end of a numeric column's first band: none, or just above a negative sentinel (-1). */
    private static BigDecimal lowerEnd(Column column) {
        for (double sentinel : column.sentinels) {
            if (sentinel < column.binMin[0]) {
                return NiceNumbers.roundest(sentinel, column.binMin[0], column.binMin[0]);
            }
        }
        return null;
    }

    /** The upper end of a numeric column's last band: none, or its sentinel (999: the band ends below it). */
    private static BigDecimal upperEnd(Column column) {
        for (double sentinel : column.sentinels) {
            if (sentinel > column.binMax[column.valueBins - 1]) {
                return NiceNumbers.plain(sentinel);
            }
        }
        return null;
    }

    /** A round cut between value bin {@code start - 1} and {@code start}, moving at most {@code moved} cases. */
    private static BigDecimal cutWithin(Column column, int start, int moved) {
        double exact = column.binMin[start];
        double[] sorted = column.sorted;
        int index = Arrays.binarySearch(sorted, exact);
        if (index < 0) {
            index = -index - 1;
        }
        while (index > 0 && sorted[index - 1] == exact) {
            index--;
        }
        double low = index - moved - 1 >= 0 ? sorted[index - moved - 1] : Double.NEGATIVE_INFINITY;
        low = Math.max(low, column.binMin[start - 1]);
        double high = Math.min(sorted[Math.min(sorted.length - 1, index + moved)], column.binMax[start]);
        return NiceNumbers.roundest(low, high, exact);
    }

    private static String decayName(Column column) {
        String type = column.activityTypes.get(0);
        String what = type.equals(ActivityCriterion.ANY) ? "Each activity" : "Each " + type.replace('_', ' ');
        return what + " (half-life " + (int) column.halfLifeDays.getAsDouble() + " days)";
    }

    private static String unique(Set<String> names, String name) {
        String candidate = name;
        int suffix = 2;
        while (!names.add(candidate.toLowerCase(Locale.ROOT))) {
            candidate = name + " (" + suffix++ + ")";
        }
        return candidate;
    }

    private static double[] negate(double[] values) {
        double[] negated = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            negated[i] = -values[i];
        }
        return negated;
    }
}
