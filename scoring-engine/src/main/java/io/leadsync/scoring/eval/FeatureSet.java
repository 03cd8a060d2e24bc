package io.leadsync.scoring.eval;

import io.leadsync.scoring.ActivityCriterion;
import io.leadsync.scoring.Criterion;
import io.leadsync.scoring.ScoringModel;
import io.leadsync.scoring.internal.ActivityHistory;
import io.leadsync.scoring.internal.CompiledCriterion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The features a model is trained on: criteria, each read as a number per person, in the criterion's own unit (1 when
 * a field criterion or count rule fires, else 0; for an activity criterion, the decayed count of its activities, at
 * most {@code max / points}). A trained weight {@code w} therefore turns a criterion back into one of a logistic model
 * with {@code weight: w} and {@code max: w × max / points}, scoring exactly as training saw it.
 *
 * <p>Features are an existing model's criteria ({@link #of(ScoringModel)}, training "over the same criteria"), or the
 * bands {@link AdditiveTrainer} writes. Immutable.
 */
public final class FeatureSet {
    private final List<Criterion> criteria;
    private final CompiledCriterion[] compiled;
    private final double[] caps;

    private FeatureSet(List<Criterion> criteria) {
        Set<String> names = new HashSet<>();
        List<Criterion> unique = new ArrayList<>();
        for (Criterion criterion : criteria) {
            if (names.add(criterion.name().toLowerCase(Locale.ROOT))) {
                unique.add(criterion);
            }
        }
        this.criteria = List.copyOf(unique);
        this.compiled = new CompiledCriterion[unique.size()];
        this.caps = new double[unique.size()];
        for (int i = 0; i < compiled.length; i++) {
            Criterion criterion = unique.get(i);
            compiled[i] = CompiledCriterion.of(criterion);
            caps[i] = criterion instanceof ActivityCriterion activity && activity.max().isPresent()
                    && !activity.isCountRule() ? activity.max().getAsDouble() / activity.points() : Double.NaN;
        }
    }

    /** Features that are exactly these criteria (names unique ignoring case; later duplicates are dropped). */
    public static FeatureSet of(List<Criterion> criteria) {
        return new FeatureSet(criteria);
    }

    /** The criteria of a model's top level and of each of its segments. */
    public static FeatureSet of(ScoringModel model) {
        List<Criterion> all = new ArrayList<>();
        model.allSegments().forEach(segment -> all.addAll(segment.criteria()));
        return new FeatureSet(all);
    }

    /** These features and then those of another set. */
    public FeatureSet plus(FeatureSet other) {
        List<Criterion> all = new ArrayList<>(criteria);
        all.addAll(other.criteria);
        return new FeatureSet(all);
    }

    public List<Criterion> criteria() {
        return criteria;
    }

    public int size() {
        return criteria.size();
    }

    /** The feature values of one case. */
    public double[] values(LabelledCase labelled) {
        double[] values = new double[compiled.length];
        ActivityHistory history = ActivityHistory.upTo(labelled.asOf(), labelled.activities());
        CompiledCriterion.Tally tally = new CompiledCriterion.Tally();
        for (int i = 0; i < compiled.length; i++) {
            compiled[i].evaluate(labelled.person(), history, 1, caps[i], tally);
            values[i] = tally.fired ? tally.points : 0;
        }
        return values;
    }

    /** How many occurrences {@code max} allows for feature {@code i}, or NaN: a trained weight's cap is w times it. */
    public double occurrenceCap(int i) {
        return caps[i];
    }

    @Override
    public String toString() {
        return criteria.size() + " features " + Arrays.toString(criteria.stream().map(Criterion::name)
                .sorted(Comparator.naturalOrder()).limit(5).toArray()) + "...";
    }
}
