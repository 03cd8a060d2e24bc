package io.leadsync.routes;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreResult;
import io.leadsync.scoring.ModelValidationException;
import io.leadsync.scoring.RuleScorer;
import io.leadsync.scoring.Scorer;
import io.leadsync.scoring.ScoringModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scores with the rule model in a YAML file. {@link #reload()} swaps in a new version of the file only if it
 * validates; otherwise the model in use stays in use.
 */
public final class ModelScoringService implements ScoringService {
    private final Path file;
    private final Scorer scorer = new RuleScorer();
    private final AtomicReference<ScoringModel> model;

    private ModelScoringService(Path file, ScoringModel model) {
        this.file = file;
        this.model = new AtomicReference<>(model);
    }

    /**
     * Loads and validates a model file.
     *
     * @throws ModelValidationException naming the file and line of each problem
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static ModelScoringService load(Path file) {
        return new ModelScoringService(file, read(file));
    }

    private static ScoringModel read(Path file) {
        try {
            return ScoringModel.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scoring model " + file.toAbsolutePath() + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }

    /** Re-reads the file; the new model replaces the current one only if it is valid. Returns the model in use. */
    public ScoringModel reload() {
        ScoringModel next = read(file);
        model.set(next);
        return next;
    }

    public ScoringModel model() {
        return model.get();
    }

    public Path file() {
        return file;
    }

    @Override
    public String modelId() {
        return model.get().id();
    }

    @Override
    public OptionalInt taskThreshold() {
        return model.get().taskThreshold();
    }

    @Override
    public ScoreResult score(Person golden, List<Activity> activities, Instant asOf) {
        return scorer.score(golden, activities, model.get(), asOf);
    }
}
