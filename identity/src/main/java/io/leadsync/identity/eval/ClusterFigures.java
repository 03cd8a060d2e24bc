package io.leadsync.identity.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How well found profiles agree with the truth, by pairs of records: a pair in one profile is found; a pair of one
 * entity is true. Precision is the share of found pairs that are true, recall the share of true pairs found. Per
 * kind, the pairs with at least one record of that kind.
 *
 * @param records       records resolved
 * @param pairsFound    pairs within found profiles
 * @param truePairs     pairs within true entities
 * @param truePositives pairs both found and true
 * @param perKind       the same figures for the pairs touching each kind
 */
public record ClusterFigures(long records, long pairsFound, long truePairs, long truePositives,
                             Map<String, ClusterFigures> perKind) {

    public double precision() {
        return pairsFound == 0 ? 1 : (double) truePositives / pairsFound;
    }

    public double recall() {
        return truePairs == 0 ? 1 : (double) truePositives / truePairs;
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * Figures of a resolution.
     *
     * @param entities per record, its true entity
     * @param profiles per record, the profile it was resolved to
     * @param kinds    per record, its kind (null entries, or a null list, for none)
     */
    public static ClusterFigures of(List<String> entities, List<String> profiles, List<String> kinds) {
        if (entities.size() != profiles.size() || kinds != null && kinds.size() != entities.size()) {
            throw new IllegalArgumentException("one entity, profile and kind per record");
        }
        Map<String, ClusterFigures> perKind = new TreeMap<>();
        if (kinds != null) {
            for (String kind : new java.util.TreeSet<>(kinds.stream().filter(k -> k != null && !k.isBlank()).toList())) {
                perKind.put(kind, count(entities, profiles, kinds, kind));
            }
        }
        ClusterFigures all = count(entities, profiles, null, null);
        return new ClusterFigures(all.records, all.pairsFound, all.truePairs, all.truePositives, perKind);
    }

    /** Pairs touching a kind: all pairs of a group less those among its records of other kinds. */
    private static ClusterFigures count(List<String> entities, List<String> profiles, List<String> kinds,
                                        String kind) {
        Map<String, long[]> byProfile = new HashMap<>();
        Map<String, long[]> byEntity = new HashMap<>();
        Map<String, long[]> byBoth = new HashMap<>();
        long records = 0;
        for (int i = 0; i < entities.size(); i++) {
            boolean touches = kind == null || kind.equals(kinds.get(i));
            records += touches ? 1 : 0;
            int slot = touches ? 1 : 0;
            byProfile.computeIfAbsent(profiles.get(i), k -> new long[2])[slot]++;
            byEntity.computeIfAbsent(entities.get(i), k -> new long[2])[slot]++;
            byBoth.computeIfAbsent(profiles.get(i) + "\u0000" + entities.get(i), k -> new long[2])[slot]++;
        }
        return new ClusterFigures(records, touching(byProfile, kind), touching(byEntity, kind), touching(byBoth, kind),
                Map.of());
    }

    private static long touching(Map<String, long[]> groups, String kind) {
        long pairs = 0;
        for (long[] counts : groups.values()) {
            long size = counts[0] + counts[1];
            pairs += size * (size - 1) / 2 - (kind == null ? 0 : counts[0] * (counts[0] - 1) / 2);
        }
        return pairs;
    }

    /** One {@code name: value} per line, for scripts; kinds as {@code kind.<name>.precision}. */
    public String lines() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "records: %d%npairs_found: %d%ntrue_pairs: %d%nprecision: %.4f%nrecall: %.4f%nf1: %.4f%n", records,
                pairsFound, truePairs, precision(), recall(), f1()));
        perKind.forEach((kind, figures) -> text.append(String.format(Locale.ROOT,
                "kind.%s.records: %d%nkind.%s.pairs_found: %d%nkind.%s.true_pairs: %d%nkind.%s.precision: %.4f%n"
                        + "kind.%s.recall: %.4f%n", kind, figures.records, kind, figures.pairsFound, kind,
                figures.truePairs, kind, figures.precision(), kind, figures.recall())));
        return text.toString();
    }
}
