package io.leadsync.scoring.internal;

import io.leadsync.connector.Person;
import io.leadsync.scoring.Category;
import io.leadsync.scoring.Criterion;
import io.leadsync.scoring.ModelKind;
import io.leadsync.scoring.ScoringModel;
import io.leadsync.scoring.Segment;
import io.leadsync.scoring.SegmentCondition;

import java.util.List;

/**
 * A {@link ScoringModel} prepared for scoring many persons: each segment's conditions and criteria compiled once.
 * Immutable and thread-safe; the scorer keeps the compiled form of the models it last used.
 */
public final class CompiledModel {
    private final ScoringModel model;
    private final Compiled[] segments;
    private final Compiled defaultSegment;

    private CompiledModel(ScoringModel model) {
        this.model = model;
        List<Segment> named = model.segments();
        this.segments = new Compiled[named.size()];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Compiled(named.get(i), model.kind());
        }
        this.defaultSegment = new Compiled(model.defaultSegment(), model.kind());
    }

    public static CompiledModel of(ScoringModel model) {
        return new CompiledModel(model);
    }

    public ScoringModel model() {
        return model;
    }

    /** The segment that scores the person: the first named one whose conditions hold, else the default. */
    public Compiled segmentFor(Person person) {
        for (Compiled segment : segments) {
            if (segment.matches(person)) {
                return segment;
            }
        }
        return defaultSegment;
    }

    /** One segment, compiled. */
    public static final class Compiled {
        private static final int CATEGORIES = Category.values().length;

        private final Segment segment;
        private final ModelKind kind;
        private final FieldReader[] conditionReaders;
        private final ValueTest[] conditionTests;
        private final CompiledCriterion[] criteria;
        private final int[] categories;
        private final double[] caps;
        private final boolean hasCaps;
        /** For each activity type, the indices of the criteria that count it; criteria counting any type apart. */
        private final String[] typeNames;
        private final int[] typeHashes;
        private final int[][] typeCriteria;
        private final int[] anyTypeCriteria;
        private final int[] activityCriteria;

        Compiled(Segment segment, ModelKind kind) {
            this.segment = segment;
            this.kind = kind;
            List<SegmentCondition> when = segment.when();
            this.conditionReaders = new FieldReader[when.size()];
            this.conditionTests = new ValueTest[when.size()];
            for (int i = 0; i < when.size(); i++) {
                conditionReaders[i] = new FieldReader(when.get(i).field());
                conditionTests[i] = ValueTest.of(when.get(i).condition());
            }
            List<Criterion> list = segment.criteria();
            this.criteria = new CompiledCriterion[list.size()];
            this.categories = new int[list.size()];
            for (int i = 0; i < criteria.length; i++) {
                criteria[i] = CompiledCriterion.of(list.get(i));
                categories[i] = list.get(i).category().ordinal();
            }
            this.caps = new double[CATEGORIES];
            for (Category category : Category.values()) {
                caps[category.ordinal()] = segment.cap(category).orElse(Double.NaN);
            }
            this.hasCaps = !segment.caps().isEmpty();
            java.util.Map<String, java.util.List<Integer>> byType = new java.util.LinkedHashMap<>();
            java.util.List<Integer> any = new java.util.ArrayList<>();
            java.util.List<Integer> all = new java.util.ArrayList<>();
            for (int i = 0; i < criteria.length; i++) {
                if (criteria[i] instanceof CompiledCriterion.Activities activities) {
                    all.add(i);
                    String[] types = activities.types();
                    if (types.length == 0) {
                        any.add(i);
                    }
                    for (String type : types) {
                        byType.computeIfAbsent(type, key -> new java.util.ArrayList<>()).add(i);
                    }
                }
            }
            this.typeNames = byType.keySet().toArray(new String[0]);
            this.typeHashes = new int[typeNames.length];
            this.typeCriteria = new int[typeNames.length][];
            for (int t = 0; t < typeNames.length; t++) {
                typeHashes[t] = typeNames[t].hashCode();
                typeCriteria[t] = byType.get(typeNames[t]).stream().mapToInt(Integer::intValue).toArray();
            }
            this.anyTypeCriteria = any.stream().mapToInt(Integer::intValue).toArray();
            this.activityCriteria = all.stream().mapToInt(Integer::intValue).toArray();
        }

        /** The activity criteria counting a type: a short scan of the model's types, hash first. */
        private int[] criteriaCounting(String type) {
            int hash = type.hashCode();
            for (int i = 0; i < typeHashes.length; i++) {
                if (typeHashes[i] == hash && typeNames[i].equals(type)) {
                    return typeCriteria[i];
                }
            }
            return null;
        }

        /**
         * Activity criteria in one pass over the history: each activity is looked up once by type and added to the
         * criteria that count it, in history order, so sums equal those of criterion-by-criterion evaluation.
         */
        private void sumActivities(ActivityHistory history, Outcome outcome) {
            CompiledCriterion.Accumulator[] sums = outcome.sums;
            for (int index : activityCriteria) {
                sums[index].reset();
            }
            java.time.Instant asOf = history.asOf();
            for (int a = 0, size = history.size(); a < size; a++) {
                io.leadsync.connector.Activity activity = history.get(a);
                int[] counting = criteriaCounting(activity.type());
                if (counting != null) {
                    for (int index : counting) {
                        ((CompiledCriterion.Activities) criteria[index]).accumulate(activity, a, asOf,
                                criteria[index].criterion().points(), sums[index]);
                    }
                }
                for (int index : anyTypeCriteria) {
                    ((CompiledCriterion.Activities) criteria[index]).accumulate(activity, a, asOf,
                            criteria[index].criterion().points(), sums[index]);
                }
            }
        }

        public Segment segment() {
            return segment;
        }

        public int size() {
            return criteria.length;
        }

        public CompiledCriterion criterion(int index) {
            return criteria[index];
        }

        boolean matches(Person person) {
            for (int i = 0; i < conditionTests.length; i++) {
                if (!conditionTests[i].test(conditionReaders[i].read(person))) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Evaluates every criterion and the segment's category caps.
         *
         * @return the total: points for a rule model, log-odds (with the intercept) for a logistic one
         */
        public double evaluate(Person person, ActivityHistory history, Outcome outcome) {
            CompiledCriterion.Tally tally = outcome.tally;
            double total = kind == ModelKind.LOGISTIC ? segment.intercept() : 0;
            if (activityCriteria.length > 0) {
                sumActivities(history, outcome);
            }
            for (int i = 0; i < criteria.length; i++) {
                if (criteria[i] instanceof CompiledCriterion.Activities activities) {
                    activities.finish(history, criteria[i].criterion().points(), criteria[i].ownCap(),
                            outcome.sums[i], tally);
                    if (tally.fired && activities.hasWhen() && !activities.whenHolds(person)) {
                        tally.none();
                    }
                } else {
                    criteria[i].score(person, history, tally);
                }
                outcome.fired[i] = tally.fired;
                outcome.points[i] = tally.fired ? tally.points : 0;
                outcome.occurrences[i] = tally.occurrences;
                outcome.capped[i] = tally.capped;
                if (!hasCaps) {
                    total += outcome.points[i];
                }
            }
            if (!hasCaps) {
                return total;
            }
            double[] sums = outcome.categorySums;
            java.util.Arrays.fill(sums, 0);
            for (int i = 0; i < criteria.length; i++) {
                sums[categories[i]] += outcome.points[i];
            }
            for (int c = 0; c < CATEGORIES; c++) {
                double cap = caps[c];
                boolean binds = !Double.isNaN(cap) && (cap > 0 ? sums[c] > cap : sums[c] < cap);
                outcome.categoryScale[c] = binds ? cap / sums[c] : 1;
            }
            for (int i = 0; i < criteria.length; i++) {
                double scale = outcome.categoryScale[categories[i]];
                if (scale != 1) {
                    outcome.points[i] *= scale;
                }
                total += outcome.points[i];
            }
            return total;
        }

        /** The cap of a criterion's category, or NaN. */
        public double capOf(int index) {
            return caps[categories[index]];
        }

        /** Whether the category cap of a criterion bound in the outcome. */
        public boolean categoryCapped(int index, Outcome outcome) {
            return hasCaps && outcome.categoryScale[categories[index]] != 1;
        }

        /** Scratch space for one evaluation of this segment. */
        public Outcome newOutcome() {
            return new Outcome(criteria.length);
        }

        /**
         * This thread's scratch space for the segment, reused from score to score (its arrays are overwritten by
         * every evaluation): valid until the thread's next evaluation of the segment.
         */
        public Outcome threadOutcome() {
            return scratch.get();
        }

        private final ThreadLocal<Outcome> scratch = ThreadLocal.withInitial(this::newOutcomeUnused);

        private Outcome newOutcomeUnused() {
            return new Outcome(criteria.length);
        }
    }

    /** What each criterion of a segment gave, for one person. Not thread-safe; one per evaluation. */
    public static final class Outcome {
        final CompiledCriterion.Tally tally = new CompiledCriterion.Tally();
        public final boolean[] fired;
        public final double[] points;
        public final int[] occurrences;
        public final boolean[] capped;
        final double[] categoryScale = new double[Category.values().length];
        final double[] categorySums = new double[Category.values().length];

        final CompiledCriterion.Accumulator[] sums;

        Outcome(int size) {
            sums = new CompiledCriterion.Accumulator[size];
            for (int i = 0; i < size; i++) {
                sums[i] = new CompiledCriterion.Accumulator();
            }
            fired = new boolean[size];
            points = new double[size];
            occurrences = new int[size];
            capped = new boolean[size];
        }

        /** The tally of the last criterion evaluated, with that criterion's occurrences and cap, for its detail. */
        public CompiledCriterion.Tally tallyOf(int index) {
            tally.fired = fired[index];
            tally.points = points[index];
            tally.occurrences = occurrences[index];
            tally.capped = capped[index];
            return tally;
        }
    }
}
