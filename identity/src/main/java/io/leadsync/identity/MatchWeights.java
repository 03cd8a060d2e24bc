package io.leadsync.identity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The weights of evidence of the Fellegi-Sunter model: per {@link Comparison} and level, {@code m} (how often two
 * records of one person show that level) and {@code u} (how often two records of different people do); a level
 * multiplies the odds that two records are one person by {@code m/u}. {@code matchesPerRecord} gives the prior: a new
 * record is expected to match that many of the {@code N} stored records, so its prior odds against any one of them
 * are {@code matchesPerRecord / N}.
 *
 * <p>Term frequencies adjust the exact levels of names, cities, companies and email local parts: agreeing on a value
 * that a share {@code f} of records have is as likely between two people as {@code f} (Smith weighs less than
 * Okonkwo); values not listed are rarer than {@code floor}.
 *
 * <p>Built in ({@link #defaults()}) for CRM person data until the store has records to learn from;
 * {@link WeightEstimator} estimates them from the store's own candidate pairs. Immutable; {@link #toText()} and
 * {@link #parse} give the stored form.
 */
public final class MatchWeights {
    private static final String HEADER = "leadsync-identity-weights 1";
    private static final Comparison[] COMPARISONS = Comparison.values();

    private final double[][] m;
    private final double[][] u;
    private final double matchesPerRecord;
    private final long records;
    private final Map<Comparison, Map<String, Double>> frequencies;
    private final double[] floors;

    /**
     * @param m                per comparison ordinal and level, the share among pairs of one person's records
     * @param u                per comparison ordinal and level, the share among pairs of different people's records
     * @param matchesPerRecord how many stored records a new record is expected to match
     * @param records          records in the store when these weights were estimated (0 for built-in weights)
     * @param frequencies      per comparison, the share of records with each frequent value
     * @param floors           per comparison ordinal, the share assumed for a value not in {@code frequencies}
     */
    public MatchWeights(double[][] m, double[][] u, double matchesPerRecord, long records,
                        Map<Comparison, Map<String, Double>> frequencies, double[] floors) {
        if (m.length != COMPARISONS.length || u.length != COMPARISONS.length || floors.length != COMPARISONS.length) {
            throw new IllegalArgumentException("weights need one row per comparison");
        }
        for (Comparison comparison : COMPARISONS) {
            int levels = comparison.levelCount();
            double[] mRow = m[comparison.ordinal()];
            double[] uRow = u[comparison.ordinal()];
            if (mRow.length != levels || uRow.length != levels) {
                throw new IllegalArgumentException(comparison.key() + " has " + levels + " levels");
            }
            for (int level = 0; level < levels; level++) {
                if (!(mRow[level] > 0 && mRow[level] <= 1 && uRow[level] > 0 && uRow[level] <= 1)) {
                    throw new IllegalArgumentException(comparison.key() + " level " + level + ": m and u must be in"
                            + " (0, 1], got " + mRow[level] + " and " + uRow[level]);
                }
            }
        }
        if (!(matchesPerRecord > 0) || Double.isInfinite(matchesPerRecord)) {
            throw new IllegalArgumentException("matches per record must be above 0, got " + matchesPerRecord);
        }
        this.m = deepCopy(m);
        this.u = deepCopy(u);
        this.matchesPerRecord = matchesPerRecord;
        this.records = records;
        Map<Comparison, Map<String, Double>> copy = new EnumMap<>(Comparison.class);
        frequencies.forEach((comparison, values) -> copy.put(comparison, Map.copyOf(values)));
        this.frequencies = Collections.unmodifiableMap(copy);
        this.floors = floors.clone();
    }

    /** Built-in weights for CRM person data (names, emails, phones, companies), used until weights are learned. */
    public static MatchWeights defaults() {
        double[][] m = new double[COMPARISONS.length][];
        double[][] u = new double[COMPARISONS.length][];
        set(m, u, Comparison.FIRST_NAME, new double[] {0.86, 0.07, 0.04, 0.03}, new double[] {0.01, 0.002, 0.03, 0.958});
        set(m, u, Comparison.LAST_NAME, new double[] {0.88, 0.06, 0.03, 0.03}, new double[] {0.002, 0.001, 0.01, 0.987});
        // two digits apart is mostly one of month and day wrong with the rest the same: among birth dates spread over
        // 75 years, about 0.4% of random pairs (year and month the same 0.1%, year and day 0.04%, month and day 0.27%)
        set(m, u, Comparison.DATE_OF_BIRTH, new double[] {0.85, 0.08, 0.04, 0.03},
                new double[] {0.0001, 0.002, 0.006, 0.9919});
        set(m, u, Comparison.EMAIL, new double[] {0.55, 0.1, 0.05, 0.3}, new double[] {0.00005, 0.0002, 0.0005, 0.99925});
        set(m, u, Comparison.PHONE, new double[] {0.7, 0.05, 0.25}, new double[] {0.0002, 0.001, 0.9988});
        set(m, u, Comparison.ORGANISATION, new double[] {0.7, 0.1, 0.2}, new double[] {0.003, 0.005, 0.992});
        set(m, u, Comparison.ADDRESS, new double[] {0.7, 0.15, 0.15}, new double[] {0.0005, 0.002, 0.9975});
        set(m, u, Comparison.CITY, new double[] {0.8, 0.1, 0.1}, new double[] {0.02, 0.005, 0.975});
        set(m, u, Comparison.POSTAL_CODE, new double[] {0.8, 0.1, 0.1}, new double[] {0.005, 0.02, 0.975});
        set(m, u, Comparison.COUNTRY, new double[] {0.95, 0.05}, new double[] {0.3, 0.7});
        double[] floors = new double[COMPARISONS.length];
        for (Comparison comparison : COMPARISONS) {
            floors[comparison.ordinal()] = u[comparison.ordinal()][0];
        }
        Map<Comparison, Map<String, Double>> frequencies = new EnumMap<>(Comparison.class);
        frequencies.put(Comparison.FIRST_NAME, COMMON_NAMES.get(0));
        frequencies.put(Comparison.LAST_NAME, COMMON_NAMES.get(1));
        floors[Comparison.FIRST_NAME.ordinal()] = 0.002;
        floors[Comparison.LAST_NAME.ordinal()] = 0.0005;
        return new MatchWeights(m, u, 0.5, 0, frequencies, floors);
    }

    /** Shares of the most common given names and surnames (see {@code common-names.txt}), for the built-in weights. */
    private static final List<Map<String, Double>> COMMON_NAMES = commonNames();

    private static List<Map<String, Double>> commonNames() {
        List<Map<String, Double>> lists = List.of(new HashMap<>(), new HashMap<>());
        double[] top = {0.016, 0.01};
        int list = -1;
        int rank = 0;
        try (java.io.InputStream in = MatchWeights.class.getResourceAsStream("common-names.txt")) {
            if (in == null) {
                throw new IllegalStateException("io/leadsync/identity/common-names.txt is missing from the classpath");
            }
            java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                    java.nio.charset.StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                if (name.equals("[first]") || name.equals("[last]")) {
                    list = name.equals("[first]") ? 0 : 1;
                    rank = 0;
                    continue;
                }
                rank++;
                lists.get(list).put(name, top[list] * Math.pow(rank, -0.8));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return List.of(Map.copyOf(lists.get(0)), Map.copyOf(lists.get(1)));
    }

    private static void set(double[][] m, double[][] u, Comparison comparison, double[] mRow, double[] uRow) {
        m[comparison.ordinal()] = mRow;
        u[comparison.ordinal()] = uRow;
    }

    public double m(Comparison comparison, int level) {
        return m[comparison.ordinal()][level];
    }

    public double u(Comparison comparison, int level) {
        return u[comparison.ordinal()][level];
    }

    /** The weight of a level in bits: {@code log2(m/u)}. */
    public double weight(Comparison comparison, int level) {
        return log2(m[comparison.ordinal()][level] / u[comparison.ordinal()][level]);
    }

    /**
     * The weight of exact agreement on a value, adjusted to its frequency: {@code log2(m / f)} with {@code f} the
     * share of records holding the value (the floor when it is not a frequent value).
     */
    public double exactWeight(Comparison comparison, String value) {
        return log2(m[comparison.ordinal()][0] / share(comparison, value));
    }

    /**
     * The weight of exact agreement on a name whose role is not known, read from an email's local part
     * ({@code smith.mary@} may be Mary Smith): its share is the larger of its shares as either name, so a common
     * surname read as a first name does not pass for a rare first name.
     */
    public double exactWeight(Comparison comparison, String value, Comparison other, String otherValue) {
        double share = Math.max(share(comparison, value), share(other, otherValue));
        return log2(m[comparison.ordinal()][0] / share);
    }

    private double share(Comparison comparison, String value) {
        Double frequency = value == null ? null : frequencies.getOrDefault(comparison, Map.of()).get(value);
        return frequency != null ? frequency : floors[comparison.ordinal()];
    }

    /** How many stored records a new record is expected to match. */
    public double matchesPerRecord() {
        return matchesPerRecord;
    }

    /** Records in the store when the weights were estimated; 0 for the built-in weights. */
    public long records() {
        return records;
    }

    /** The frequent values of a comparison and their shares. */
    public Map<String, Double> frequencies(Comparison comparison) {
        return frequencies.getOrDefault(comparison, Map.of());
    }

    /** The share assumed for a value of the comparison that is not frequent. */
    public double floor(Comparison comparison) {
        return floors[comparison.ordinal()];
    }

    /** These weights with other m and u (same prior and frequencies). */
    MatchWeights withLevels(double[][] newM, double[][] newU) {
        return new MatchWeights(newM, newU, matchesPerRecord, records, frequencies, floors);
    }

    /**
     * These m and u and prior with term frequencies counted on {@code records} of a store: what the built-in weights
     * become in a store whose estimate was refused (frequencies are counts, not estimates, so they hold even then).
     */
    MatchWeights withFrequencies(Map<Comparison, Map<String, Double>> counted, double[] countedFloors, long records) {
        return new MatchWeights(m, u, matchesPerRecord, records, counted, countedFloors);
    }

    /** Whether these are the built-in m and u (whatever their frequencies). */
    boolean builtInLevels() {
        MatchWeights builtIn = defaults();
        return Arrays.deepEquals(m, builtIn.m) && Arrays.deepEquals(u, builtIn.u);
    }

    double[][] mTable() {
        return deepCopy(m);
    }

    double[][] uTable() {
        return deepCopy(u);
    }

    static double log2(double value) {
        return Math.log(value) / Math.log(2);
    }

    /** The stored form: one line per fact, tab separated. */
    public String toText() {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        text.append("matches-per-record\t").append(number(matchesPerRecord)).append('\n');
        text.append("records\t").append(records).append('\n');
        for (Comparison comparison : COMPARISONS) {
            int c = comparison.ordinal();
            text.append("m\t").append(comparison.key());
            for (double value : m[c]) {
                text.append('\t').append(number(value));
            }
            text.append("\nu\t").append(comparison.key());
            for (double value : u[c]) {
                text.append('\t').append(number(value));
            }
            text.append("\nfloor\t").append(comparison.key()).append('\t').append(number(floors[c])).append('\n');
        }
        for (Comparison comparison : COMPARISONS) {
            List<Map.Entry<String, Double>> values = new ArrayList<>(frequencies(comparison).entrySet());
            values.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            for (Map.Entry<String, Double> value : values) {
                text.append("tf\t").append(comparison.key()).append('\t').append(value.getKey()).append('\t')
                        .append(number(value.getValue())).append('\n');
            }
        }
        return text.toString();
    }

    /** Weights from their stored form. */
    public static MatchWeights parse(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            throw new IllegalArgumentException("not identity weights (expected '" + HEADER + "' first)");
        }
        double[][] m = new double[COMPARISONS.length][];
        double[][] u = new double[COMPARISONS.length][];
        double[] floors = new double[COMPARISONS.length];
        double matchesPerRecord = 0;
        long records = 0;
        Map<Comparison, Map<String, Double>> frequencies = new EnumMap<>(Comparison.class);
        for (int i = 1; i < lines.length; i++) {
            String[] parts = lines[i].split("\t");
            switch (parts[0]) {
                case "matches-per-record" -> matchesPerRecord = Double.parseDouble(parts[1]);
                case "records" -> records = Long.parseLong(parts[1]);
                case "m", "u" -> {
                    double[] row = new double[parts.length - 2];
                    for (int k = 2; k < parts.length; k++) {
                        row[k - 2] = Double.parseDouble(parts[k]);
                    }
                    (parts[0].equals("m") ? m : u)[comparison(parts[1]).ordinal()] = row;
                }
                case "floor" -> floors[comparison(parts[1]).ordinal()] = Double.parseDouble(parts[2]);
                case "tf" -> frequencies.computeIfAbsent(comparison(parts[1]), c -> new HashMap<>())
                        .put(parts[2], Double.parseDouble(parts[3]));
                default -> throw new IllegalArgumentException("line " + (i + 1) + ": unknown fact '" + parts[0] + "'");
            }
        }
        for (Comparison comparison : COMPARISONS) {
            if (m[comparison.ordinal()] == null || u[comparison.ordinal()] == null) {
                throw new IllegalArgumentException("no m or u for " + comparison.key());
            }
        }
        return new MatchWeights(m, u, matchesPerRecord, records, frequencies, floors);
    }

    private static Comparison comparison(String key) {
        for (Comparison comparison : COMPARISONS) {
            if (comparison.key().equals(key)) {
                return comparison;
            }
        }
        throw new IllegalArgumentException("unknown comparison '" + key + "'");
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }

    private static double[][] deepCopy(double[][] table) {
        double[][] copy = new double[table.length][];
        for (int i = 0; i < table.length; i++) {
            copy[i] = table[i].clone();
        }
        return copy;
    }

    /** Per comparison, its levels' weights in bits, for reading. */
    public Map<String, List<Double>> levelWeights() {
        Map<String, List<Double>> view = new java.util.LinkedHashMap<>();
        for (Comparison comparison : COMPARISONS) {
            List<Double> weights = new ArrayList<>();
            for (int level = 0; level < comparison.levelCount(); level++) {
                weights.add(Math.round(weight(comparison, level) * 100) / 100.0);
            }
            view.put(comparison.key(), weights);
        }
        return view;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MatchWeights that && toText().equals(that.toText());
    }

    @Override
    public int hashCode() {
        return Objects.hash(matchesPerRecord, records);
    }

    @Override
    public String toString() {
        return "MatchWeights" + levelWeights() + " matchesPerRecord=" + number(matchesPerRecord);
    }
}
