package io.leadsync.routes;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreResult;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * What the pipeline asks of scoring: a score for a golden profile, the model that gives it, and the threshold
 * whose upward crossing creates a follow-up task. Called on the job's thread; implementations are pure functions
 * of their inputs and may swap their model between calls (a model change picked up without restart).
 */
public interface ScoringService {

    /** The active model, as {@code name@version}. */
    String modelId();

    /** The score at or above which a person is hot and gets a task, if the model sets one. */
    OptionalInt taskThreshold();

    ScoreResult score(Person golden, List<Activity> activities, Instant asOf);
}
