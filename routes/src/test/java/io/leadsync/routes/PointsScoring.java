package io.leadsync.routes;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreReason;
import io.leadsync.connector.ScoreResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** A transparent test model: the "points" attribute, plus 40 for a VP title; grade A from 60; task at 60. */
final class PointsScoring implements ScoringService {
    @Override
    public String modelId() {
        return "points@1";
    }

    @Override
    public OptionalInt taskThreshold() {
        return OptionalInt.of(60);
    }

    @Override
    public ScoreResult score(Person golden, List<Activity> activities, Instant asOf) {
        if (golden.attributes().containsKey("unscorable")) {
            throw new IllegalArgumentException("attribute 'unscorable' cannot be scored");
        }
        List<ScoreReason> reasons = new ArrayList<>();
        int points = Integer.parseInt(golden.attributes().getOrDefault("points", "0"));
        if (points != 0) {
            reasons.add(new ScoreReason("Points", "fit", points, ""));
        }
        if (golden.title() != null && golden.title().contains("VP")) {
            points += 40;
            reasons.add(new ScoreReason("VP title", "fit", 40, golden.title()));
        }
        int score = Math.max(0, Math.min(100, points));
        return new ScoreResult(score, score >= 60 ? "A" : score >= 30 ? "B" : "C", null, modelId(), reasons,
                reasons.stream().map(r -> "+" + (int) r.points() + " " + r.criterion()).reduce((a, b) -> a + "; " + b)
                        .orElse(""));
    }
}
