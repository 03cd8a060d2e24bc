package io.leadsync.scoring;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreReason;
import io.leadsync.connector.ScoreResult;
import io.leadsync.scoring.internal.ActivityHistory;
import io.leadsync.scoring.internal.Contribution;
import io.leadsync.scoring.internal.CriterionEvaluator;
import io.leadsync.scoring.internal.Decimals;
import io.leadsync.scoring.internal.ReasonText;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies a rule-based {@link ScoringModel}: every criterion that fires adds its points, after decay and caps;
 * the total is clamped to 0..100 and rounded half up to a whole score, which picks the grade and stage.
 *
 * <p>Reasons list the criteria that fired, largest contribution first (by absolute points rounded to 0.1, then by
 * name); a criterion whose decayed contribution rounds to 0.0 still counts towards the score but is not listed.
 * The reasons text is cut on a reason boundary to the model's {@code reasons.max-length}.
 *
 * <p>Stateless and thread-safe; share one instance.
 */
public final class RuleScorer implements Scorer {

    @Override
    public ScoreResult score(Person person, List<Activity> activities, ScoringModel model, Instant asOf) {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(activities, "activities");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(asOf, "asOf");
        List<Activity> history = ActivityHistory.upTo(asOf, activities);

        double total = 0;
        List<Contribution> shown = new ArrayList<>();
        for (Criterion criterion : model.criteria()) {
            Optional<Contribution> contribution = CriterionEvaluator.evaluate(criterion, person, history, asOf);
            if (contribution.isPresent()) {
                total += contribution.get().points();
                if (contribution.get().shownPoints() != 0) {
                    shown.add(contribution.get());
                }
            }
        }
        shown.sort(Contribution.BY_WEIGHT);

        int score = Decimals.roundToScore(total);
        List<ScoreReason> reasons = shown.stream().map(Contribution::toReason).toList();
        return new ScoreResult(score, model.gradeFor(score), model.stageFor(score).orElse(null), model.id(), reasons,
                ReasonText.format(shown, model.reasonsMaxLength()));
    }
}
