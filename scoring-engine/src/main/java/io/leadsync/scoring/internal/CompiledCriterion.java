package io.leadsync.scoring.internal;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.scoring.ActivityCriterion;
import io.leadsync.scoring.Criterion;
import io.leadsync.scoring.FieldCriterion;

import java.time.Instant;
import java.util.Map;

/**
 * One criterion prepared for scoring many persons: field names resolved, numeric bounds pre-converted, activity
 * types and filters in arrays. Pure: what it reports depends on its arguments only. Immutable and thread-safe.
 */
public abstract class CompiledCriterion {
    private static final double SECONDS_PER_DAY = 86_400.0;
    private static final int MAX_SHOWN_VALUE_LENGTH = 60;

    final Criterion criterion;
    private final double ownCap;
    private final FieldReader[] whenReaders;
    private final ValueTest[] whenTests;

    CompiledCriterion(Criterion criterion) {
        this.criterion = criterion;
        this.ownCap = criterion instanceof ActivityCriterion activity && activity.max().isPresent()
                ? activity.max().getAsDouble() : Double.NaN;
        java.util.List<io.leadsync.scoring.SegmentCondition> when = criterion.when();
        this.whenReaders = new FieldReader[when.size()];
        this.whenTests = new ValueTest[when.size()];
        for (int i = 0; i < whenReaders.length; i++) {
            whenReaders[i] = new FieldReader(when.get(i).field());
            whenTests[i] = ValueTest.of(when.get(i).condition());
        }
    }

