package io.leadsync.scoring.eval.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Learns the shape of each column's effect on the log-odds by cyclic gradient boosting of shallow trees on one
 * column at a time (the explainable-boosting idea), then a few pairwise terms chosen by their gain on what the
 * columns alone leave unexplained. Rounds stop when the log loss of the validation cases stops falling; the shapes
 * of the best round are kept. Deterministic for the same input.
 */
public final class Booster {

    /**
     * @param learningRate   shrinkage of every tree's values
     * @param maxRounds      most cycles over the columns
     * @param patience       cycles without a better validation loss before stopping
     * @param maxLeaves      leaves of a column's tree
     * @param minLeafCases   fewest training cases in a leaf
     * @param pairBins       coarse bins of a column in a pairwise term
     */
    public record Settings(double learningRate, int maxRounds, int patience, int maxLeaves, int minLeafCases,
                           int pairBins) {
        public static Settings defaults() {
            return new Settings(0.05, 3000, 40, 3, 8, 8);
        }
    }

    /** A column's learned shape: one log-odds value per bin. */
    public static final class Main {
        final Column column;
        final double[] value;

        Main(Column column) {
            this.column = column;
            this.value = new double[column.bins];
        }
    }

    /** A pairwise term on coarse bins of two columns; cases in a special bin of either (-1) get nothing. */
    public static final class Pair {
        final Column a;
        final Column b;
        final int[] coarseA;
        final int[] coarseB;
        final int na;
        final int nb;
        final double[] value;
        final double gain;

        Pair(Column a, Column b, int[] coarseA, int[] coarseB, int na, int nb, double gain) {
            this.a = a;
            this.b = b;
            this.coarseA = coarseA;
            this.coarseB = coarseB;
            this.na = na;
            this.nb = nb;
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
    }

    final List<Column> columns;
    final boolean[] label;
    final boolean[] train;
    final Settings settings;
    final int n;
    double intercept;
    final double[] score;
    final double[] p;
    final List<Main> mains = new ArrayList<>();
    final List<Pair> pairs = new ArrayList<>();
    int mainRounds;
    int pairRounds;

    /**
     * @param train which cases the trees are fitted on; the others decide when to stop
     */
    public Booster(List<Column> columns, boolean[] label, boolean[] train, Settings settings) {
        this.columns = List.copyOf(columns);
        this.label = label;
        this.train = train;
        this.settings = settings;
        this.n = label.length;
        int positives = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (train[i]) {
                count++;
                positives += label[i] ? 1 : 0;
            }
        }
        double rate = Math.min(Math.max((double) positives / count, 1e-6), 1 - 1e-6);
        intercept = Math.log(rate / (1 - rate));
        score = new double[n];
        p = new double[n];
        Arrays.fill(score, intercept);
        Arrays.fill(p, rate);
        for (Column column : columns) {
            mains.add(new Main(column));
        }
    }

    public List<Main> mains() {
        return mains;
    }

    public List<Pair> pairs() {
        return pairs;
    }

    public double intercept() {
        return intercept;
    }

    /** The learned log-odds of every case (training and validation). */
    public double[] scores() {
        return score.clone();
    }

    /** Boosts the column shapes until the validation loss stops falling. */
    public void fitMains() {
        int bestRound = 0;
        double best = validationLoss();
        double[][] snapshot = snapshotMains();
        int rounds = 0;
        for (int round = 1; round <= settings.maxRounds(); round++) {
            for (Main main : mains) {
                boostMain(main);
            }
            rounds = round;
            double loss = validationLoss();
            if (loss < best - 1e-7) {
                best = loss;
                bestRound = round;
                snapshot = snapshotMains();
            } else if (round - bestRound >= settings.patience()) {
                break;
            }
        }
        restoreMains(snapshot);
        mainRounds = bestRound;
    }

