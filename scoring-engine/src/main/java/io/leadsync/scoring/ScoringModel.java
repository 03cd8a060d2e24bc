package io.leadsync.scoring;

import io.leadsync.connector.Person;
import io.leadsync.scoring.internal.ModelParser;
import io.leadsync.scoring.internal.ModelRules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A scoring model: criteria with points (or learned weights), grade and stage bands, a task threshold, and
 * optionally segments that give each persona its own criteria. Immutable and safe to share between threads;
 * {@link RuleScorer} applies it to a person.
 *
 * <p>Models usually come from a YAML file an admin edits (see the package documentation for the format), through
 * {@link #load(Path)} or {@link #parse(String, String)}. Both are free of side effects: a file that fails
 * validation throws {@link ModelValidationException} and leaves whatever model the caller holds untouched. The
 * constructor enforces the same rules for models built in code, throwing {@link IllegalArgumentException}.
 *
 * @param name             the model's name, e.g. {@code default}
 * @param version          the model's version as written ({@code 3}, {@code 2024.06})
 * @param kind             whether criteria give points ({@link ModelKind#RULE}) or log-odds
 *                         ({@link ModelKind#LOGISTIC})
 * @param defaultSegment   the top-level criteria: they score everyone no named segment picks
 * @param segments         the named segments, in file order; the first whose {@code when} holds scores the person
 * @param fields           the attribute names the model declares it expects (its {@code fields} catalog), or empty
 *                         for no catalog; with a catalog, every field a criterion or segment names is canonical or
 *                         declared
 * @param grades           grade bands, highest first; the last starts at 0
 * @param stages           lifecycle stage bands, highest first, or empty if the model sets no stage
 * @param taskThreshold    the score whose upward crossing creates a follow-up task, if any
 * @param reasonsMaxLength the longest reasons text the CRM field takes
 */
public record ScoringModel(String name, String version, ModelKind kind, Segment defaultSegment,
                           List<Segment> segments, List<String> fields, List<Band> grades, List<Band> stages,
                           OptionalInt taskThreshold, int reasonsMaxLength) {

    /** The reasons text length when a model sets none: a CRM single-line text field. */
    public static final int DEFAULT_REASONS_MAX_LENGTH = 255;

    public ScoringModel {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(defaultSegment, "defaultSegment");
        segments = List.copyOf(segments);
        fields = List.copyOf(fields);
        grades = List.copyOf(grades);
        stages = List.copyOf(stages);
        Objects.requireNonNull(taskThreshold, "taskThreshold");
        List<String> problems = ModelRules.check(name, version, kind, defaultSegment, segments, fields, grades,
                stages, taskThreshold, reasonsMaxLength);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** A rule model without segments or field catalog: these criteria score everyone. */
    public ScoringModel(String name, String version, List<Criterion> criteria, List<Band> grades, List<Band> stages,
                        OptionalInt taskThreshold, int reasonsMaxLength) {
        this(name, version, ModelKind.RULE, Segment.of(criteria), List.of(), List.of(), grades, stages,
                taskThreshold, reasonsMaxLength);
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
        return ModelParser.parse(yaml, sourceName, Set.of());
    }

    /**
     * Parses and validates a model against a catalog of known fields: the attribute names the caller's connectors
     * read, together with those the file declares under {@code fields}. A criterion or segment naming a field
     * that is neither canonical nor in the catalog is an "unknown field" problem at its line.
     *
     * @param knownFields attribute names the caller knows; empty to check only against the file's own catalog
     * @throws ModelValidationException listing every problem as {@code <source>:<line>: <reason>}
     */
    public static ScoringModel parse(String yaml, String sourceName, Collection<String> knownFields) {
        return ModelParser.parse(yaml, sourceName, Set.copyOf(knownFields));
    }

    /** {@code name@version}, as written to every {@code ScoreResult.modelVersion}. */
    public String id() {
        return name + "@" + version;
    }

    /** The default segment's criteria: for a model without segments, all of them. */
    public List<Criterion> criteria() {
        return defaultSegment.criteria();
    }

    /** The default segment's criteria of one category, in file order. */
    public List<Criterion> criteria(Category category) {
        return defaultSegment.criteria(category);
    }

    /** The segment that scores the person: the first named one whose conditions hold, else the default. */
    public Segment segmentFor(Person person) {
        for (Segment segment : segments) {
            if (segment.matches(person)) {
                return segment;
            }
        }
        return defaultSegment;
    }

    /** The named segments in file order, then the default segment. */
    public List<Segment> allSegments() {
        List<Segment> all = new ArrayList<>(segments);
        all.add(defaultSegment);
        return List.copyOf(all);
    }

    /** The grade of a score 0..100: the label of the highest band whose lower bound it reaches. */
    public String gradeFor(int score) {
        return bandFor(grades, score).orElseThrow();
    }

    /** The lifecycle stage of a score 0..100, or empty if the model sets no stages. */
    public Optional<String> stageFor(int score) {
        return bandFor(stages, score);
    }

    /** The lower bound of the stage with this label (ignoring case), e.g. {@code MQL}, if the model has it. */
    public OptionalInt stageThreshold(String label) {
        for (Band stage : stages) {
            if (stage.label().equalsIgnoreCase(label)) {
                return OptionalInt.of(stage.lowerBound());
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The highest score the criteria allow, over every segment (an upper bound: criteria that exclude each other
     * all count). Grades, stages and the task threshold never lie above it.
     */
    public int maxPossibleScore() {
        return ModelRules.maxPossibleScore(kind, allSegments());
    }

    private static Optional<String> bandFor(List<Band> bands, int score) {
        if (score < 0 || score > 100) {
            throw new IllegalArgumentException("score must be within 0..100 but was " + score);
        }
        for (Band band : bands) {
            if (score >= band.lowerBound()) {
                return Optional.of(band.label());
            }
        }
        return Optional.empty();
    }
}
