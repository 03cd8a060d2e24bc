package io.leadsync.scoring.eval.internal;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One column of training data, binned: an attribute of the person, or a count or decayed count of activities as an
 * activity criterion computes it. Every case falls in exactly one bin. Value bins come first ({@code 0 ..
 * valueBins - 1}), ordered by value for numbers; then the special bins, each its own band in the points table:
 * missing, then one per sentinel value (a code such as {@code pdays = 999}, "never contacted"), then values that are
 * no number in a numeric column (never learned: they score 0, as {@code at-least} never matches them).
 */
public final class Column {

    /** What the column holds, which fixes how its bands are written. */
    public enum Kind {
        /** A numeric attribute: bands {@code at-least a, below b}. */
        NUMBER,
        /** A text attribute, or a numeric one that is a code: groups of values, {@code in: [...]}. */
        CATEGORY,
        /** How many activities of some types lie within a window: count rules. */
        ACTIVITY_COUNT,
        /** Activities of some types, each decayed by its age: one criterion with a half-life and a cap. */
        ACTIVITY_DECAY
    }

    final String name;
    final Kind kind;
    /** The attribute read ({@link Kind#NUMBER}, {@link Kind#CATEGORY}), else null. */
    final String field;
    /** Activity types counted, window, half-life (activity columns). */
    final List<String> activityTypes;
    final OptionalInt withinDays;
    final OptionalDouble halfLifeDays;

    /** Whether splits and bands follow the value order (numbers) rather than grouping values by effect. */
    final boolean ordinal;
    final int valueBins;
    /** Numeric value bins: the smallest and largest training value in each. */
    final double[] binMin;
    final double[] binMax;
    /** Category (and code) value bins: the spellings of the values in each, as seen in training. */
    final List<Set<String>> levels;
    /** The value bin of rare categories (and of categories never seen), or -1. */
    final int otherBin;
    final int missingBin;
    final double[] sentinels;
    final List<Set<String>> sentinelSpellings;
    final int firstSentinelBin;
    final int junkBin;
    final int bins;
    /** The bin of each training case. */
    final short[] bin;
    /** The training values of a numeric column's value bins, sorted (to round cut points), else null. */
    double[] sorted;

    Column(String name, Kind kind, String field, List<String> activityTypes, OptionalInt withinDays,
           OptionalDouble halfLifeDays, boolean ordinal, int valueBins, double[] binMin, double[] binMax,
           List<Set<String>> levels, int otherBin, boolean hasMissing, double[] sentinels,
           List<Set<String>> sentinelSpellings, boolean hasJunk, short[] bin) {
        this.name = name;
        this.kind = kind;
        this.field = field;
        this.activityTypes = activityTypes;
        this.withinDays = withinDays;
        this.halfLifeDays = halfLifeDays;
        this.ordinal = ordinal;
        this.valueBins = valueBins;
        this.binMin = binMin;
        this.binMax = binMax;
        this.levels = levels;
        this.otherBin = otherBin;
        int next = valueBins;
        this.missingBin = hasMissing ? next++ : -1;
        this.sentinels = sentinels;
        this.sentinelSpellings = sentinelSpellings;
        this.firstSentinelBin = next;
        next += sentinels.length;
        this.junkBin = hasJunk ? next++ : -1;
        this.bins = next;
        this.bin = bin;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    boolean isActivity() {
        return kind == Kind.ACTIVITY_COUNT || kind == Kind.ACTIVITY_DECAY;
    }

    boolean isSentinel(int b) {
        return b >= firstSentinelBin && b < firstSentinelBin + sentinels.length;
    }

    /** Whether the bin is learned: every bin but that of values that are no number. */
    boolean learned(int b) {
        return b != junkBin;
    }

    @Override
    public String toString() {
        return name + " (" + kind + (ordinal ? "" : ", grouped") + ", " + bins + " bins)";
    }
}
