package io.leadsync.identity.linkage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Probabilistic record linkage in the Fellegi-Sunter model, for the records no deterministic link joins: the same
 * person with a typo, a nickname, a moved address.
 * <ol>
 *   <li><b>Blocking.</b> Only records sharing a blocking key are compared: the exact value of each selective field
 *       (one whose values are mostly distinct, e.g. a date of birth or an id), and the first three characters of
 *       every pair of fields. Blocks larger than {@code maxBlockSize} are skipped (and counted), so the cost grows
 *       near-linearly with the records rather than with their pairs.</li>
 *   <li><b>Comparison.</b> Each field of a candidate pair gets an agreement level ({@link FieldKind}); a missing
 *       value is no evidence.</li>
 *   <li><b>Weights.</b> For each field and level, {@code m} (how often true matches show it) and {@code u} (how
 *       often non-matches do). {@code m}, {@code u} and the share of matches among candidates are estimated by
 *       expectation-maximization over the candidate pairs, starting from {@code u} measured on random pairs. A pair's
 *       weight is {@code Σ log2(m/u)} plus the prior log-odds; its probability follows.</li>
 *   <li><b>Decision.</b> Pairs at or above {@code matchProbability} are matches; those at or above
 *       {@code reviewProbability} are possible matches, kept for review and never merged. When linking two
 *       sources that each hold a person once, {@code oneToOne} keeps each record's best match only.</li>
 *   <li><b>Clusters.</b> Matches are joined transitively; a cluster's id is its smallest record id, so the same
 *       records give the same ids on every run.</li>
 * </ol>
 * Deterministic for the same input and options.
 */
public final class RecordLinker {

    /**
     * A field to compare.
     *
     * @param name the field's name
     * @param kind how its values are compared
     */
    public record Field(String name, FieldKind kind) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * A record: its id, the source it comes from (linking two sources compares only across them), and its
     * normalized field values in the order of the fields (null when missing).
     */
    public record Record(String id, int source, String[] values) {
        public Record {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(values, "values");
        }
    }

    /**
     * How to decide.
     *
     * @param matchProbability  a pair at or above it is a match
     * @param reviewProbability a pair at or above it (and below a match) is kept for review
     * @param maxBlockSize      blocks with more records are skipped
     * @param emIterations      expectation-maximization rounds
     * @param uSamplePairs      random pairs {@code u} is measured on
     * @param oneToOne          when linking sources, keep each record's best match only
     * @param seed              for the random pairs
     */
    public record Options(double matchProbability, double reviewProbability, int maxBlockSize, int emIterations,
                          int uSamplePairs, boolean oneToOne, long seed) {
        public static Options defaults() {
            return new Options(0.5, 0.1, 50, 25, 200_000, false, 42);
        }

        public Options withOneToOne(boolean value) {
            return new Options(matchProbability, reviewProbability, maxBlockSize, emIterations, uSamplePairs, value,
                    seed);
        }

        public Options withMatchProbability(double value) {
            return new Options(value, Math.min(reviewProbability, value), maxBlockSize, emIterations, uSamplePairs,
                    oneToOne, seed);
        }
    }

    /**
     * A compared pair.
     *
     * @param a           index of one record in the input
     * @param b           index of the other
     * @param weight      the match weight in bits: prior log-odds plus the fields' log2(m/u)
     * @param probability the probability that the two are one person
     */
    public record Pair(int a, int b, double weight, double probability) {
    }

    /**
     * What linking found.
     *
     * @param matches         pairs judged the same person
     * @param possible        pairs kept for review
     * @param candidatePairs  pairs compared after blocking
     * @param skippedBlocks   blocks left out for their size
     * @param clusterIds      per input record, its cluster's id (the smallest record id in it)
     * @param m               per field and level, the estimated share among matches
     * @param u               per field and level, the estimated share among non-matching candidates
     * @param matchShare      the estimated share of matches among candidate pairs
     */
    public record Result(List<Pair> matches, List<Pair> possible, long candidatePairs, int skippedBlocks,
                         String[] clusterIds, double[][] m, double[][] u, double matchShare) {
    }

