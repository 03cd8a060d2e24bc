package io.leadsync.scoring;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreReason;
import io.leadsync.connector.ScoreResult;
import io.leadsync.scoring.internal.ActivityHistory;
import io.leadsync.scoring.internal.CompiledCriterion;
import io.leadsync.scoring.internal.CompiledModel;
import io.leadsync.scoring.internal.Contribution;
import io.leadsync.scoring.internal.Decimals;
import io.leadsync.scoring.internal.Logistic;
import io.leadsync.scoring.internal.ReasonText;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies a {@link ScoringModel} of either kind. The person's segment (the first named segment whose conditions
 * hold, else the model's top-level criteria) picks the criteria; every criterion that fires contributes its points,
 * after decay and its own cap; a category cap, when the category's total exceeds it, scales that category's
 * contributions down proportionally so they sum to the cap.
 * <ul>
 *   <li>{@link ModelKind#RULE}: the total is clamped to 0..100 and rounded half up to a whole score.</li>
 *   <li>{@link ModelKind#LOGISTIC}: contributions are log-odds; the score is
 *       {@code round(100 × 1 / (1 + e^-(intercept + total)))}.</li>
 * </ul>
 * The score picks the grade and stage.
 *
 * <p>Reasons list the criteria that fired, largest contribution first (by absolute points rounded to 0.1, then by
 * name); a criterion whose decayed contribution rounds to 0.0 still counts towards the score but is not listed.
 * The reasons text is cut on a reason boundary to the model's {@code reasons.max-length}.
 *
 * <p>Thread-safe; share one instance. It keeps the compiled form of the two models it used last, so scoring many
 * persons with one model resolves field names, bounds and activity types once.
 */
public final class RuleScorer implements Scorer {
    private volatile CompiledModel recent;
    private volatile CompiledModel previous;

    @Override
    public ScoreResult score(Person person, List<Activity> activities, ScoringModel model, Instant asOf) {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(activities, "activities");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(asOf, "asOf");
        ActivityHistory history = ActivityHistory.upTo(asOf, activities);
        CompiledModel.Compiled segment = compiled(model).segmentFor(person);
        CompiledModel.Outcome outcome = segment.threadOutcome();
        double total = segment.evaluate(person, history, outcome);

        List<Contribution> shown = new ArrayList<>(segment.size());
        for (int i = 0; i < segment.size(); i++) {
            if (!outcome.fired[i]) {
                continue;
            }
            double shownPoints = Decimals.tenths(outcome.points[i]);
            if (shownPoints == 0) {
                continue;
            }
            CompiledCriterion criterion = segment.criterion(i);
            String detail = criterion.detail(person, outcome.tallyOf(i));
            if (segment.categoryCapped(i, outcome)) {
                detail += ", " + criterion.criterion().category().key() + " capped at "
                        + Decimals.format(segment.capOf(i));
            }
            shown.add(new Contribution(criterion.criterion(), outcome.points[i], shownPoints,
                    criterion.criterion() instanceof ActivityCriterion ? outcome.occurrences[i] : -1, detail));
        }
        shown.sort(Contribution.BY_WEIGHT);

        int score = toScore(model.kind(), total);
        List<ScoreReason> reasons = new ArrayList<>(shown.size());
        for (Contribution contribution : shown) {
            reasons.add(contribution.toReason());
        }
        return new ScoreResult(score, model.gradeFor(score), model.stageFor(score).orElse(null), model.id(), reasons,
                ReasonText.format(shown, model.reasonsMaxLength()));
    }

    /**
     * The model's raw output before rounding, for evaluations that need more than the whole score: for a rule model
     * the total points (not clamped), for a logistic model the conversion probability 0..1.
     */
    public double rawScore(Person person, List<Activity> activities, ScoringModel model, Instant asOf) {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(activities, "activities");
        Objects.requireNonNull(asOf, "asOf");
        ActivityHistory history = ActivityHistory.upTo(asOf, activities);
        CompiledModel.Compiled segment = compiled(model).segmentFor(person);
        double total = segment.evaluate(person, history, segment.threadOutcome());
        return model.kind() == ModelKind.LOGISTIC ? Logistic.probability(total) : total;
    }

    /** The whole score 0..100 of a segment's total. */
    static int toScore(ModelKind kind, double total) {
        return kind == ModelKind.LOGISTIC ? Decimals.roundToScore(100 * Logistic.probability(total))
                : Decimals.roundToScore(total);
    }

    private CompiledModel compiled(ScoringModel model) {
        CompiledModel compiled = recent;
        if (compiled != null && compiled.model() == model) {
            return compiled;
        }
        compiled = previous;
        if (compiled == null || compiled.model() != model) {
            compiled = CompiledModel.of(model);
        }
        // benign races: at worst a model is compiled twice
        previous = recent;
        recent = compiled;
        return compiled;
    }
}
