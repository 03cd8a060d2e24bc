package io.leadsync.scoring.eval.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Learns the shape of each column's effect on the log-odds by cyclic gradient boosting of shallow trees on one
 * column at a time (the explainable-boosting idea), then a few pairwise terms chosen by their gain on what the
 * columns alone leave unexplained (FAST: the best four-leaf tree of each pair of columns on the residuals).
 *
 * <p>Bagged: each of {@link Settings#bags()} bags parts the training cases at random (stratified) into cases the
 * trees are fitted on and cases that decide when to stop (the validation log loss stops falling: the shapes of the
 * best round are kept); the bags' shapes are averaged, which smooths the noise any one split leaves. The pairs are
 * chosen once on the averaged shapes and boosted in each bag on top of that bag's shapes. Bags run in parallel;
 * the result is deterministic for the same input and seed.
 */
public final class Booster {

    /**
     * @param learningRate    shrinkage of every tree's values
     * @param maxRounds       most cycles over the columns
     * @param patience        cycles without a better validation loss before stopping
     * @param maxLeaves       leaves of a column's tree
     * @param minLeafCases    fewest training cases in a leaf
     * @param pairBins        most coarse bins of a column in a pairwise term
     * @param bags            bags whose shapes are averaged
     * @param validationShare share of each bag's cases that decides when to stop
     */
    public record Settings(double learningRate, int maxRounds, int patience, int maxLeaves, int minLeafCases,
                           int pairBins, int bags, double validationShare) {
        public static Settings defaults() {
            return new Settings(0.01, 5000, 50, 3, 2, 32, 8, 0.15);
        }
    }

    /** A column's learned shape: one log-odds value per bin (the bags' average). */
    public static final class Main {
        final Column column;
        final double[] value;

        Main(Column column) {
            this.column = column;
            this.value = new double[column.bins];
        }
    }

    /**
     * A pairwise term on coarse bins of two columns (value ranges in order, categories in the order of their
     * learned effect); cases in a special bin or the bin of rare categories of either (coarse bin -1) get nothing.
     */
    public static final class Pair {
        final Column a;
        final Column b;
        final int[] coarseA;
        final int[] coarseB;
        final int na;
        final int nb;
        final double[] value;
        final double gain;

        Pair(Column a, Column b, int[] coarseA, int[] coarseB, double gain) {
            this.a = a;
            this.b = b;
            this.coarseA = coarseA;
            this.coarseB = coarseB;
            this.na = count(coarseA);
            this.nb = count(coarseB);
            this.value = new double[na * nb];
            this.gain = gain;
        }

        @Override
        public String toString() {
            return a.name + " x " + b.name;
        }

        int cell(int i) {
            int x = coarseA[a.bin[i]];
            int y = coarseB[b.bin[i]];
            return x < 0 || y < 0 ? -1 : x * nb + y;
        }

        private static int count(int[] coarse) {
            return Arrays.stream(coarse).max().orElse(-1) + 1;
        }
    }

    /** One bag: its cases (fitted on, checked on) and its own terms, log-odds and probabilities. */
    private final class Bag {
        final int[] fit;
        final int[] check;
        final int[] all;
        final boolean[] fitted;
        final double[] score;
        final double[] p;
        final double[][] mainValue;
        double[][] pairValue = new double[0][];

        Bag(int[] fit, int[] check) {
            this.fit = fit;
            this.check = check;
            this.all = IntStream.concat(Arrays.stream(fit), Arrays.stream(check)).sorted().toArray();
            this.fitted = new boolean[n];
            for (int i : fit) {
                fitted[i] = true;
            }
            score = new double[n];
            p = new double[n];
            mainValue = new double[columns.size()][];
            for (int c = 0; c < columns.size(); c++) {
                mainValue[c] = new double[columns.get(c).bins];
            }
        }
    }

    final List<Column> columns;
    final boolean[] label;
    final int[] rows;
    final Settings settings;
    final int n;
    final double intercept;
    final List<Main> mains = new ArrayList<>();
    final List<Pair> pairs = new ArrayList<>();
    private final List<Bag> bags = new ArrayList<>();

    /**
     * @param rows the cases to learn from (the others are not looked at)
     * @param seed the seed of the bags' splits
     */
    public Booster(List<Column> columns, boolean[] label, int[] rows, Settings settings, long seed) {
        this.columns = List.copyOf(columns);
        this.label = label;
        this.rows = rows.clone();
        this.settings = settings;
        this.n = label.length;
        int positives = 0;
        for (int i : rows) {
            positives += label[i] ? 1 : 0;
        }
        double rate = Math.min(Math.max((double) positives / rows.length, 1e-6), 1 - 1e-6);
        intercept = Math.log(rate / (1 - rate));
        for (Column column : columns) {
            mains.add(new Main(column));
        }
        Random random = new Random(seed);
        for (int k = 0; k < settings.bags(); k++) {
            bags.add(split(random));
        }
    }

    public List<Main> mains() {
        return mains;
    }

    public List<Pair> pairs() {
        return pairs;
    }

    /** The learned log-odds of every case (the averaged terms; cases outside the rows too). */
    public double[] scores() {
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            score[i] = score(i);
        }
        return score;
    }

    /** Boosts the column shapes in every bag until its validation loss stops falling, and averages them. */
    public void fitMains() {
        bags.parallelStream().forEach(this::boostMains);
        for (int c = 0; c < columns.size(); c++) {
            int column = c;
            average(mains.get(c).value, bag -> bag.mainValue[column]);
        }
    }

    /**
     * Ranks every pair of columns by the gain of a four-leaf tree on what the averaged shapes leave unexplained,
     * keeps the {@code count} best and boosts them in every bag (the shapes stay as they are) until its validation
     * loss stops falling; the pairs' values are averaged over the bags.
     */
    public void fitPairs(int count) {
        if (count <= 0) {
            return;
        }
        choosePairs(count);
        if (pairs.isEmpty()) {
            return;
        }
        bags.parallelStream().forEach(this::boostPairs);
        for (int t = 0; t < pairs.size(); t++) {
            int term = t;
            average(pairs.get(t).value, bag -> bag.pairValue[term]);
        }
        pairs.removeIf(pair -> Arrays.stream(pair.value).allMatch(v -> v == 0));
    }

    /** Adds the bags' average of some term's values to {@code into}, bag by bag in order (the same sum each run). */
    private void average(double[] into, java.util.function.Function<Bag, double[]> values) {
        for (Bag bag : bags) {
            double[] value = values.apply(bag);
            for (int k = 0; k < into.length; k++) {
                into[k] += value[k] / bags.size();
            }
        }
    }

    // ---- bags

    private Bag split(Random random) {
        List<Integer> positives = new ArrayList<>();
        List<Integer> negatives = new ArrayList<>();
        for (int i : rows) {
            (label[i] ? positives : negatives).add(i);
        }
        Collections.shuffle(positives, random);
        Collections.shuffle(negatives, random);
        List<Integer> fit = new ArrayList<>();
        List<Integer> check = new ArrayList<>();
        for (List<Integer> group : List.of(positives, negatives)) {
            int checked = (int) Math.round(group.size() * settings.validationShare());
            for (int k = 0; k < group.size(); k++) {
                (k < checked ? check : fit).add(group.get(k));
            }
        }
        return new Bag(fit.stream().mapToInt(Integer::intValue).sorted().toArray(),
                check.stream().mapToInt(Integer::intValue).sorted().toArray());
    }

    private void boostMains(Bag bag) {
        for (int i : bag.all) {
            bag.score[i] = intercept;
            bag.p[i] = sigmoid(intercept);
        }
        int maxBins = columns.stream().mapToInt(column -> column.bins).max().orElse(1);
        double[] g = new double[maxBins];
        double[] h = new double[maxBins];
        int[] count = new int[maxBins];
        double[][] snapshot = untilStopped(bag, bag.mainValue, () -> {
            // each column's step is applied to the cases while the next column's sums are taken (one pass each)
            double[] pending = null;
            short[] pendingBin = null;
            for (int c = 0; c < columns.size(); c++) {
                Column column = columns.get(c);
                short[] bin = column.bin;
                Arrays.fill(g, 0, column.bins, 0);
                Arrays.fill(h, 0, column.bins, 0);
                Arrays.fill(count, 0, column.bins, 0);
                for (int i : bag.all) {
                    if (pending != null) {
                        apply(bag, i, pending[pendingBin[i]]);
                    }
                    if (bag.fitted[i]) {
                        int b = bin[i];
                        double pi = bag.p[i];
                        g[b] += pi - (label[i] ? 1 : 0);
                        h[b] += pi * (1 - pi);
                        count[b]++;
                    }
                }
                pending = mainStep(column, g, h, count);
                pendingBin = bin;
                double[] value = bag.mainValue[c];
                for (int b = 0; b < column.bins; b++) {
                    value[b] += pending[b];
                }
            }
            if (pending != null) {
                for (int i : bag.all) {
                    apply(bag, i, pending[pendingBin[i]]);
                }
            }
        });
        for (int c = 0; c < columns.size(); c++) {
            System.arraycopy(snapshot[c], 0, bag.mainValue[c], 0, snapshot[c].length);
        }
        for (int i : bag.all) {
            double s = intercept;
            for (int c = 0; c < columns.size(); c++) {
                s += bag.mainValue[c][columns.get(c).bin[i]];
            }
            bag.score[i] = s;
            bag.p[i] = sigmoid(s);
        }
    }

    private static void apply(Bag bag, int i, double delta) {
        if (delta != 0) {
            bag.score[i] += delta;
            bag.p[i] = fastSigmoid(bag.score[i]);
        }
    }

    /**
     * One boosting step's change of each bin of a column: a small tree along the value order (or along the order of
     * effect for categories); special bins are their own leaves.
     */
    private double[] mainStep(Column column, double[] g, double[] h, int[] count) {
        int m = column.valueBins;
        Integer[] order = new Integer[m];
        for (int b = 0; b < m; b++) {
            order[b] = b;
        }
        if (!column.ordinal) {
            Arrays.sort(order, Comparator.comparingDouble(b -> h[b] > 0 ? g[b] / h[b] : 0));
        }
        double[] og = new double[m];
        double[] oh = new double[m];
        int[] oc = new int[m];
        for (int k = 0; k < m; k++) {
            og[k] = g[order[k]];
            oh[k] = h[order[k]];
            oc[k] = count[order[k]];
        }
        int[] leafOf = tree(og, oh, oc, settings.maxLeaves(), settings.minLeafCases());
        double[] leafG = new double[m];
        double[] leafH = new double[m];
        for (int k = 0; k < m; k++) {
            leafG[leafOf[k]] += og[k];
            leafH[leafOf[k]] += oh[k];
        }
        double[] delta = new double[column.bins];
        for (int k = 0; k < m; k++) {
            int leaf = leafOf[k];
            delta[order[k]] = leafH[leaf] > 1e-9 ? -settings.learningRate() * leafG[leaf] / leafH[leaf] : 0;
        }
        for (int b = m; b < column.bins; b++) {
            if (column.learned(b) && count[b] >= settings.minLeafCases() && h[b] > 1e-9) {
                delta[b] = -settings.learningRate() * g[b] / h[b];
            }
        }
        return delta;
    }

    /**
     * A tree of at most {@code leaves} leaves over a sequence of bins, split greedily where the gain is largest:
     * the leaf index of each bin (leaves are contiguous ranges).
     */
    static int[] tree(double[] g, double[] h, int[] c, int leaves, int minLeaf) {
        int m = g.length;
        List<int[]> ranges = new ArrayList<>();
        ranges.add(new int[] {0, m});
        while (ranges.size() < leaves) {
            double bestGain = 1e-12;
            int bestRange = -1;
            int bestCut = -1;
            for (int r = 0; r < ranges.size(); r++) {
                int[] range = ranges.get(r);
                double gt = 0;
                double ht = 0;
                int ct = 0;
                for (int k = range[0]; k < range[1]; k++) {
                    gt += g[k];
                    ht += h[k];
                    ct += c[k];
                }
                double gl = 0;
                double hl = 0;
                int cl = 0;
                for (int cut = range[0] + 1; cut < range[1]; cut++) {
                    gl += g[cut - 1];
                    hl += h[cut - 1];
                    cl += c[cut - 1];
                    if (cl < minLeaf || ct - cl < minLeaf) {
                        continue;
                    }
                    double gain = gl * gl / (hl + 1e-9) + (gt - gl) * (gt - gl) / (ht - hl + 1e-9)
                            - gt * gt / (ht + 1e-9);
                    if (gain > bestGain) {
                        bestGain = gain;
                        bestRange = r;
                        bestCut = cut;
                    }
                }
            }
            if (bestRange < 0) {
                break;
            }
            int[] range = ranges.remove(bestRange);
            ranges.add(new int[] {range[0], bestCut});
            ranges.add(new int[] {bestCut, range[1]});
        }
        int[] leafOf = new int[m];
        for (int r = 0; r < ranges.size(); r++) {
            for (int k = ranges.get(r)[0]; k < ranges.get(r)[1]; k++) {
                leafOf[k] = r;
            }
        }
        return leafOf;
    }

    // ---- pairs

    private void choosePairs(int count) {
        int m = columns.size();
        int[][] coarse = new int[m][];
        for (int c = 0; c < m; c++) {
            coarse[c] = coarseBins(mains.get(c));
        }
        double[] g = new double[n];
        double[] h = new double[n];
        for (int i : rows) {
            double pi = sigmoid(score(i));
            g[i] = pi - (label[i] ? 1 : 0);
            h[i] = pi * (1 - pi);
        }
        List<Pair> candidates = new ArrayList<>();
        for (int x = 0; x < m; x++) {
            for (int y = x + 1; y < m; y++) {
                Column a = columns.get(x);
                Column b = columns.get(y);
                if (a.isActivity() && b.isActivity() || a.kind == Column.Kind.ACTIVITY_DECAY
                        || b.kind == Column.Kind.ACTIVITY_DECAY) {
                    continue;
                }
                Pair pair = new Pair(a, b, coarse[x], coarse[y], 0);
                if (pair.na < 2 || pair.nb < 2) {
                    continue;
                }
                double[] gc = new double[pair.na * pair.nb];
                double[] hc = new double[gc.length];
                int[] cc = new int[gc.length];
                for (int i : rows) {
                    int cell = pair.cell(i);
                    if (cell >= 0) {
                        gc[cell] += g[i];
                        hc[cell] += h[i];
                        cc[cell]++;
                    }
                }
                double[] split = bestPairSplit(pair, gc, hc, cc);
                if (split != null && split[0] > 0) {
                    candidates.add(new Pair(a, b, coarse[x], coarse[y], split[0]));
                }
            }
        }
        candidates.sort(Comparator.comparingDouble((Pair pair) -> -pair.gain));
        pairs.addAll(candidates.subList(0, Math.min(count, candidates.size())));
    }

    /**
     * Coarse bins of a column for pairwise terms: each category its own (in the order of its learned effect) when
     * there are few, else value bins in order (numbers) or in the order of effect (categories) pooled into at most
     * {@code pairBins} groups of similar size. Special bins and the bin of rare categories map to -1: a pairwise
     * term never covers them.
     */
    private int[] coarseBins(Main main) {
        Column column = main.column;
        int m = column.valueBins;
        Integer[] order = new Integer[m];
        for (int b = 0; b < m; b++) {
            order[b] = b;
        }
        if (!column.ordinal) {
            Arrays.sort(order, Comparator.comparingDouble(b -> main.value[b]));
        }
        int[] counts = new int[column.bins];
        for (int i : rows) {
            counts[column.bin[i]]++;
        }
        int total = 0;
        for (int b = 0; b < m; b++) {
            if (b != column.otherBin) {
                total += counts[b];
            }
        }
        int[] coarse = new int[column.bins];
        Arrays.fill(coarse, -1);
        boolean own = !column.ordinal && m <= settings.pairBins();
        double target = (double) total / settings.pairBins();
        int group = 0;
        double accumulated = 0;
        for (int k = 0; k < m; k++) {
            int b = order[k];
            if (b == column.otherBin || counts[b] == 0) {
                continue;
            }
            if (accumulated > 0 && (own || accumulated + counts[b] / 2.0 > target * (group + 1))) {
                group++;
            }
            coarse[b] = group;
            accumulated += counts[b];
        }
        return coarse;
    }

    /**
     * The best four-leaf tree on a pair's grid: a cut on one column, then a cut on the other within each side.
     *
     * @return {gain, 1 if the first cut is on column a else 0, first cut, cut below it, cut above it}, or null
     */
    private double[] bestPairSplit(Pair pair, double[] gc, double[] hc, int[] cc) {
        double[] best = null;
        double gt = 0;
        double ht = 0;
        for (int k = 0; k < gc.length; k++) {
            gt += gc[k];
            ht += hc[k];
        }
        double parent = gt * gt / (ht + 1e-9);
        for (int order = 0; order < 2; order++) {
            boolean aFirst = order == 0;
            int outer = aFirst ? pair.na : pair.nb;
            int inner = aFirst ? pair.nb : pair.na;
            // prefix sums over the outer axis of each inner index
            double[][] g = new double[outer + 1][inner];
            double[][] h = new double[outer + 1][inner];
            int[][] c = new int[outer + 1][inner];
            for (int o = 0; o < outer; o++) {
                for (int in = 0; in < inner; in++) {
                    int cell = aFirst ? o * pair.nb + in : in * pair.nb + o;
                    g[o + 1][in] = g[o][in] + gc[cell];
                    h[o + 1][in] = h[o][in] + hc[cell];
                    c[o + 1][in] = c[o][in] + cc[cell];
                }
            }
            for (int cut = 1; cut < outer; cut++) {
                double[] low = innerCut(g[cut], h[cut], c[cut], null, null, null, inner);
                double[] high = innerCut(g[outer], h[outer], c[outer], g[cut], h[cut], c[cut], inner);
                if (low == null || high == null) {
                    continue;
                }
                double gain = low[0] + high[0] - parent;
                if (best == null || gain > best[0]) {
                    best = new double[] {gain, aFirst ? 1 : 0, cut, low[1], high[1]};
                }
            }
        }
        return best;
    }

    /** The best cut of the inner axis of sums {@code g - g0}: {score of the two leaves, cut}, or null. */
    private double[] innerCut(double[] g, double[] h, int[] c, double[] g0, double[] h0, int[] c0, int inner) {
        double gt = 0;
        double ht = 0;
        int ct = 0;
        for (int in = 0; in < inner; in++) {
            gt += g[in] - (g0 == null ? 0 : g0[in]);
            ht += h[in] - (h0 == null ? 0 : h0[in]);
            ct += c[in] - (c0 == null ? 0 : c0[in]);
        }
        int minLeaf = settings.minLeafCases();
        if (ct < minLeaf) {
            return null;
        }
        double best = gt * gt / (ht + 1e-9);
        int bestCut = 0;
        double gl = 0;
        double hl = 0;
        int cl = 0;
        for (int cut = 1; cut < inner; cut++) {
            gl += g[cut - 1] - (g0 == null ? 0 : g0[cut - 1]);
            hl += h[cut - 1] - (h0 == null ? 0 : h0[cut - 1]);
            cl += c[cut - 1] - (c0 == null ? 0 : c0[cut - 1]);
            if (cl < minLeaf || ct - cl < minLeaf) {
                continue;
            }
            double s = gl * gl / (hl + 1e-9) + (gt - gl) * (gt - gl) / (ht - hl + 1e-9);
            if (s > best) {
                best = s;
                bestCut = cut;
            }
        }
        return new double[] {best, bestCut};
    }

    private void boostPairs(Bag bag) {
        bag.pairValue = new double[pairs.size()][];
        int[][] cells = new int[pairs.size()][];
        for (int t = 0; t < pairs.size(); t++) {
            bag.pairValue[t] = new double[pairs.get(t).value.length];
            cells[t] = new int[n];
            for (int i : bag.all) {
                cells[t][i] = pairs.get(t).cell(i);
            }
        }
        double[][] snapshot = untilStopped(bag, bag.pairValue, () -> {
            for (int t = 0; t < pairs.size(); t++) {
                boostPair(bag, t, cells[t]);
            }
        });
        bag.pairValue = snapshot;
    }

    private void boostPair(Bag bag, int t, int[] cellOf) {
        Pair pair = pairs.get(t);
        int cells = pair.na * pair.nb;
        double[] gc = new double[cells];
        double[] hc = new double[cells];
        int[] cc = new int[cells];
        for (int i : bag.fit) {
            int cell = cellOf[i];
            if (cell >= 0) {
                gc[cell] += bag.p[i] - (label[i] ? 1 : 0);
                hc[cell] += bag.p[i] * (1 - bag.p[i]);
                cc[cell]++;
            }
        }
        double[] split = bestPairSplit(pair, gc, hc, cc);
        if (split == null || split[0] <= 1e-12) {
            return;
        }
        boolean aFirst = split[1] == 1;
        int first = (int) split[2];
        int secondLow = (int) split[3];
        int secondHigh = (int) split[4];
        double[] leafG = new double[4];
        double[] leafH = new double[4];
        int[] leafOf = new int[cells];
        for (int x = 0; x < pair.na; x++) {
            for (int y = 0; y < pair.nb; y++) {
                int o = aFirst ? x : y;
                int in = aFirst ? y : x;
                int leaf = o < first ? (in < secondLow ? 0 : 1) : (in < secondHigh ? 2 : 3);
                int cell = x * pair.nb + y;
                leafOf[cell] = leaf;
                leafG[leaf] += gc[cell];
                leafH[leaf] += hc[cell];
            }
        }
        double[] delta = new double[cells];
        double[] value = bag.pairValue[t];
        for (int cell = 0; cell < cells; cell++) {
            int leaf = leafOf[cell];
            delta[cell] = leafH[leaf] > 1e-9 ? -settings.learningRate() * leafG[leaf] / leafH[leaf] : 0;
            value[cell] += delta[cell];
        }
        for (int i : bag.all) {
            int cell = cellOf[i];
            if (cell >= 0) {
                apply(bag, i, delta[cell]);
            }
        }
    }

    // ---- bookkeeping

    /**
     * Runs boosting rounds (each changing {@code values}) until the bag's validation loss has not fallen for
     * {@code patience} rounds: the values of the best round.
     */
    private double[][] untilStopped(Bag bag, double[][] values, Runnable round) {
        double best = loss(bag);
        double[][] snapshot = copy(values);
        int bestRound = 0;
        for (int r = 1; r <= settings.maxRounds(); r++) {
            round.run();
            double loss = loss(bag);
            if (loss < best - 1e-7) {
                best = loss;
                bestRound = r;
                snapshot = copy(values);
            } else if (r - bestRound >= settings.patience()) {
                break;
            }
        }
        return snapshot;
    }

    /** The log loss of a bag's validation cases. */
    private double loss(Bag bag) {
        double loss = 0;
        for (int i : bag.check) {
            double pi = Math.min(Math.max(bag.p[i], 1e-12), 1 - 1e-12);
            loss -= label[i] ? Math.log(pi) : Math.log(1 - pi);
        }
        return loss / Math.max(1, bag.check.length);
    }

    /** The log-odds of a case by the averaged terms. */
    private double score(int i) {
        double s = intercept;
        for (Main main : mains) {
            s += main.value[main.column.bin[i]];
        }
        for (Pair pair : pairs) {
            int cell = pair.cell(i);
            if (cell >= 0) {
                s += pair.value[cell];
            }
        }
        return s;
    }

    private static double[][] copy(double[][] values) {
        double[][] copy = new double[values.length][];
        for (int t = 0; t < values.length; t++) {
            copy[t] = values[t].clone();
        }
        return copy;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static final double SIGMOID_RANGE = 32;
    private static final int SIGMOID_STEPS = 256;
    private static final double[] SIGMOID_TABLE = new double[(int) (2 * SIGMOID_RANGE * SIGMOID_STEPS) + 2];

    static {
        for (int k = 0; k < SIGMOID_TABLE.length; k++) {
            SIGMOID_TABLE[k] = sigmoid(k / (double) SIGMOID_STEPS - SIGMOID_RANGE);
        }
    }

    /**
     * The logistic function by linear interpolation in a table (within 1e-6): boosting steps and their stopping
     * check need no more; the learned log-odds themselves are exact sums.
     */
    static double fastSigmoid(double x) {
        if (x <= -SIGMOID_RANGE) {
            return SIGMOID_TABLE[0];
        }
        if (x >= SIGMOID_RANGE) {
            return SIGMOID_TABLE[SIGMOID_TABLE.length - 2];
        }
        double position = (x + SIGMOID_RANGE) * SIGMOID_STEPS;
        int k = (int) position;
        double fraction = position - k;
        return SIGMOID_TABLE[k] + fraction * (SIGMOID_TABLE[k + 1] - SIGMOID_TABLE[k]);
    }
}
