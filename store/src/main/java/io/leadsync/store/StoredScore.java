package io.leadsync.store;

import io.leadsync.connector.ScoreResult;

import java.time.Instant;

/**
 * A profile's current score as stored.
 *
 * @param scoredAt  when it was last computed
 * @param changedAt when its value last changed
 */
public record StoredScore(String profileId, ScoreResult result, Instant scoredAt, Instant changedAt) {
}