    /** Whether the criterion's {@code when} conditions hold for the person (always, without conditions). */
    final boolean whenHolds(Person person) {
        for (int i = 0; i < whenTests.length; i++) {
            if (!whenTests[i].test(whenReaders[i].read(person))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the criterion has {@code when} conditions. */
    final boolean hasWhen() {
        return whenTests.length > 0;
    }

    public static CompiledCriterion of(Criterion criterion) {
        if (criterion instanceof FieldCriterion) {
            return new Field((FieldCriterion) criterion);
        }
        if (criterion instanceof ActivityCriterion) {
            return new Activities((ActivityCriterion) criterion);
        }
        throw new IllegalStateException("no evaluator for " + criterion.getClass().getName());
    }

    public Criterion criterion() {
        return criterion;
    }

    /**
     * Evaluates the criterion: whether it fires, with which points, over how many activities.
     *
     * @param coefficient the points per occurrence (once for field criteria and count rules): the criterion's own
     *                    for a score, 1 for a feature value
     * @param cap         the cap on the total in the same unit, or NaN for none
     * @param tally       receives the outcome
     */
    public abstract void evaluate(Person person, ActivityHistory history, double coefficient, double cap,
                                  Tally tally);

    /** The criterion's points with its own cap: what it adds to a score. */
    public final void score(Person person, ActivityHistory history, Tally tally) {
        evaluate(person, history, criterion.points(), ownCap, tally);
    }

    /** The criterion's own cap ({@code max}) in points, or NaN. */
    final double ownCap() {
        return ownCap;
    }

    /** What matched, for the reasons: {@code title "VP Sales"}, {@code 3 in 90 days, capped at 30}. */
    public abstract String detail(Person person, Tally tally);

    /** What a criterion that fired reports. Reused from criterion to criterion; not thread-safe. */
    public static final class Tally {
        public boolean fired;
        public double points;
        /** Counted activities, or -1 for a field criterion. */
        public int occurrences;
        /** Whether the criterion's cap lowered its total. */
        public boolean capped;

        void none() {
            fired = false;
            points = 0;
            occurrences = -1;
            capped = false;
        }
    }

    private static final class Field extends CompiledCriterion {
        private final FieldReader reader;
        private final ValueTest test;

        Field(FieldCriterion criterion) {
            super(criterion);
            this.reader = new FieldReader(criterion.field());
            this.test = ValueTest.of(criterion.condition());
        }

        @Override
        public void evaluate(Person person, ActivityHistory history, double coefficient, double cap, Tally tally) {
            tally.none();
            if (test.test(reader.read(person)) && whenHolds(person)) {
                tally.fired = true;
                tally.points = coefficient;
            }
        }

        @Override
        public String detail(Person person, Tally tally) {
            String value = reader.read(person);
            return value == null ? reader.field() + " is empty" : reader.field() + " \"" + abbreviate(value) + "\"";
        }
    }

    /** Running sums of one activity criterion over a history. */
    static final class Accumulator {
        int count;
        double total;
        int latest = -1;

        void reset() {
            count = 0;
            total = 0;
            latest = -1;
        }
    }

    static final class Activities extends CompiledCriterion {
        private final ActivityCriterion activity;
        private final String[] types;
        private final boolean anyType;
        private final long windowSeconds;
        private final double halfLifeDays;
        /** {@code 1 / half-life}: halvings per day of age. */
        private final double halvingsPerDay;
        private final String[] whereKeys;
        private final String[] whereValues;
        private final int atLeast;
        private final int atMost;
        private final boolean countRule;

        Activities(ActivityCriterion criterion) {
            super(criterion);
            this.activity = criterion;
            this.types = criterion.activityTypes().toArray(new String[0]);
            this.anyType = criterion.countsAnyType();
            this.windowSeconds = criterion.withinDays().isPresent()
                    ? criterion.withinDays().getAsInt() * 86_400L : -1;
            this.halfLifeDays = criterion.halfLifeDays().orElse(Double.NaN);
            this.halvingsPerDay = 1 / halfLifeDays;
            this.whereKeys = new String[criterion.where().size()];
            this.whereValues = new String[whereKeys.length];
            int i = 0;
            for (Map.Entry<String, String> condition : criterion.where().entrySet()) {
                whereKeys[i] = condition.getKey();
                whereValues[i] = condition.getValue().strip();
                i++;
            }
            this.atLeast = criterion.atLeast().orElse(-1);
            this.atMost = criterion.atMost().orElse(-1);
            this.countRule = criterion.isCountRule();
        }

        @Override
        public void evaluate(Person person, ActivityHistory history, double coefficient, double cap, Tally tally) {
            Instant asOf = history.asOf();
            Accumulator sum = new Accumulator();
            for (int i = 0, size = history.size(); i < size; i++) {
                Activity candidate = history.get(i);
                if (countsType(candidate.type())) {
                    accumulate(candidate, i, asOf, coefficient, sum);
                }
            }
            finish(history, coefficient, cap, sum, tally);
            if (tally.fired && !whenHolds(person)) {
                tally.none();
            }
        }

        /** Whether activities of this type count (before the window and where conditions). */
        boolean countsType(String type) {
            if (anyType) {
                return true;
            }
            for (String wanted : types) {
                if (wanted.equals(type)) {
                    return true;
                }
            }
            return false;
        }

        /** The activity types this criterion counts, or empty for every type. */
        String[] types() {
            return anyType ? new String[0] : types.clone();
        }

        /**
         * Adds one activity of a counted type, at index {@code i} of the history, if it lies in the window and meets
         * the where conditions. Activities must come oldest first, so sums are the same bit for bit.
         */
        void accumulate(Activity candidate, int i, Instant asOf, double coefficient, Accumulator sum) {
            if (whereKeys.length > 0 && !meetsWhere(candidate)) {
                return;
            }
            long asOfSecond = asOf.getEpochSecond();
            int asOfNano = asOf.getNano();
            if (windowSeconds >= 0) {
                Instant at = candidate.occurredAt();
                long second = at.getEpochSecond();
                long windowStartSecond = asOfSecond - windowSeconds;
                if (second < windowStartSecond || second == windowStartSecond && at.getNano() < asOfNano) {
                    return;
                }
            }
            sum.count++;
            sum.latest = i;
            if (!countRule) {
                sum.total += coefficient * decay(candidate, asOfSecond, asOfNano);
            }
        }

        /** Turns the sums into the criterion's outcome. */
        void finish(ActivityHistory history, double coefficient, double cap, Accumulator sum, Tally tally) {
            tally.none();
            int count = sum.count;
            tally.occurrences = count;
            if (countRule) {
                if ((atLeast < 0 || count >= atLeast) && (atMost < 0 || count <= atMost)) {
                    tally.fired = true;
                    Instant asOf = history.asOf();
                    tally.points = sum.latest >= 0 && !Double.isNaN(halfLifeDays)
                            ? coefficient * decay(history.get(sum.latest), asOf.getEpochSecond(), asOf.getNano())
                            : coefficient;
                }
                return;
            }
            if (count == 0) {
                return;
            }
            double total = sum.total;
            double capped = total;
            if (!Double.isNaN(cap)) {
                capped = coefficient > 0 ? Math.min(total, cap) : Math.max(total, cap);
            }
            tally.fired = true;
            tally.points = capped;
            tally.capped = capped != total;
        }

        private boolean meetsWhere(Activity candidate) {
            Map<String, String> properties = candidate.properties();
            for (int i = 0; i < whereKeys.length; i++) {
                String actual = properties.get(whereKeys[i]);
                if (actual == null || !actual.strip().equalsIgnoreCase(whereValues[i])) {
                    return false;
                }
            }
            return true;
        }

        /**
         * {@code 0.5^(age / half-life)}, with the age in fractional days; 1 without a half-life. The same bits on
         * every JVM and CPU ({@link HalfLife}).
         */
        private double decay(Activity candidate, long asOfSecond, int asOfNano) {
            if (Double.isNaN(halfLifeDays)) {
                return 1;
            }
            Instant at = candidate.occurredAt();
            long seconds = asOfSecond - at.getEpochSecond();
            int nanos = asOfNano - at.getNano();
            if (nanos < 0) {
                seconds--;
                nanos += 1_000_000_000;
            }
            double ageDays = (seconds + nanos / 1e9) / SECONDS_PER_DAY;
            return HalfLife.power(ageDays * halvingsPerDay);
        }

        @Override
        public String detail(Person person, Tally tally) {
            int count = tally.occurrences;
            String detail;
            if (activity.withinDays().isPresent()) {
                detail = count + " in " + activity.withinDays().getAsInt() + " days";
            } else {
                detail = count + (count == 1 ? " occurrence" : " occurrences");
            }
            if (tally.capped && activity.max().isPresent()) {
                detail += ", capped at " + Decimals.format(activity.max().getAsDouble());
            }
            return detail;
        }
    }

    static String abbreviate(String value) {
        if (value.length() <= MAX_SHOWN_VALUE_LENGTH) {
            return value;
        }
        int end = MAX_SHOWN_VALUE_LENGTH - 1;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + "…";
    }
}
