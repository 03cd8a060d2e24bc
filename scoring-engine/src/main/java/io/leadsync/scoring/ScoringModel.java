package io.leadsync.scoring;

import io.leadsync.scoring.internal.ModelParser;
import io.leadsync.scoring.internal.ModelRules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A rule-based scoring model: criteria with points, grade and stage bands, a task threshold. Immutable and safe
 * to share between threads; {@link RuleScorer} applies it to a person.
 *
 * <p>Models usually come from a YAML file an admin edits (see the package documentation for the format), through
 * {@link #load(Path)} or {@link #parse(String, String)}. Both are free of side effects: a file that fails
 * validation throws {@link ModelValidationException} and leaves whatever model the caller holds untouched. The
 * constructor enforces the same rules for models built in code, throwing {@link IllegalArgumentException}.
 *
 * @param name              the model's name, e.g. {@code default}
 * @param version           the model's version as written ({@code 3}, {@code 2024.06})
 * @param criteria          fit, then engagement, then negative criteria, each in file order
 * @param grades            grade bands, highest first; the last starts at 0
 * @param stages            lifecycle stage bands, highest first, or empty if the model sets no stage
 * @param taskThreshold     the score whose upward crossing creates a follow-up task, if any
 * @param reasonsMaxLength  the longest reasons text the CRM field takes
 */
public record ScoringModel(String name, String version, List<Criterion> criteria, List<Band> grades,
                           List<Band> stages, OptionalInt taskThreshold, int reasonsMaxLength) {

    /** The reasons text length when a model sets none: a CRM single-line text field. */
    public static final int DEFAULT_REASONS_MAX_LENGTH = 255;

    public ScoringModel {
        criteria = List.copyOf(criteria);
        grades = List.copyOf(grades);
        stages = List.copyOf(stages);
        Objects.requireNonNull(taskThreshold, "taskThreshold");
        List<String> problems =
                ModelRules.check(name, version, criteria, grades, stages, taskThreshold, reasonsMaxLength);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * Reads and validates a model file (UTF-8).
     *
     * @throws ModelValidationException if the file is no valid model; problems name the file as given here
     * @throws IOException              if it cannot be read
     */
    public static ScoringModel load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses and validates a model.
     *
     * @param yaml       the model in YAML
     * @param sourceName where it came from, to start each problem with, e.g. {@code default-model.yml}
     * @throws ModelValidationException listing every problem as {@code <source>:<line>: <reason>}
     */
    public static ScoringModel parse(String yaml, String sourceName) {
        return ModelParser.parse(yaml, sourceName);
    }

    /** {@code name@version}, as written to every {@code ScoreResult.modelVersion}. */
    public String id() {
        return name + "@" + version;
    }

    /** The criteria of one category, in file order. */
    public List<Criterion> criteria(Category category) {
        return criteria.stream().filter(criterion -> criterion.category() == category).toList();
    }

    /** The grade of a score 0..100: the label of the highest band whose lower bound it reaches. */
    public String gradeFor(int score) {
        return bandFor(grades, score).orElseThrow();
    }

    /** The lifecycle stage of a score 0..100, or empty if the model sets no stages. */
    public Optional<String> stageFor(int score) {
        return bandFor(stages, score);
    }

    /**
     * The highest score the criteria allow (an upper bound: criteria that exclude each other all count). Grades,
     * stages and the task threshold never lie above it.
     */
    public int maxPossibleScore() {
        return ModelRules.maxPossibleScore(criteria);
    }

    private static Optional<String> bandFor(List<Band> bands, int score) {
        if (score < 0 || score > 100) {
            throw new IllegalArgumentException("score must be within 0..100 but was " + score);
        }
        return bands.stream().filter(band -> score >= band.lowerBound()).findFirst().map(Band::label);
    }
}
