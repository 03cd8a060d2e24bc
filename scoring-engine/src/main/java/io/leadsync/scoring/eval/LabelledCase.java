package io.leadsync.scoring.eval;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One person of labelled history: who they were and what they did up to an instant, and whether they converted
 * after it. Training fits weights on such cases; a backtest scores them and compares scores with outcomes.
 *
 * @param person     the person as known at {@code asOf}
 * @param activities their activities (those after {@code asOf} are ignored by scoring)
 * @param asOf       the instant the score is taken at
 * @param converted  the outcome: whether the person converted
 */
public record LabelledCase(Person person, List<Activity> activities, Instant asOf, boolean converted) {
    public LabelledCase {
        Objects.requireNonNull(person, "person");
        activities = List.copyOf(activities);
        Objects.requireNonNull(asOf, "asOf");
    }
}