    private final List<Field> fields;
    private final Options options;

    public RecordLinker(List<Field> fields, Options options) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("linking needs at least one field");
        }
        this.fields = List.copyOf(fields);
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Links the records: within one source, duplicates; across sources (when {@code acrossSourcesOnly}), the same
     * person in each.
     */
    public Result link(List<Record> records, boolean acrossSourcesOnly) {
        int n = records.size();
        int f = fields.size();
        for (Record record : records) {
            if (record.values().length != f) {
                throw new IllegalArgumentException("record " + record.id() + " has " + record.values().length
                        + " values for " + f + " fields");
            }
        }
        LongSet candidates = new LongSet(Math.max(16, n * 8));
        int skipped = block(records, acrossSourcesOnly, candidates);

        // compare: one pattern of levels per pair, counted for EM
        long[] pairs = candidates.toArray();
        Arrays.sort(pairs);
        int[][] levels = new int[pairs.length][];
        Map<Pattern, int[]> patterns = new HashMap<>();
        for (int k = 0; k < pairs.length; k++) {
            int a = (int) (pairs[k] >>> 32);
            int b = (int) pairs[k];
            levels[k] = compare(records.get(a), records.get(b));
            patterns.computeIfAbsent(new Pattern(levels[k]), key -> new int[1])[0]++;
        }
        double[][] u = measureU(records, acrossSourcesOnly);
        double[][] m = initialM();
        double share = estimate(patterns, m, u);

        double prior = Math.log(share / (1 - share)) / Math.log(2);
        List<Pair> matches = new ArrayList<>();
        List<Pair> possible = new ArrayList<>();
        for (int k = 0; k < pairs.length; k++) {
            double weight = prior;
            for (int i = 0; i < f; i++) {
                int level = levels[k][i];
                if (level >= 0) {
                    weight += Math.log(m[i][level] / u[i][level]) / Math.log(2);
                }
            }
            double probability = 1 / (1 + Math.pow(2, -weight));
            Pair pair = new Pair((int) (pairs[k] >>> 32), (int) pairs[k], weight, probability);
            if (probability >= options.matchProbability()) {
                matches.add(pair);
            } else if (probability >= options.reviewProbability()) {
                possible.add(pair);
            }
        }
        if (options.oneToOne()) {
            matches = bestOnly(matches);
        }
        return new Result(matches, possible, pairs.length, skipped, cluster(records, matches), m, u, share);
    }

    /** Each record keeps its strongest match; ties go to the lower index. */
    private static List<Pair> bestOnly(List<Pair> matches) {
        List<Pair> sorted = new ArrayList<>(matches);
        sorted.sort((x, y) -> x.weight() != y.weight() ? Double.compare(y.weight(), x.weight())
                : x.a() != y.a() ? Integer.compare(x.a(), y.a()) : Integer.compare(x.b(), y.b()));
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        List<Pair> kept = new ArrayList<>();
        for (Pair pair : sorted) {
            if (!taken.contains(pair.a()) && !taken.contains(pair.b())) {
                taken.add(pair.a());
                taken.add(pair.b());
                kept.add(pair);
            }
        }
        return kept;
    }

    private int block(List<Record> records, boolean acrossSourcesOnly, LongSet candidates) {
        int n = records.size();
        int f = fields.size();
        boolean[] selective = new boolean[f];
        for (int i = 0; i < f; i++) {
            java.util.Set<String> distinct = new java.util.HashSet<>();
            int present = 0;
            for (Record record : records) {
                String value = record.values()[i];
                if (value != null) {
                    present++;
                    distinct.add(value);
                }
            }
            selective[i] = present > 0 && distinct.size() >= 0.2 * present;
        }
        Map<String, List<Integer>> blocks = new HashMap<>();
        for (int r = 0; r < n; r++) {
            String[] values = records.get(r).values();
            for (int i = 0; i < f; i++) {
                if (values[i] == null) {
                    continue;
                }
                if (selective[i]) {
                    blocks.computeIfAbsent(i + "=" + values[i], key -> new ArrayList<>()).add(r);
                }
                for (int j = i + 1; j < f; j++) {
                    if (values[j] != null) {
                        blocks.computeIfAbsent(i + ":" + j + "=" + prefix(values[i]) + "|" + prefix(values[j]),
                                key -> new ArrayList<>()).add(r);
                    }
                }
            }
        }
        int skipped = 0;
        for (List<Integer> block : blocks.values()) {
            if (block.size() < 2) {
                continue;
            }
            if (block.size() > options.maxBlockSize()) {
                skipped++;
                continue;
            }
            for (int x = 0; x < block.size(); x++) {
                for (int y = x + 1; y < block.size(); y++) {
                    int a = block.get(x);
                    int b = block.get(y);
                    if (acrossSourcesOnly && records.get(a).source() == records.get(b).source()) {
                        continue;
                    }
                    candidates.add(((long) Math.min(a, b) << 32) | Math.max(a, b));
                }
            }
        }
        return skipped;
    }

    private static String prefix(String value) {
        return value.length() <= 3 ? value : value.substring(0, 3);
    }

    private int[] compare(Record a, Record b) {
        int[] levels = new int[fields.size()];
        for (int i = 0; i < levels.length; i++) {
            String x = a.values()[i];
            String y = b.values()[i];
            levels[i] = x == null || y == null ? -1 : fields.get(i).kind().compare(x, y);
        }
        return levels;
    }

    /** u: each level's share among random pairs (almost all non-matches), smoothed so no share is 0. */
    private double[][] measureU(List<Record> records, boolean acrossSourcesOnly) {
        int f = fields.size();
        double[][] counts = new double[f][];
        for (int i = 0; i < f; i++) {
            counts[i] = new double[fields.get(i).kind().levels()];
            Arrays.fill(counts[i], 1);
        }
        Random random = new Random(options.seed());
        int n = records.size();
        int sampled = 0;
        for (int attempt = 0; n > 1 && sampled < options.uSamplePairs() && attempt < options.uSamplePairs() * 4;
             attempt++) {
            int a = random.nextInt(n);
            int b = random.nextInt(n);
            if (a == b || acrossSourcesOnly && records.get(a).source() == records.get(b).source()) {
                continue;
            }
            int[] levels = compare(records.get(a), records.get(b));
            for (int i = 0; i < f; i++) {
                if (levels[i] >= 0) {
                    counts[i][levels[i]]++;
                }
            }
            sampled++;
        }
        return normalize(counts);
    }

    private double[][] initialM() {
        double[][] m = new double[fields.size()][];
        for (int i = 0; i < m.length; i++) {
            int levels = fields.get(i).kind().levels();
            m[i] = new double[levels];
            m[i][0] = 0.9;
            for (int l = 1; l < levels; l++) {
                m[i][l] = 0.1 / (levels - 1);
            }
        }
        return m;
    }

    /**
     * Expectation-maximization of m, u and the match share over the candidate patterns, from u measured on random
     * pairs; m and u are updated in place. u is re-estimated too because blocking makes candidates agree more often
     * than random pairs do: with u fixed at random pairs' shares, every candidate would look like a match.
     */
    private double estimate(Map<Pattern, int[]> patterns, double[][] m, double[][] u) {
        double share = 0.1;
        long total = 0;
        for (int[] count : patterns.values()) {
            total += count[0];
        }
        if (total == 0) {
            return 1e-6;
        }
        for (int iteration = 0; iteration < options.emIterations(); iteration++) {
            double[][] numerators = new double[m.length][];
            double[][] nonMatch = new double[m.length][];
            for (int i = 0; i < m.length; i++) {
                numerators[i] = new double[m[i].length];
                Arrays.fill(numerators[i], 1e-3);
                nonMatch[i] = new double[m[i].length];
                Arrays.fill(nonMatch[i], 1e-3);
            }
            double matched = 0;
            for (Map.Entry<Pattern, int[]> entry : patterns.entrySet()) {
                int[] levels = entry.getKey().levels();
                double logRatio = 0;
                for (int i = 0; i < levels.length; i++) {
                    if (levels[i] >= 0) {
                        logRatio += Math.log(m[i][levels[i]] / u[i][levels[i]]);
                    }
                }
                double odds = share / (1 - share) * Math.exp(Math.min(logRatio, 700));
                double g = odds / (1 + odds);
                double weight = g * entry.getValue()[0];
                matched += weight;
                double rest = (1 - g) * entry.getValue()[0];
                for (int i = 0; i < levels.length; i++) {
                    if (levels[i] >= 0) {
                        numerators[i][levels[i]] += weight;
                        nonMatch[i][levels[i]] += rest;
                    }
                }
            }
            double[][] next = normalize(numerators);
            double[][] nextU = normalize(nonMatch);
            for (int i = 0; i < m.length; i++) {
                m[i] = next[i];
                u[i] = nextU[i];
            }
            share = Math.min(Math.max(matched / total, 1e-6), 1 - 1e-6);
        }
        return share;
    }

    private static double[][] normalize(double[][] counts) {
        double[][] shares = new double[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            double sum = 0;
            for (double count : counts[i]) {
                sum += count;
            }
            shares[i] = new double[counts[i].length];
            for (int l = 0; l < counts[i].length; l++) {
                shares[i][l] = counts[i][l] / sum;
            }
        }
        return shares;
    }

    private static String[] cluster(List<Record> records, List<Pair> matches) {
        int n = records.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (Pair pair : matches) {
            int a = find(parent, pair.a());
            int b = find(parent, pair.b());
            if (a != b) {
                parent[Math.max(a, b)] = Math.min(a, b);
            }
        }
        Map<Integer, String> smallestId = new HashMap<>();
        for (int i = 0; i < n; i++) {
            smallestId.merge(find(parent, i), records.get(i).id(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
        }
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = smallestId.get(find(parent, i));
        }
        return ids;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** A comparison pattern as a map key. */
    private record Pattern(int[] levels) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Pattern that && Arrays.equals(levels, that.levels);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(levels);
        }
    }

    /** An open-addressing set of longs (pair keys), without boxing. */
    static final class LongSet {
        private long[] slots;
        private boolean[] used;
        private int size;

        LongSet(int capacity) {
            int size = Integer.highestOneBit(Math.max(16, capacity) * 2);
            slots = new long[size];
            used = new boolean[size];
        }

        void add(long value) {
            if (size * 2 >= slots.length) {
                grow();
            }
            int mask = slots.length - 1;
            int i = (int) (mix(value) & mask);
            while (used[i]) {
                if (slots[i] == value) {
                    return;
                }
                i = (i + 1) & mask;
            }
            used[i] = true;
            slots[i] = value;
            size++;
        }

        long[] toArray() {
            long[] values = new long[size];
            int k = 0;
            for (int i = 0; i < slots.length; i++) {
                if (used[i]) {
                    values[k++] = slots[i];
                }
            }
            return values;
        }

        private void grow() {
            long[] oldSlots = slots;
            boolean[] oldUsed = used;
            slots = new long[oldSlots.length * 2];
            used = new boolean[oldSlots.length * 2];
            size = 0;
            for (int i = 0; i < oldSlots.length; i++) {
                if (oldUsed[i]) {
                    add(oldSlots[i]);
                }
            }
        }

        private static long mix(long value) {
            value ^= value >>> 33;
            value *= 0xff51afd7ed558ccdL;
            value ^= value >>> 33;
            return value;
        }
    }
}
