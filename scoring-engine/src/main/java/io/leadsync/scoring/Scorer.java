package io.leadsync.scoring;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreResult;

import java.time.Instant;
import java.util.List;

/**
 * Scores one person with a model. The scoring step of the pipeline calls it once per changed profile, from any
 * thread; implementations are stateless and thread-safe.
 *
 * <p>A score is a pure function of the arguments: the same person, activities, model and instant give an equal
 * {@link ScoreResult}, whatever the order of the activities, the wall clock or the JVM. Time enters only through
 * {@code asOf}, which the caller takes from its injected {@code Clock}.
 */
public interface Scorer {

    /**
     * Scores a person.
     *
     * @param person     the resolved profile
     * @param activities the person's activities, in any order; the caller selects them (this does not filter by
     *                   person). Those after {@code asOf} are ignored, and a repeated activity id counts once.
     * @param model      the model to apply
     * @param asOf       the instant the score is for: windows and decay are measured back from it
     * @return the score 0..100 with grade, stage, model id and reasons
     */
    ScoreResult score(Person person, List<Activity> activities, ScoringModel model, Instant asOf);
}
