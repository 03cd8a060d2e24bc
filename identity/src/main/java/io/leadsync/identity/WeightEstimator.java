package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.identity.IdentityRecord.Field;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Learns {@link MatchWeights} from the store's own records, unsupervised.
 *
 * <ul>
 *   <li><b>u</b>, how often two different people agree at each level, is measured on random pairs of stored
 *       records (almost all different people);</li>
 *   <li><b>m</b>, how often one person's records do, and the share of matches, are estimated by
 *       expectation-maximization over candidate pairs (records sharing a blocking key), as a mixture of matches and
 *       non-matches;</li>
 *   <li><b>term frequencies</b> of names, cities, companies and email local parts are counted on the sample.</li>
 * </ul>
 *
 * Guards, each with a warning: the mixture's classes must not come out swapped (the "match" class must agree more
 * often than the "non-match" class; a swapped estimate would make agreement count against a match); a closer level
 * never weighs less than a farther one (violating neighbours are pooled); and an estimate from too few pairs, or that
 * fails a check, is refused: the last good weights stay in service. Deterministic for the same data.
 */
public final class WeightEstimator {
    /** Records sampled for term frequencies and random pairs. */
    static final int SAMPLE_RECORDS = 20_000;
    /** Records whose candidate pairs feed expectation-maximization. */
    static final int EM_RECORDS = 2_500;
    static final int RANDOM_PAIRS = 60_000;
    static final int MIN_PAIRS = 100;
    static final double MIN_MATCHES = 10;
    static final double M_FLOOR = 0.005;
    private static final int ITERATIONS = 100;
    private static final Comparison[] COMPARISONS = Comparison.values();
    private static final int C = COMPARISONS.length;