    /**
     * Ranks every pair of columns by the gain of a four-leaf tree on what the shapes leave unexplained, keeps the
     * {@code count} best and boosts them (the shapes stay as they are) until the validation loss stops falling.
     */
    public void fitPairs(int count) {
        if (count <= 0) {
            return;
        }
        List<Pair> candidates = new ArrayList<>();
        int[][] coarse = new int[columns.size()][];
        int[] coarseCount = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            coarse[c] = coarseBins(mains.get(c));
            coarseCount[c] = Arrays.stream(coarse[c]).max().orElse(-1) + 1;
        }
        double[] g = new double[n];
        double[] h = new double[n];
        gradients(g, h);
        for (int x = 0; x < columns.size(); x++) {
            for (int y = x + 1; y < columns.size(); y++) {
                Column a = columns.get(x);
                Column b = columns.get(y);
                if (a.isActivity() && b.isActivity() || a.kind == Column.Kind.ACTIVITY_DECAY
                        || b.kind == Column.Kind.ACTIVITY_DECAY || coarseCount[x] < 2 || coarseCount[y] < 2) {
                    continue;
                }
                Pair pair = new Pair(a, b, coarse[x], coarse[y], coarseCount[x], coarseCount[y], 0);
                double[] gc = new double[pair.na * pair.nb];
                double[] hc = new double[gc.length];
                int[] cc = new int[gc.length];
                histogram(pair, g, h, gc, hc, cc);
                Split split = bestPairSplit(pair, gc, hc, cc);
                if (split != null && split.gain > 0) {
                    candidates.add(new Pair(a, b, coarse[x], coarse[y], coarseCount[x], coarseCount[y], split.gain));
                }
            }
        }
        candidates.sort(Comparator.comparingDouble((Pair pair) -> -pair.gain));
        pairs.addAll(candidates.subList(0, Math.min(count, candidates.size())));
        if (pairs.isEmpty()) {
            return;
        }
        int bestRound = 0;
        double best = validationLoss();
        double[][] snapshot = snapshotPairs();
        for (int round = 1; round <= settings.maxRounds(); round++) {
            for (Pair pair : pairs) {
                boostPair(pair);
            }
            double loss = validationLoss();
            if (loss < best - 1e-7) {
                best = loss;
                bestRound = round;
                snapshot = snapshotPairs();
            } else if (round - bestRound >= settings.patience()) {
                break;
            }
        }
        restorePairs(snapshot);
        pairRounds = bestRound;
        int kept = 0;
        for (int i = 0; i < pairs.size(); i++) {
            if (Arrays.stream(pairs.get(i).value).anyMatch(v -> v != 0)) {
                pairs.set(kept++, pairs.get(i));
            }
        }
        pairs.subList(kept, pairs.size()).clear();
    }

    // ---- one column

    private void boostMain(Main main) {
        Column column = main.column;
        int bins = column.bins;
        double[] g = new double[bins];
        double[] h = new double[bins];
        int[] c = new int[bins];
        short[] bin = column.bin;
        for (int i = 0; i < n; i++) {
            if (train[i]) {
                int b = bin[i];
                double pi = p[i];
                g[b] += pi - (label[i] ? 1 : 0);
                h[b] += pi * (1 - pi);
                c[b]++;
            }
        }
        double[] delta = new double[bins];
        // value bins: a small tree along the value order, or along the order of effect for categories
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
            oc[k] = c[order[k]];
        }
        int[] leafOf = tree(og, oh, oc, settings.maxLeaves());
        double[] leafG = new double[m];
        double[] leafH = new double[m];
        for (int k = 0; k < m; k++) {
            leafG[leafOf[k]] += og[k];
            leafH[leafOf[k]] += oh[k];
        }
        for (int k = 0; k < m; k++) {
            int leaf = leafOf[k];
            delta[order[k]] = leafH[leaf] > 1e-9 ? -settings.learningRate() * leafG[leaf] / leafH[leaf] : 0;
        }
        // special bins are their own leaves
        for (int b = m; b < bins; b++) {
            if (column.learned(b) && c[b] >= settings.minLeafCases() && h[b] > 1e-9) {
                delta[b] = -settings.learningRate() * g[b] / h[b];
            }
        }
        for (int b = 0; b < bins; b++) {
            main.value[b] += delta[b];
        }
        for (int i = 0; i < n; i++) {
            double d = delta[bin[i]];
            if (d != 0) {
                score[i] += d;
                p[i] = sigmoid(score[i]);
            }
        }
    }

    /**
     * A tree of at most {@code leaves} leaves over a sequence of bins, split greedily where the gain is largest:
     * the leaf index of each bin (leaves are contiguous ranges).
     */
    int[] tree(double[] g, double[] h, int[] c, int leaves) {
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
                    if (cl < settings.minLeafCases() || ct - cl < settings.minLeafCases()) {
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

    /**
     * Coarse bins of a column for pairwise terms: its value bins in value order (numbers) or in the order of their
     * learned effect (categories), pooled into at most {@code pairBins} groups of similar size. Special bins and
     * the bin of rare categories map to -1: a pairwise term never covers them.
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
        for (int i = 0; i < n; i++) {
            if (train[i]) {
                counts[column.bin[i]]++;
            }
        }
        int total = 0;
        for (int b = 0; b < m; b++) {
            if (b != column.otherBin) {
                total += counts[b];
            }
        }
        int[] coarse = new int[column.bins];
        Arrays.fill(coarse, -1);
        double target = (double) total / settings.pairBins();
        int group = 0;
        double accumulated = 0;
        for (int k = 0; k < m; k++) {
            int b = order[k];
            if (b == column.otherBin || counts[b] == 0) {
                continue;
            }
            if (accumulated > 0 && accumulated + counts[b] / 2.0 > target * (group + 1)) {
                group++;
            }
            coarse[b] = group;
            accumulated += counts[b];
        }
        return coarse;
    }

    private record Split(double gain, boolean aFirst, int first, int secondLow, int secondHigh) {
    }

    private void histogram(Pair pair, double[] g, double[] h, double[] gc, double[] hc, int[] cc) {
        for (int i = 0; i < n; i++) {
            if (!train[i]) {
                continue;
            }
            int cell = pair.cell(i);
            if (cell >= 0) {
                gc[cell] += g[i];
                hc[cell] += h[i];
                cc[cell]++;
            }
        }
    }

    /** The best four-leaf tree: a cut on one column, then a cut on the other within each side. */
    private Split bestPairSplit(Pair pair, double[] gc, double[] hc, int[] cc) {
        Split best = null;
        for (boolean aFirst : new boolean[] {true, false}) {
            int outer = aFirst ? pair.na : pair.nb;
            int inner = aFirst ? pair.nb : pair.na;
            // sums along the inner axis for each outer index
            double[][] g = new double[outer][inner];
            double[][] h = new double[outer][inner];
            int[][] c = new int[outer][inner];
            for (int x = 0; x < pair.na; x++) {
                for (int y = 0; y < pair.nb; y++) {
                    int o = aFirst ? x : y;
                    int in = aFirst ? y : x;
                    g[o][in] += gc[x * pair.nb + y];
                    h[o][in] += hc[x * pair.nb + y];
                    c[o][in] += cc[x * pair.nb + y];
                }
            }
            for (int cut = 1; cut < outer; cut++) {
                double[] low = bestInnerCut(g, h, c, 0, cut, inner);
                double[] high = bestInnerCut(g, h, c, cut, outer, inner);
                if (low == null || high == null) {
                    continue;
                }
                double gain = low[0] + high[0];
                double gt = 0;
                double ht = 0;
                for (int o = 0; o < outer; o++) {
                    for (int in = 0; in < inner; in++) {
                        gt += g[o][in];
                        ht += h[o][in];
                    }
                }
                gain -= gt * gt / (ht + 1e-9);
                if (best == null || gain > best.gain) {
                    best = new Split(gain, aFirst, cut, (int) low[1], (int) high[1]);
                }
            }
        }
        return best;
    }

    /** The best cut of the inner axis over outer rows [from, to): {score of the two leaves, cut}. */
    private double[] bestInnerCut(double[][] g, double[][] h, int[][] c, int from, int to, int inner) {
        double[] gi = new double[inner];
        double[] hi = new double[inner];
        int[] ci = new int[inner];
        for (int o = from; o < to; o++) {
            for (int in = 0; in < inner; in++) {
                gi[in] += g[o][in];
                hi[in] += h[o][in];
                ci[in] += c[o][in];
            }
        }
        double gt = Arrays.stream(gi).sum();
        double ht = Arrays.stream(hi).sum();
        int ct = Arrays.stream(ci).sum();
        if (ct < settings.minLeafCases()) {
            return null;
        }
        double best = gt * gt / (ht + 1e-9);
        int bestCut = 0;
        double gl = 0;
        double hl = 0;
        int cl = 0;
        for (int cut = 1; cut < inner; cut++) {
            gl += gi[cut - 1];
            hl += hi[cut - 1];
            cl += ci[cut - 1];
            if (cl < settings.minLeafCases() || ct - cl < settings.minLeafCases()) {
                continue;
            }
            double score = gl * gl / (hl + 1e-9) + (gt - gl) * (gt - gl) / (ht - hl + 1e-9);
            if (score > best) {
                best = score;
                bestCut = cut;
            }
        }
        return new double[] {best, bestCut};
    }

    private void boostPair(Pair pair) {
        int cells = pair.na * pair.nb;
        double[] gc = new double[cells];
        double[] hc = new double[cells];
        int[] cc = new int[cells];
        for (int i = 0; i < n; i++) {
            if (!train[i]) {
                continue;
            }
            int cell = pair.cell(i);
            if (cell >= 0) {
                gc[cell] += p[i] - (label[i] ? 1 : 0);
                hc[cell] += p[i] * (1 - p[i]);
                cc[cell]++;
            }
        }
        Split split = bestPairSplit(pair, gc, hc, cc);
        if (split == null || split.gain <= 1e-12) {
            return;
        }
        double[] leafG = new double[4];
        double[] leafH = new double[4];
        int[] leafOf = new int[cells];
        for (int x = 0; x < pair.na; x++) {
            for (int y = 0; y < pair.nb; y++) {
                int o = split.aFirst ? x : y;
                int in = split.aFirst ? y : x;
                int leaf = o < split.first ? (in < split.secondLow ? 0 : 1) : (in < split.secondHigh ? 2 : 3);
                int cell = x * pair.nb + y;
                leafOf[cell] = leaf;
                leafG[leaf] += gc[cell];
                leafH[leaf] += hc[cell];
            }
        }
        double[] delta = new double[cells];
        for (int cell = 0; cell < cells; cell++) {
            int leaf = leafOf[cell];
            delta[cell] = leafH[leaf] > 1e-9 ? -settings.learningRate() * leafG[leaf] / leafH[leaf] : 0;
            pair.value[cell] += delta[cell];
        }
        for (int i = 0; i < n; i++) {
            int cell = pair.cell(i);
            if (cell >= 0 && delta[cell] != 0) {
                score[i] += delta[cell];
                p[i] = sigmoid(score[i]);
            }
        }
    }

    // ---- bookkeeping

    private void gradients(double[] g, double[] h) {
        for (int i = 0; i < n; i++) {
            g[i] = p[i] - (label[i] ? 1 : 0);
            h[i] = p[i] * (1 - p[i]);
        }
    }

    double validationLoss() {
        double loss = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (!train[i]) {
                double pi = Math.min(Math.max(p[i], 1e-12), 1 - 1e-12);
                loss -= label[i] ? Math.log(pi) : Math.log(1 - pi);
                count++;
            }
        }
        return count == 0 ? 0 : loss / count;
    }

    private double[][] snapshotMains() {
        return snapshot(mains.stream().map(main -> main.value).toList());
    }

    private void restoreMains(double[][] snapshot) {
        restore(snapshot, mains.stream().map(main -> main.value).toList());
    }

    private double[][] snapshotPairs() {
        return snapshot(pairs.stream().map(pair -> pair.value).toList());
    }

    private void restorePairs(double[][] snapshot) {
        restore(snapshot, pairs.stream().map(pair -> pair.value).toList());
    }

    private static double[][] snapshot(List<double[]> values) {
        double[][] copy = new double[values.size()][];
        for (int t = 0; t < copy.length; t++) {
            copy[t] = values.get(t).clone();
        }
        return copy;
    }

    /** Puts the values of the best round back and recomputes every case's log-odds from them. */
    private void restore(double[][] snapshot, List<double[]> values) {
        for (int t = 0; t < snapshot.length; t++) {
            System.arraycopy(snapshot[t], 0, values.get(t), 0, snapshot[t].length);
        }
        recompute();
    }

    private void recompute() {
        for (int i = 0; i < n; i++) {
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
            score[i] = s;
            p[i] = sigmoid(s);
        }
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
