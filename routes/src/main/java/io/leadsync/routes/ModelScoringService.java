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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scores with the rule model in a YAML file. {@link #reloadIfChanged()} swaps in a new version of the file only if
 * it validates; otherwise the model in use stays in use.
 */
public final class ModelScoringService implements ScoringService {
    private final Path file;
    private final Scorer scorer = new RuleScorer();
    private final AtomicReference<ScoringModel> model;
    private String activeHash;
    private String rejectedHash;
    private volatile String lastProblem;

    private ModelScoringService(Path file, ScoringModel model, String hash) {
        this.file = file;
        this.model = new AtomicReference<>(model);
        this.activeHash = hash;
    }

    /**
     * Loads and validates a model file.
     *
     * @throws ModelValidationException naming the file and line of each problem
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static ModelScoringService load(Path file) {
        String text = text(file);
        return new ModelScoringService(file, ScoringModel.parse(text, file.toString()), hash(text));
    }

    /**
     * A model given as text (a candidate to preview); it has no file to reload.
     *
     * @throws ModelValidationException naming {@code sourceName} and the line of each problem
     */
    public static ModelScoringService parse(String yaml, String sourceName) {
        return new ModelScoringService(null, ScoringModel.parse(yaml, sourceName), hash(yaml));
    }

    /**
     * Reads the file again if its content changed. A file that validates replaces the model in use and is returned;
     * one that does not leaves the model in use alone and throws, once per version of the file.
     *
     * @return the new model, or empty when the file did not change (or its invalid version was reported already)
     * @throws ModelValidationException naming the file and line of each problem
     */
    public synchronized Optional<ScoringModel> reloadIfChanged() {
        if (file == null) {
            return Optional.empty();
        }
        String text = text(file);
        String hash = hash(text);
        if (hash.equals(activeHash) || hash.equals(rejectedHash)) {
            return Optional.empty();
        }
        ScoringModel next;
        try {
            next = ScoringModel.parse(text, file.toString());
        } catch (ModelValidationException e) {
            rejectedHash = hash;
            lastProblem = e.getMessage();
            throw e;
        }
        activeHash = hash;
        rejectedHash = null;
        lastProblem = null;
        model.set(next);
        return Optional.of(next);
    }

    /** Why the file's current content was refused, if it was. */
    public Optional<String> lastProblem() {
        return Optional.ofNullable(lastProblem);
    }

    private static String text(Path file) {
        try {
            return java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scoring model " + file.toAbsolutePath() + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }

    private static String hash(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