    /**
     * The outcome of an estimation.
     *
     * @param weights  the estimated weights (guarded); null when there was nothing to estimate from
     * @param accepted whether they passed the checks and go into service
     * @param warnings what the guards found or changed, in words an operator reads
     * @param records  records in the store
     * @param pairs    candidate pairs the estimate was made from
     * @param matches  expected matches among them
     */
    public record Estimate(MatchWeights weights, boolean accepted, List<String> warnings, long records, long pairs,
                           double matches) {
        public Estimate {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * What an estimate is made from: the comparison levels of candidate pairs and of random pairs (patterns and how
     * often each occurs), and value counts for term frequencies.
     */
    public static final class TrainingData {
        final Map<Pattern, Long> candidates;
        final Map<Pattern, Long> random;
        final Map<Comparison, Map<String, Integer>> values;
        final int[] valueTotals;
        final long records;
        final int emRecords;
        final double endpointsPerPair;

        TrainingData(Map<Pattern, Long> candidates, Map<Pattern, Long> random,
                     Map<Comparison, Map<String, Integer>> values, int[] valueTotals, long records, int emRecords,
                     double endpointsPerPair) {
            this.candidates = candidates;
            this.random = random;
            this.values = values;
            this.valueTotals = valueTotals;
            this.records = records;
            this.emRecords = emRecords;
            this.endpointsPerPair = endpointsPerPair;
        }

        /** Training data from level vectors given directly (tests, or pairs compared elsewhere). */
        public static TrainingData of(List<int[]> candidatePairs, List<int[]> randomPairs, long records,
                                      int emRecords) {
            Map<Pattern, Long> candidates = new HashMap<>();
            candidatePairs.forEach(levels -> candidates.merge(new Pattern(levels), 1L, Long::sum));
            Map<Pattern, Long> random = new HashMap<>();
            randomPairs.forEach(levels -> random.merge(new Pattern(levels), 1L, Long::sum));
            return new TrainingData(candidates, random, new EnumMap<>(Comparison.class), new int[C], records,
                    emRecords, 1);
        }

        /**
         * Samples the store (and a page not stored yet): candidate pairs of up to {@value #EM_RECORDS} records,
         * random pairs and value counts of up to {@value #SAMPLE_RECORDS}.
         */
        static TrainingData collect(IdentityStore store, List<IdentityRecord> page, int perKey) {
            long records = store.recordCount() + page.size();
            List<IdentityRecord> sample = new ArrayList<>(page);
            if (sample.size() > SAMPLE_RECORDS) {
                sample = new ArrayList<>(sample.subList(0, SAMPLE_RECORDS));
            }
            sample.addAll(store.sample(SAMPLE_RECORDS - sample.size()));
            SplittableRandom random = new SplittableRandom(records);
            List<IdentityRecord> em = new ArrayList<>(sample);
            shuffle(em, random);
            if (em.size() > EM_RECORDS) {
                em = new ArrayList<>(em.subList(0, EM_RECORDS));
            }

            Map<Long, List<IdentityRecord>> pageByKey = new HashMap<>();
            for (IdentityRecord record : page) {
                for (long key : record.keys()) {
                    pageByKey.computeIfAbsent(key, k -> new ArrayList<>(2)).add(record);
                }
            }
            Set<Long> keys = new LinkedHashSet<>();
            for (IdentityRecord record : em) {
                for (long key : record.keys()) {
                    keys.add(key);
                }
            }
            long[] keyArray = keys.stream().mapToLong(Long::longValue).toArray();
            Map<Long, List<String>> holders = store.holders(keyArray, perKey);
            Set<String> profiles = new LinkedHashSet<>();
            holders.values().forEach(list -> {
                if (list.size() <= perKey) {
                    profiles.addAll(list);
                }
            });
            Map<String, List<IdentityRecord>> members = store.profileRecords(profiles);

            Set<ExternalId> inEm = new HashSet<>();
            em.forEach(record -> inEm.add(record.id()));
            Map<Pattern, Long> candidates = new HashMap<>();
            Set<String> seen = new HashSet<>();
            long endpoints = 0;
            long pairs = 0;
            for (IdentityRecord record : em) {
                Set<IdentityRecord> others = new LinkedHashSet<>();
                for (long key : record.keys()) {
                    List<String> holding = holders.get(key);
                    if (holding != null && holding.size() <= perKey) {
                        for (String profile : holding) {
                            others.addAll(members.getOrDefault(profile, List.of()));
                        }
                    }
                    List<IdentityRecord> inPage = pageByKey.get(key);
                    if (inPage != null && inPage.size() <= perKey) {
                        others.addAll(inPage);
                    }
                }
                for (IdentityRecord other : others) {
                    if (other.id().equals(record.id())) {
                        continue;
                    }
                    String a = record.id().toString();
                    String b = other.id().toString();
                    if (!seen.add(a.compareTo(b) < 0 ? a + "\n" + b : b + "\n" + a)) {
                        continue;
                    }
                    candidates.merge(new Pattern(PairComparison.levels(record, other)), 1L, Long::sum);
                    endpoints += inEm.contains(other.id()) ? 2 : 1;
                    pairs++;
                }
            }

            Map<Pattern, Long> randomPairs = new HashMap<>();
            int n = sample.size();
            int wanted = n < 2 ? 0 : (int) Math.min(RANDOM_PAIRS, (long) n * (n - 1) / 2);
            for (int i = 0; i < wanted; i++) {
                int x = random.nextInt(n);
                int y = random.nextInt(n);
                if (x == y) {
                    continue;
                }
                randomPairs.merge(new Pattern(PairComparison.levels(sample.get(x), sample.get(y))), 1L, Long::sum);
            }

            Map<Comparison, Map<String, Integer>> values = new EnumMap<>(Comparison.class);
            int[] totals = new int[C];
            for (IdentityRecord record : sample) {
                count(values, totals, Comparison.FIRST_NAME, record.value(Field.FORMAL));
                count(values, totals, Comparison.LAST_NAME, record.value(Field.LAST));
                count(values, totals, Comparison.CITY, record.value(Field.CITY));
                count(values, totals, Comparison.ORGANISATION, PairComparison.organisationValue(record));
                count(values, totals, Comparison.EMAIL, record.value(Field.LOCAL));
            }
            return new TrainingData(candidates, randomPairs, values, totals, records, em.size(),
                    pairs == 0 ? 1 : (double) endpoints / pairs);
        }

        private static void count(Map<Comparison, Map<String, Integer>> values, int[] totals, Comparison comparison,
                                  String value) {
            if (value != null) {
                values.computeIfAbsent(comparison, c -> new HashMap<>()).merge(value, 1, Integer::sum);
                totals[comparison.ordinal()]++;
            }
        }

        private static void shuffle(List<IdentityRecord> records, SplittableRandom random) {
            for (int i = records.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                IdentityRecord swap = records.get(i);
                records.set(i, records.get(j));
                records.set(j, swap);
            }
        }

        long candidatePairs() {
            return candidates.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A pair's levels, as a map key. */
    record Pattern(int[] levels) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Pattern that && Arrays.equals(levels, that.levels);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(levels);
        }
    }

    /**
     * Estimates weights from training data, starting expectation-maximization from the built-in weights and from
     * the weights in service; the most likely estimate that passes the guards is kept. A refused estimate leaves
     * {@code current} in service.
     */
    public Estimate estimate(TrainingData data, MatchWeights current) {
        Objects.requireNonNull(current, "current");
        List<Start> starts = new ArrayList<>();
        starts.add(new Start(MatchWeights.defaults().mTable(), null));
        if (current.records() > 0) {
            starts.add(new Start(current.mTable(), null));
        }
        return estimate(data, current, starts);
    }

    /**
     * Term frequencies counted on the training data (a value's share among the records holding one, for values seen
     * at least twice; the floor one over the count), for comparisons with at least 100 values; the others keep
     * {@code current}'s floor and have no frequent values.
     */
    private static void countFrequencies(TrainingData data, MatchWeights current,
                                         Map<Comparison, Map<String, Double>> frequencies, double[] floors) {
        for (Comparison comparison : COMPARISONS) {
            int total = data.valueTotals[comparison.ordinal()];
            floors[comparison.ordinal()] = total >= 100 ? 1.0 / total : current.floor(comparison);
            Map<String, Integer> counts = data.values.getOrDefault(comparison, Map.of());
            Map<String, Double> shares = new HashMap<>();
            counts.forEach((value, count) -> {
                if (count >= 2 && total >= 100) {
                    shares.put(value, (double) count / total);
                }
            });
            if (!shares.isEmpty()) {
                frequencies.put(comparison, shares);
            }
        }
    }

    /**
     * The built-in m and u with term frequencies counted on the training data (values seen at least twice; the
     * built-in lists and floors for the others): what a store whose estimates are
     * refused resolves with once it holds enough names (counts need no estimate; the built-in lists are those of
     * English-speaking CRM data and would make a surname common here count as rare). Empty when the weights in
     * service are learned (they carry their own counts) or the data holds too few names to count.
     */
    public Optional<MatchWeights> countedFrequencies(TrainingData data, MatchWeights current) {
        Objects.requireNonNull(current, "current");
        if (!current.builtInLevels() || data.valueTotals[Comparison.LAST_NAME.ordinal()] < 100) {
            return Optional.empty();
        }
        Map<Comparison, Map<String, Double>> counted = new EnumMap<>(Comparison.class);
        double[] countedFloors = new double[C];
        countFrequencies(data, current, counted, countedFloors);
        // the counts overrule the built-in lists where they saw a value twice; a value seen once or not at all keeps
        // what the lists say of it (a store of a few hundred records cannot tell a rare name from a very rare one)
        Map<Comparison, Map<String, Double>> frequencies = new EnumMap<>(Comparison.class);
        double[] floors = new double[C];
        for (Comparison comparison : COMPARISONS) {
            Map<String, Double> merged = new HashMap<>(current.frequencies(comparison));
            merged.putAll(counted.getOrDefault(comparison, Map.of()));
            if (!merged.isEmpty()) {
                frequencies.put(comparison, merged);
            }
            floors[comparison.ordinal()] = Math.min(current.floor(comparison), countedFloors[comparison.ordinal()]);
        }
        return Optional.of(current.withFrequencies(frequencies, floors, data.records));
    }

    /** Where expectation-maximization starts: m of the match class, u of the other (null: u of random pairs). */
    record Start(double[][] m, double[][] u) {
    }

    /** {@link #estimate(TrainingData, MatchWeights)} from the given starts (tests start where they need). */
    Estimate estimate(TrainingData data, MatchWeights current, List<Start> starts) {
        List<String> warnings = new ArrayList<>();
        long pairs = data.candidatePairs();
        if (pairs < MIN_PAIRS) {
            warnings.add(String.format(Locale.ROOT, "only %d candidate pairs among %d records (at least %d needed):"
                    + " the weights in service stay", pairs, data.records, MIN_PAIRS));
            return new Estimate(null, false, warnings, data.records, pairs, 0);
        }
        double[][] u = randomPairShares(data.random, current);
        Mixture mixture = null;
        String refusal = null;
        for (Start start : starts) {
            Mixture candidate = mixture(data.candidates, start.m(), start.u() == null ? u : start.u());
            String problem = problem(candidate, data, pairs, u);
            if (problem != null) {
                refusal = refusal == null ? problem : refusal;
            } else if (mixture == null || candidate.logLikelihood > mixture.logLikelihood) {
                mixture = candidate;
            }
        }
        if (mixture == null) {
            warnings.add(refusal + ": the weights in service stay");
            return new Estimate(null, false, warnings, data.records, pairs, 0);
        }
        double matches = mixture.share * pairs;
        double[][] m = copy(mixture.m);
        floorLevels(m);
        warnings.addAll(orderLevels(m, u));
        double perRecord = Math.min(10, Math.max(0.01, matches * data.endpointsPerPair / Math.max(1, data.emRecords)));
        Map<Comparison, Map<String, Double>> frequencies = new EnumMap<>(Comparison.class);
        double[] floors = new double[C];
        countFrequencies(data, current, frequencies, floors);
        MatchWeights weights;
        try {
            weights = new MatchWeights(m, u, perRecord, data.records, frequencies, floors);
        } catch (IllegalArgumentException e) {
            warnings.add("the estimate is not usable (" + e.getMessage() + "): the weights in service stay");
            return new Estimate(null, false, warnings, data.records, pairs, matches);
        }
        return new Estimate(weights, true, warnings, data.records, pairs, matches);
    }

    /**
     * Why a mixture must be refused, or null: values not finite; classes swapped (the "match" class agrees less
     * often than the other, so agreement would count against a match); too few expected matches; or a "match" class
     * that does not agree enough to tell people apart: the evidence it carries on average (the Kullback-Leibler
     * divergence of m from u, in bits, over the comparisons present) must reach the odds against a match of a
     * random pair. A store without duplicates yields such a class: pairs of different people that share a name.
     */
    static String problem(Mixture mixture, TrainingData data, long pairs, double[][] u) {
        if (!mixture.finite()) {
            return "the estimate did not converge to finite values";
        }
        if (mixture.swapped()) {
            return "the estimate came out with its classes swapped (the pairs it calls matches agree less often than"
                    + " those it calls non-matches, so agreement would count against a match)";
        }
        double matches = mixture.share * pairs;
        if (matches < MIN_MATCHES) {
            return String.format(Locale.ROOT, "only %.0f expected matches among %d candidate pairs (at least %.0f"
                    + " needed)", matches, pairs, MIN_MATCHES);
        }
        double perRecord = Math.max(0.01, matches * data.endpointsPerPair / Math.max(1, data.emRecords));
        double needed = MatchWeights.log2(Math.max(2, data.records) / perRecord);
        double evidence = mixture.evidence(u);
        if (evidence < needed) {
            return String.format(Locale.ROOT, "the pairs the estimate calls matches carry %.1f bits of evidence on"
                    + " average, too little to tell people apart among %d records (%.1f needed): the store may hold"
                    + " few duplicates yet", evidence, data.records, needed);
        }
        return null;
    }

    /** u: each level's share among random pairs, smoothed (half a pair per level) so none is 0. */
    private static double[][] randomPairShares(Map<Pattern, Long> random, MatchWeights current) {
        double[][] counts = new double[C][];
        for (Comparison comparison : COMPARISONS) {
            counts[comparison.ordinal()] = new double[comparison.levelCount()];
        }
        random.forEach((pattern, count) -> {
            for (int c = 0; c < C; c++) {
                int level = pattern.levels()[c];
                if (level >= 0) {
                    counts[c][level] += count;
                }
            }
        });
        double[][] u = new double[C][];
        for (Comparison comparison : COMPARISONS) {
            int c = comparison.ordinal();
            double total = Arrays.stream(counts[c]).sum();
            u[c] = new double[comparison.levelCount()];
            for (int level = 0; level < u[c].length; level++) {
                u[c][level] = total < 100 ? current.u(comparison, level)
                        : (counts[c][level] + 0.5) / (total + 0.5 * u[c].length);
            }
        }
        return u;
    }

    /** The two-class mixture of candidate pairs: m and u of the classes and the share of the match class. */
    static final class Mixture {
        double[][] m;
        double[][] u;
        double share;
        double logLikelihood;
        double[] presence = new double[C];

        /** The mean evidence of the match class in bits: sum over comparisons of presence × KL(m || u). */
        double evidence(double[][] randomU) {
            double bits = 0;
            for (int c = 0; c < C; c++) {
                double divergence = 0;
                for (int l = 0; l < m[c].length; l++) {
                    divergence += m[c][l] * MatchWeights.log2(m[c][l] / randomU[c][l]);
                }
                bits += presence[c] * divergence;
            }
            return bits;
        }

        boolean finite() {
            if (!Double.isFinite(share)) {
                return false;
            }
            for (int c = 0; c < C; c++) {
                for (int l = 0; l < m[c].length; l++) {
                    if (!Double.isFinite(m[c][l]) || !Double.isFinite(u[c][l])) {
                        return false;
                    }
                }
            }
            return true;
        }

        /**
         * Whether the classes came out swapped: over the comparisons, the class called "match" agrees exactly less
         * often than the class called "non-match".
         */
        boolean swapped() {
            int agreeMore = 0;
            int agreeLess = 0;
            for (int c = 0; c < C; c++) {
                if (m[c][0] > u[c][0] * 1.01) {
                    agreeMore++;
                } else if (m[c][0] * 1.01 < u[c][0]) {
                    agreeLess++;
                }
            }
            return agreeLess > agreeMore;
        }
    }

    /**
     * Expectation-maximization of the mixture over the candidate patterns, from the given m (the match class) and u
     * (the non-match class; among candidates it agrees more often than among random pairs, so it is estimated too).
     */
    static Mixture mixture(Map<Pattern, Long> patterns, double[][] startM, double[][] startU) {
        Mixture mixture = new Mixture();
        mixture.m = copy(startM);
        mixture.u = copy(startU);
        mixture.share = 0.1;
        List<Map.Entry<Pattern, Long>> entries = new ArrayList<>(patterns.entrySet());
        double total = 0;
        for (Map.Entry<Pattern, Long> entry : entries) {
            total += entry.getValue();
        }
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            double[][] matchCounts = new double[C][];
            double[][] otherCounts = new double[C][];
            for (int c = 0; c < C; c++) {
                matchCounts[c] = new double[mixture.m[c].length];
                otherCounts[c] = new double[mixture.m[c].length];
            }
            double matched = 0;
            double logLikelihood = 0;
            double[] present = new double[C];
            for (Map.Entry<Pattern, Long> entry : entries) {
                int[] levels = entry.getKey().levels();
                double logRatio = 0;
                for (int c = 0; c < C; c++) {
                    if (levels[c] >= 0) {
                        logRatio += Math.log(mixture.m[c][levels[c]] / mixture.u[c][levels[c]]);
                    }
                }
                double odds = mixture.share / (1 - mixture.share) * Math.exp(Math.max(-700, Math.min(700, logRatio)));
                double g = odds / (1 + odds);
                double count = entry.getValue();
                matched += g * count;
                double otherLog = 0;
                for (int c = 0; c < C; c++) {
                    if (levels[c] >= 0) {
                        otherLog += Math.log(mixture.u[c][levels[c]]);
                    }
                }
                logLikelihood += count * (otherLog + Math.log(1 - mixture.share) + Math.log1p(odds));
                for (int c = 0; c < C; c++) {
                    if (levels[c] >= 0) {
                        present[c] += g * count;
                        matchCounts[c][levels[c]] += g * count;
                        otherCounts[c][levels[c]] += (1 - g) * count;
                    }
                }
            }
            double change = 0;
            for (int c = 0; c < C; c++) {
                double[] nextM = shares(matchCounts[c], mixture.m[c]);
                double[] nextU = shares(otherCounts[c], mixture.u[c]);
                for (int l = 0; l < nextM.length; l++) {
                    change = Math.max(change, Math.abs(nextM[l] - mixture.m[c][l]));
                    change = Math.max(change, Math.abs(nextU[l] - mixture.u[c][l]));
                }
                mixture.m[c] = nextM;
                mixture.u[c] = nextU;
            }
            mixture.logLikelihood = logLikelihood;
            for (int c = 0; c < C; c++) {
                mixture.presence[c] = matched > 0 ? present[c] / matched : 0;
            }
            double nextShare = Math.min(1 - 1e-9, Math.max(1e-9, matched / total));
            change = Math.max(change, Math.abs(nextShare - mixture.share));
            mixture.share = nextShare;
            if (change < 1e-6) {
                break;
            }
        }
        return mixture;
    }

    /** Shares of counts with a small pseudo-count; a comparison never observed keeps its previous shares. */
    private static double[] shares(double[] counts, double[] previous) {
        double total = Arrays.stream(counts).sum();
        if (total < 1) {
            return previous.clone();
        }
        double[] shares = new double[counts.length];
        for (int l = 0; l < counts.length; l++) {
            shares[l] = (counts[l] + 0.01) / (total + 0.01 * counts.length);
        }
        return shares;
    }

    /**
     * No level is impossible between two records of one person: m is at least {@value #M_FLOOR} at every level (the
     * shares renormalized), so one disagreement, however rare among the pairs the estimate saw, never outweighs
     * everything else.
     */
    static void floorLevels(double[][] m) {
        for (double[] row : m) {
            double total = 0;
            for (int l = 0; l < row.length; l++) {
                row[l] = Math.max(row[l], M_FLOOR);
                total += row[l];
            }
            for (int l = 0; l < row.length; l++) {
                row[l] /= total;
            }
        }
    }

    /**
     * The ordering guard: a closer level never weighs less than a farther one. Adjacent levels that violate the
     * order are pooled (pool-adjacent-violators on m/u), m adjusted so the pooled levels share one ratio; returns a
     * warning per comparison changed.
     */
    static List<String> orderLevels(double[][] m, double[][] u) {
        List<String> warnings = new ArrayList<>();
        for (Comparison comparison : COMPARISONS) {
            int c = comparison.ordinal();
            int levels = m[c].length;
            int[] start = new int[levels];
            double[] sumM = new double[levels];
            double[] sumU = new double[levels];
            int blocks = 0;
            for (int l = 0; l < levels; l++) {
                start[blocks] = l;
                sumM[blocks] = m[c][l];
                sumU[blocks] = u[c][l];
                blocks++;
                while (blocks > 1 && sumM[blocks - 1] / sumU[blocks - 1] > sumM[blocks - 2] / sumU[blocks - 2]) {
                    sumM[blocks - 2] += sumM[blocks - 1];
                    sumU[blocks - 2] += sumU[blocks - 1];
                    blocks--;
                }
            }
            if (blocks == levels) {
                continue;
            }
            List<String> pooled = new ArrayList<>();
            for (int b = 0; b < blocks; b++) {
                int end = b + 1 < blocks ? start[b + 1] : levels;
                double ratio = sumM[b] / sumU[b];
                for (int l = start[b]; l < end; l++) {
                    m[c][l] = ratio * u[c][l];
                }
                if (end - start[b] > 1) {
                    pooled.add(String.join(" = ", comparison.levels().subList(start[b], end)));
                }
            }
            warnings.add(comparison.label() + ": a closer level weighed less than a farther one; pooled "
                    + String.join(", ", pooled));
        }
        return warnings;
    }

    private static double[][] copy(double[][] table) {
        double[][] copy = new double[table.length][];
        for (int i = 0; i < table.length; i++) {
            copy[i] = table[i].clone();
        }
        return copy;
    }

    /** A readable account of weights: per comparison, the weight of each level in bits. */
    public static Map<String, Map<String, Double>> describe(MatchWeights weights) {
        Map<String, Map<String, Double>> view = new LinkedHashMap<>();
        for (Comparison comparison : COMPARISONS) {
            Map<String, Double> levels = new LinkedHashMap<>();
            for (int level = 0; level < comparison.levelCount(); level++) {
                levels.put(comparison.levels().get(level),
                        Math.round(weights.weight(comparison, level) * 100) / 100.0);
            }
            view.put(comparison.key(), levels);
        }
        return view;
    }
}
