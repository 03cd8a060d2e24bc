package io.leadsync.connector;

import java.util.List;
import java.util.Objects;

/**
 * A person's score and why: what the scoring engine computes and sinks write back.
 *
 * @param score        0-100
 * @param grade        the grade band the score falls in ({@code A}..{@code D})
 * @param stage        the lifecycle stage the score implies ({@code MQL}, {@code lead}), or null if the model sets none
 * @param modelVersion the model that produced it, as {@code name@version}
 * @param reasons      the criteria that fired with their points, largest contribution first
 * @param reasonText   a short text for the CRM reasons field, e.g. {@code "+30 Pricing page x3; +20 VP title"}
 */
public record ScoreResult(int score, String grade, String stage, String modelVersion, List<ScoreReason> reasons,
                          String reasonText) {
    public ScoreResult {
        if (score < 0 || score > 100) {
            throw new IllegalArgumentException("score must be within 0..100 but was " + score);
        }
        grade = Values.requireText(grade, "grade");
        modelVersion = Values.requireText(modelVersion, "modelVersion");
        reasons = List.copyOf(reasons);
        reasonText = Objects.requireNonNullElse(reasonText, "");
    }
}
