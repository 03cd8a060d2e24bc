package io.leadsync.scoring.internal;

import io.leadsync.connector.Setting;
import io.leadsync.scoring.ActivityCriterion;
import io.leadsync.scoring.Band;
import io.leadsync.scoring.Category;
import io.leadsync.scoring.Criterion;
import io.leadsync.scoring.FieldCondition;
import io.leadsync.scoring.FieldCriterion;
import io.leadsync.scoring.ModelKind;
import io.leadsync.scoring.ModelValidationException;
import io.leadsync.scoring.ModelValidationException.Problem;
import io.leadsync.scoring.ScoringModel;
import io.leadsync.scoring.Segment;
import io.leadsync.scoring.SegmentCondition;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a model file into a {@link ScoringModel}, reporting every problem at its line.
 *
 * <p>The file is composed into SnakeYAML nodes (no objects are constructed from tags, so a file cannot make the
 * parser instantiate anything) and walked by hand: every node carries its line, unknown and duplicate keys are
 * caught, and scalars keep their text as written ({@code version: 3.10} stays {@code 3.10}). One instance reads one
 * file; it has no state beyond the problems it collects.
 */
public final class ModelParser {

    static final List<String> TOP_LEVEL_KEYS = List.of("name", "version", "kind", "fields", "intercept", "fit",
            "engagement", "negative", "caps", "segments", "grades", "stages", "task-threshold", "reasons");
    static final List<String> SEGMENT_KEYS = List.of("name", "when", "intercept", "fit", "engagement", "negative",
            "caps");
    static final List<String> OPERATORS = List.of("equals", "in", "contains-any", "at-least", "at-most", "below",
            "present", "business-email", "matches");
    static final List<String> ACTIVITY_OPTIONS = List.of("max", "within-days", "half-life-days", "where");
    /** Keys that are field operators on a field criterion and count rules on an activity criterion. */
    static final List<String> COUNT_KEYS = List.of("at-least", "at-most");
    static final List<String> CRITERION_KEYS = Stream.of(List.of("name", "field", "activity", "points", "weight",
                    "when"),
            OPERATORS, ACTIVITY_OPTIONS).flatMap(List::stream).toList();
    static final List<String> CONDITION_KEYS = Stream.of(List.of("field"), OPERATORS).flatMap(List::stream).toList();
    static final List<String> REASONS_KEYS = List.of("max-length");


    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> knownFields;
    /** The kind the file declares; criteria are read with its coefficient key. */
    private ModelKind kind = ModelKind.RULE;
    /** Known fields: the caller's and the file's catalog; empty for no check. */
    private final List<String> catalog = new ArrayList<>();

    private ModelParser(Set<String> knownFields) {
        this.knownFields = knownFields;
    }

    /**
     * Parses and validates a model.
     *
     * @throws ModelValidationException with every problem found, in line order
     */
    public static ScoringModel parse(String yaml, String sourceName, Set<String> knownFields) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(knownFields, "knownFields");
        ModelParser parser = new ModelParser(knownFields);
        Optional<ScoringModel> model = parser.model(yaml);
        if (model.isEmpty() || !parser.problems.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(parser.problems);
            sorted.sort(Comparator.comparingInt(Problem::line));
            throw new ModelValidationException(sourceName, sorted);
        }
        return model.get();
    }

    private Optional<ScoringModel> model(String yaml) {
        Optional<MappingNode> root = compose(yaml);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Entry> top = entries(root.get(), "");
        rejectUnknown(top, TOP_LEVEL_KEYS, "");

        Optional<String> name = required(top, "name", root.get()).flatMap(entry -> text(entry, "name"));
        name.ifPresent(value -> ModelRules.checkIdPart("name", value)
                .ifPresent(reason -> problem(top.get("name").valueLine(), reason)));
        Optional<String> version = required(top, "version", root.get()).flatMap(entry -> text(entry, "version"));
        version.ifPresent(value -> ModelRules.checkIdPart("version", value)
                .ifPresent(reason -> problem(top.get("version").valueLine(), reason)));

        kind = kind(top.get("kind"));
        List<String> fields = fieldCatalog(top.get("fields"));
        catalog.addAll(fields);
        catalog.addAll(knownFields);

        int problemsBeforeCriteria = problems.size();
        Optional<Segment> defaultSegment = segmentBody(top, Segment.DEFAULT, List.of(), "");
        List<Segment> segments = segments(top.get("segments"));
        List<Segment> all = new ArrayList<>(segments);
        defaultSegment.ifPresent(all::add);
        // the highest possible score is only known when every criterion could be read
        OptionalInt maxPossible = problems.size() == problemsBeforeCriteria && defaultSegment.isPresent()
                ? OptionalInt.of(ModelRules.maxPossibleScore(kind, all)) : OptionalInt.empty();

        Optional<List<Located<Band>>> grades = required(top, "grades", root.get())
                .flatMap(entry -> bands(entry, "grade", true, maxPossible));
        Optional<List<Located<Band>>> stages = isSet(top.get("stages"))
                ? bands(top.get("stages"), "stage", false, maxPossible) : Optional.of(List.of());

        OptionalInt taskThreshold = OptionalInt.empty();
        Entry threshold = top.get("task-threshold");
        if (isSet(threshold)) {
            Optional<Integer> value = integer(threshold, "task-threshold");
            if (value.isPresent()) {
                taskThreshold = OptionalInt.of(value.get());
                ModelRules.checkTaskThreshold(taskThreshold, maxPossible)
                        .ifPresent(reason -> problem(threshold.valueLine(), reason));
            }
        }
        int reasonsMaxLength = reasonsMaxLength(top.get("reasons"));

        if (!problems.isEmpty() || name.isEmpty() || version.isEmpty() || grades.isEmpty() || stages.isEmpty()
                || defaultSegment.isEmpty()) {
            return Optional.empty();
        }
        // the model's catalog also records the caller-known fields it relies on, so it validates on its own
        List<String> catalogOfModel = new ArrayList<>(fields);
        if (!fields.isEmpty()) {
            for (Segment segment : all) {
                for (String used : ModelRules.fieldsUsed(segment)) {
                    if (!ModelRules.isKnownField(used, catalogOfModel)) {
                        catalogOfModel.add(used);
                    }
                }
            }
        }
        try {
            return Optional.of(new ScoringModel(name.get(), version.get(), kind, defaultSegment.get(), segments,
                    catalogOfModel, values(grades.get()), values(stages.get()), taskThreshold, reasonsMaxLength));
        } catch (IllegalArgumentException stillInvalid) {
            // every rule of the constructor is checked above with a line; this is a safety net
            problem(root.get().getStartMark().getLine() + 1, stillInvalid.getMessage());
            return Optional.empty();
        }
    }

    private Optional<MappingNode> compose(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setAllowRecursiveKeys(false);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(yaml));
        } catch (MarkedYAMLException invalid) {
            problem(syntaxProblemLine(invalid), "invalid YAML: " + syntaxProblem(invalid));
            return Optional.empty();
        } catch (YAMLException invalid) {
            problem(1, "invalid YAML: " + oneLine(invalid.getMessage()));
            return Optional.empty();
        }
        if (root == null || isNull(root)) {
            problem(1, "the model is empty; expected the keys " + TOP_LEVEL_KEYS);
            return Optional.empty();
        }
        if (!(root instanceof MappingNode)) {
            problem(line(root), "a model is a mapping with the keys " + TOP_LEVEL_KEYS);
            return Optional.empty();
        }
        return Optional.of((MappingNode) root);
    }

    private static int syntaxProblemLine(MarkedYAMLException invalid) {
        Mark mark = invalid.getProblemMark() != null ? invalid.getProblemMark() : invalid.getContextMark();
        return mark == null ? 1 : mark.getLine() + 1;
    }

    /** SnakeYAML's problem, with its context where that helps: "... (while parsing a flow sequence at line 6)". */
    private static String syntaxProblem(MarkedYAMLException invalid) {
        String problem = oneLine(invalid.getProblem());
        String context = oneLine(invalid.getContext());
        if (problem.isEmpty()) {
            return context;
        }
        if (context.isEmpty()) {
            return problem;
        }
        if (problem.startsWith("but ")) {
            return context + " " + problem;
        }
        Mark contextMark = invalid.getContextMark();
        if (contextMark != null && contextMark.getLine() + 1 != syntaxProblemLine(invalid)) {
            return problem + " (" + context + " at line " + (contextMark.getLine() + 1) + ")";
        }
        return problem;
    }

    // ---- kind, catalog, segments

    private ModelKind kind(Entry entry) {
        if (!isSet(entry)) {
            return ModelKind.RULE;
        }
        Optional<String> text = text(entry, "kind");
        for (ModelKind candidate : ModelKind.values()) {
            if (text.isPresent() && candidate.key().equalsIgnoreCase(text.get())) {
                return candidate;
            }
        }
        text.ifPresent(value -> problem(entry.valueLine(), "kind '" + value + "' is not one of "
                + Stream.of(ModelKind.values()).map(ModelKind::key).toList()));
        return ModelKind.RULE;
    }

    private List<String> fieldCatalog(Entry entry) {
        if (!isSet(entry)) {
            return List.of();
        }
        Optional<List<Located<String>>> declared = textList(entry, "fields");
        if (declared.isEmpty()) {
            return List.of();
        }
        List<String> names = values(declared.get());
        for (ModelRules.Violation violation : ModelRules.checkFieldNames(names)) {
            problem(declared.get().get(violation.index()).line(), violation.reason());
        }
        return names;
    }

    /** Reports a field neither canonical nor known, when there is a catalog to know it by. */
    private void checkKnownField(String field, int line, String where) {
        if (!catalog.isEmpty() && !ModelRules.isKnownField(field, catalog)) {
            problem(line, ModelRules.unknownFieldProblem(field, where, catalog));
        }
    }

    /** The criteria, caps and intercept of the top level or of one named segment. */
    private Optional<Segment> segmentBody(Map<String, Entry> entries, String name, List<SegmentCondition> when,
                                          String context) {
        int problemsBefore = problems.size();
        List<Located<Criterion>> criteria = new ArrayList<>();
        for (Category category : Category.values()) {
            criteria.addAll(criteria(entries.get(category.key()), category, context));
        }
        List<Criterion> criterionValues = values(criteria);
        for (ModelRules.Violation violation : ModelRules.checkCriterionNames(criterionValues)) {
            problem(criteria.get(violation.index()).line(), violation.reason() + context);
        }
        double intercept = 0;
        Entry interceptEntry = entries.get("intercept");
        if (isSet(interceptEntry)) {
            Optional<BigDecimal> value = number(interceptEntry, "intercept" + context);
            if (value.isPresent() && kind != ModelKind.LOGISTIC) {
                problem(interceptEntry.line(), "intercept" + context + " applies only to kind: logistic");
            }
            intercept = value.map(BigDecimal::doubleValue).orElse(0.0);
        }
        Map<Category, Double> caps = caps(entries.get("caps"), context);
        if (problems.size() > problemsBefore) {
            return Optional.empty();
        }
        double segmentIntercept = intercept;
        return construct(entries.containsKey("name") ? entries.get("name").line() : 1, "segment '" + name + "'",
                () -> new Segment(name, when, segmentIntercept, criterionValues, caps));
    }

    private Map<Category, Double> caps(Entry entry, String context) {
        if (!isSet(entry)) {
            return Map.of();
        }
        if (kind == ModelKind.LOGISTIC) {
            problem(entry.line(), "caps" + context + " apply only to rule models; a logistic model's weights are"
                    + " fitted together");
            return Map.of();
        }
        if (!(entry.value() instanceof MappingNode)) {
            problem(entry.valueLine(), "caps" + context + " must be a mapping of category to the most it may add,"
                    + " e.g. {engagement: 60, negative: -40}");
            return Map.of();
        }
        Map<Category, Double> caps = new java.util.EnumMap<>(Category.class);
        for (Entry cap : entries((MappingNode) entry.value(), " in caps" + context).values()) {
            Optional<Category> category = Stream.of(Category.values())
                    .filter(candidate -> candidate.key().equals(cap.key())).findFirst();
            if (category.isEmpty()) {
                problem(cap.line(), "unknown category '" + cap.key() + "' in caps" + context + "; expected one of "
                        + Stream.of(Category.values()).map(Category::key).toList());
                continue;
            }
            Optional<BigDecimal> value = number(cap, "cap of " + cap.key() + context);
            if (value.isPresent() && !Checks.hasRightSign(category.get(), value.get().doubleValue())) {
                problem(cap.valueLine(), Checks.categoryCapProblem(category.get(), value.get().toPlainString()));
            } else {
                value.ifPresent(bound -> caps.put(category.get(), bound.doubleValue()));
            }
        }
        return caps;
    }

    private List<Segment> segments(Entry entry) {
        if (!isSet(entry)) {
            return List.of();
        }
        if (!(entry.value() instanceof SequenceNode)) {
            problem(entry.valueLine(), "segments must be a list, each starting with '- name:' and 'when:'");
            return List.of();
        }
        List<Segment> segments = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (Node node : ((SequenceNode) entry.value()).getValue()) {
            if (!(node instanceof MappingNode)) {
                problem(line(node), "a segment must be a mapping with name, when and its criteria");
                continue;
            }
            MappingNode mapping = (MappingNode) node;
            Optional<String> name = nameOf(mapping);
            String context = " in segment '" + name.orElse("?") + "'";
            Map<String, Entry> entries = entries(mapping, context);
            rejectUnknown(entries, SEGMENT_KEYS, context);
            if (name.isEmpty()) {
                problem(line(mapping), "a segment needs a name");
            }
            List<SegmentCondition> when = when(entries.get("when"), mapping, context);
            Optional<Segment> segment = segmentBody(entries, name.orElse("?"), when, context);
            if (segment.isPresent() && name.isPresent() && !when.isEmpty()) {
                segments.add(segment.get());
                lines.add(line(mapping));
            }
        }
        for (ModelRules.Violation violation : ModelRules.checkSegmentNames(segments)) {
            problem(lines.get(violation.index()), violation.reason());
        }
        return segments;
    }

    private List<SegmentCondition> when(Entry entry, MappingNode segment, String context) {
        if (!isSet(entry)) {
            problem(entry == null ? line(segment) : entry.line(), "missing 'when'" + context
                    + ": the conditions on the person that pick it, e.g. [{field: persona, in: [developer]}]");
            return List.of();
        }
        return conditions(entry, context);
    }

    /** The conditions of a {@code when}: of a segment, or of a criterion that holds only within a group. */
    private List<SegmentCondition> conditions(Entry entry, String context) {
        List<Node> items = entry.value() instanceof SequenceNode ? ((SequenceNode) entry.value()).getValue()
                : List.of(entry.value());
        List<SegmentCondition> conditions = new ArrayList<>();
        for (Node item : items) {
            if (!(item instanceof MappingNode)) {
                problem(line(item), "a condition of when" + context + " is a mapping with field and one operator,"
                        + " e.g. {field: persona, in: [developer]}");
                continue;
            }
            Map<String, Entry> keys = entries((MappingNode) item, " in when" + context);
            boolean unknown = rejectUnknown(keys, CONDITION_KEYS, " in when" + context);
            Entry field = keys.get("field");
            if (!isSet(field)) {
                problem(line(item), "a condition of when" + context + " needs 'field'");
                continue;
            }
            Optional<String> fieldName = text(field, "field of when" + context);
            fieldName.ifPresent(value -> checkKnownField(value, field.valueLine(), "when" + context));
            List<Entry> operators = keys.values().stream().filter(key -> OPERATORS.contains(key.key())).toList();
            if (operators.size() != 1 && !isBand(operators)) {
                if (!unknown) {
                    problem(field.line(), "a condition of when" + context + " needs exactly one operator, one of "
                            + OPERATORS + " (or the band at-least and below)");
                }
                continue;
            }
            Optional<FieldCondition> condition = condition(operators, "when" + context);
            if (fieldName.isPresent() && condition.isPresent()) {
                conditions.add(new SegmentCondition(fieldName.get(), condition.get()));
            }
        }
        return conditions;
    }

    // ---- criteria

    private List<Located<Criterion>> criteria(Entry section, Category category, String context) {
        if (!isSet(section)) {
            return List.of();
        }
        if (!(section.value() instanceof SequenceNode)) {
            problem(section.valueLine(), category.key() + context
                    + " must be a list of criteria, each starting with '- name:'");
            return List.of();
        }
        List<Located<Criterion>> criteria = new ArrayList<>();
        List<Node> items = ((SequenceNode) section.value()).getValue();
        for (int i = 0; i < items.size(); i++) {
            criterion(items.get(i), category, i).ifPresent(criteria::add);
        }
        return criteria;
    }

    private Optional<Located<Criterion>> criterion(Node node, Category category, int index) {
        String fallbackLabel = "criterion #" + (index + 1) + " in " + category.key();
        if (!(node instanceof MappingNode)) {
            problem(line(node), fallbackLabel + " must be a mapping with name, field or activity, and points");
            return Optional.empty();
        }
        MappingNode mapping = (MappingNode) node;
        Optional<String> name = nameOf(mapping);
        String label = name.map(value -> "criterion '" + value + "'").orElse(fallbackLabel);
        int problemsBefore = problems.size();
        Map<String, Entry> entries = entries(mapping, " in " + label);
        // a misspelt key is likely a missing one: report it alone rather than also what is then missing
        boolean complete = !rejectUnknown(entries, CRITERION_KEYS, " in " + label);
        if (name.isEmpty()) {
            Entry nameEntry = entries.get("name");
            problem(nameEntry == null ? line(mapping) : nameEntry.valueLine(), label + " needs a name");
        }

        Entry field = entries.get("field");
        Entry activity = entries.get("activity");
        if (field != null && activity != null) {
            problem(Math.max(field.line(), activity.line()), label
                    + " has both 'field' and 'activity'; a criterion tests a field or counts activities, not both");
        } else if (field == null && activity == null && complete) {
            problem(line(mapping), label + " needs 'field' (a person's field to test) or 'activity' (activity types"
                    + " to count)");
        }
        String coefficientKey = kind.coefficientKey();
        String otherKey = coefficientKey.equals("points") ? "weight" : "points";
        Entry misplaced = entries.get(otherKey);
        if (misplaced != null) {
            problem(misplaced.line(), "'" + otherKey + "' in " + label + " belongs to " + (otherKey.equals("weight")
                    ? "kind: logistic; a rule model gives 'points'" : "rule models; a logistic model gives 'weight'"
                    + " in log-odds"));
        }
        Optional<BigDecimal> points = points(entries.get(coefficientKey), mapping, category, label,
                complete && misplaced == null);

        Optional<? extends Criterion> criterion = Optional.empty();
        if (field != null && activity == null) {
            criterion = fieldCriterion(entries, field, name, category, points, label, complete);
        } else if (activity != null && field == null) {
            criterion = activityCriterion(entries, activity, name, category, points, label);
        }
        if (problems.size() > problemsBefore) {
            return Optional.empty();
        }
        return criterion.map(value -> new Located<>(value, entries.containsKey("name")
                ? entries.get("name").line() : line(mapping)));
    }

    private Optional<String> nameOf(MappingNode mapping) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode && "name".equals(((ScalarNode) tuple.getKeyNode()).getValue())
                    && tuple.getValueNode() instanceof ScalarNode && !isNull(tuple.getValueNode())) {
                String name = ((ScalarNode) tuple.getValueNode()).getValue().strip();
                return name.isEmpty() ? Optional.empty() : Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private Optional<BigDecimal> points(Entry entry, MappingNode mapping, Category category, String label,
                                        boolean complete) {
        if (!isSet(entry)) {
            if (complete) {
                problem(entry == null ? line(mapping) : entry.line(), label + " needs '" + kind.coefficientKey()
                        + "'");
            }
            return Optional.empty();
        }
        Optional<BigDecimal> points = number(entry, kind.coefficientKey() + " of " + label);
        if (points.isPresent() && !Checks.hasRightSign(category, points.get().doubleValue())) {
            problem(entry.valueLine(), Checks.pointsSignProblem(label, category, points.get().toPlainString(),
                    kind.coefficientKey()));
            return Optional.empty();
        }
        return points;
    }

    private Optional<FieldCriterion> fieldCriterion(Map<String, Entry> entries, Entry field, Optional<String> name,
                                                    Category category, Optional<BigDecimal> points, String label,
                                                    boolean complete) {
        Optional<String> fieldName = text(field, "field of " + label);
        fieldName.ifPresent(value -> checkKnownField(value, field.valueLine(), label));
        for (Entry entry : entries.values()) {
            if (ACTIVITY_OPTIONS.contains(entry.key())) {
                problem(entry.line(), "'" + entry.key() + "' applies only to activity criteria, but " + label
                        + " tests field '" + fieldName.orElse("?") + "'");
            }
        }
        List<Entry> operators = entries.values().stream().filter(entry -> OPERATORS.contains(entry.key())).toList();
        if (operators.isEmpty()) {
            if (complete) {
                problem(field.line(), label + " needs an operator, one of " + OPERATORS);
            }
            return Optional.empty();
        }
        if (operators.size() > 1 && !isBand(operators)) {
            problem(operators.get(1).line(), label + " has " + operators.size() + " operators ("
                    + operators.stream().map(Entry::key).collect(Collectors.joining(", ")) + "); use exactly one"
                    + " (or the band at-least and below)");
            return Optional.empty();
        }
        Entry operator = operators.get(0);
        Optional<FieldCondition> condition = condition(operators, label);
        if (condition.isPresent() && fieldName.isPresent()
                && condition.get() instanceof FieldCondition.BusinessEmail && !Checks.isEmailField(fieldName.get())) {
            problem(operator.line(), "business-email needs an email field, but " + label + " tests '"
                    + fieldName.get() + "'");
            return Optional.empty();
        }
        List<SegmentCondition> when = criterionWhen(entries.get("when"), label);
        if (name.isEmpty() || fieldName.isEmpty() || condition.isEmpty() || points.isEmpty()) {
            return Optional.empty();
        }
        return construct(field.line(), label, () -> new FieldCriterion(name.get(), category, fieldName.get(),
                condition.get(), points.get().doubleValue(), when));
    }

    /** A criterion's own {@code when}: conditions on other fields, or none. */
    private List<SegmentCondition> criterionWhen(Entry entry, String label) {
        return isSet(entry) ? conditions(entry, " of " + label) : List.of();
    }

    /** Whether the operators are the pair {@code at-least} and {@code below}: a band. */
    private static boolean isBand(List<Entry> operators) {
        return operators.size() == 2 && operators.stream().map(Entry::key).collect(Collectors.toSet())
                .equals(Set.of("at-least", "below"));
    }

    /** One operator's condition, or the band of {@code at-least} and {@code below}. */
    private Optional<FieldCondition> condition(List<Entry> operators, String label) {
        if (!isBand(operators)) {
            return condition(operators.get(0), label);
        }
        Entry lower = operators.get(0).key().equals("at-least") ? operators.get(0) : operators.get(1);
        Entry upper = lower == operators.get(0) ? operators.get(1) : operators.get(0);
        Optional<BigDecimal> from = number(lower, "at-least of " + label);
        Optional<BigDecimal> to = number(upper, "below of " + label);
        if (from.isEmpty() || to.isEmpty()) {
            return Optional.empty();
        }
        if (from.get().compareTo(to.get()) >= 0) {
            problem(upper.valueLine(), "below of " + label + " (" + to.get().toPlainString()
                    + ") must be above its at-least (" + from.get().toPlainString() + ")");
            return Optional.empty();
        }
        return Optional.of(new FieldCondition.Between(from.get(), to.get()));
    }

    private Optional<FieldCondition> condition(Entry operator, String label) {
        String what = operator.key() + " of " + label;
        return switch (operator.key()) {
            case "equals" -> text(operator, what).map(FieldCondition.Equals::new);
            case "in" -> textList(operator, what).map(values -> new FieldCondition.In(values(values)));
            case "contains-any" -> textList(operator, what).flatMap(terms -> containsAny(terms, label));
            case "at-least" -> number(operator, what).map(FieldCondition.AtLeast::new);
            case "at-most" -> number(operator, what).map(FieldCondition.AtMost::new);
            case "below" -> number(operator, what).map(bound -> new FieldCondition.Between(null, bound));
            case "present" -> bool(operator, what).map(FieldCondition.Present::new);
            case "business-email" -> bool(operator, what).map(FieldCondition.BusinessEmail::new);
            case "matches" -> text(operator, what).flatMap(regex -> matches(regex, operator, label));
            default -> throw new IllegalStateException("operator without a reader: " + operator.key());
        };
    }

    private Optional<FieldCondition> containsAny(List<Located<String>> terms, String label) {
        boolean valid = true;
        for (Located<String> term : terms) {
            if (!Words.hasWords(term.value())) {
                problem(term.line(), "contains-any term '" + term.value() + "' of " + label
                        + " has no letters or digits");
                valid = false;
            }
        }
        return valid ? Optional.of(new FieldCondition.ContainsAny(values(terms))) : Optional.empty();
    }

    private Optional<FieldCondition> matches(String regex, Entry operator, String label) {
        try {
            return Optional.of(FieldCondition.Matches.of(regex));
        } catch (PatternSyntaxException invalid) {
            problem(operator.valueLine(), "invalid regex in " + label + ": " + invalid.getDescription()
                    + (invalid.getIndex() >= 0 ? " at index " + invalid.getIndex() : "") + " in '" + regex + "'");
            return Optional.empty();
        }
    }

    private Optional<ActivityCriterion> activityCriterion(Map<String, Entry> entries, Entry activity,
                                                          Optional<String> name, Category category,
                                                          Optional<BigDecimal> points, String label) {
        int problemsBefore = problems.size();
        for (Entry entry : entries.values()) {
            if (OPERATORS.contains(entry.key()) && !COUNT_KEYS.contains(entry.key())) {
                problem(entry.line(), "'" + entry.key() + "' is a field operator, but " + label
                        + " counts activities; filter activities with 'where: {property: value}'");
            }
        }
        List<String> types = activityTypes(activity, label);
        OptionalInt atLeast = countBound(entries.get("at-least"), label);
        OptionalInt atMost = countBound(entries.get("at-most"), label);

        OptionalDouble max = OptionalDouble.empty();
        Entry maxEntry = entries.get("max");
        if (isSet(maxEntry)) {
            Optional<BigDecimal> value = number(maxEntry, "max of " + label);
            if (value.isPresent() && !Checks.hasRightSign(category, value.get().doubleValue())) {
                problem(maxEntry.valueLine(), Checks.maxSignProblem(label, category, value.get().toPlainString()));
            } else if (value.isPresent()) {
                max = OptionalDouble.of(value.get().doubleValue());
            }
        }
        OptionalInt withinDays = OptionalInt.empty();
        Entry withinEntry = entries.get("within-days");
        if (isSet(withinEntry)) {
            Optional<Integer> value = integer(withinEntry, "within-days of " + label);
            if (value.isPresent() && value.get() < 1) {
                problem(withinEntry.valueLine(), "within-days of " + label + " must be at least 1 but is "
                        + value.get());
            } else if (value.isPresent()) {
                withinDays = OptionalInt.of(value.get());
            }
        }
        OptionalDouble halfLifeDays = OptionalDouble.empty();
        Entry halfLifeEntry = entries.get("half-life-days");
        if (isSet(halfLifeEntry)) {
            Optional<BigDecimal> value = number(halfLifeEntry, "half-life-days of " + label);
            if (value.isPresent() && value.get().signum() <= 0) {
                problem(halfLifeEntry.valueLine(), "half-life-days of " + label + " must be above 0 but is "
                        + value.get().toPlainString());
            } else if (value.isPresent()) {
                halfLifeDays = OptionalDouble.of(value.get().doubleValue());
            }
        }
        Map<String, String> where = where(entries.get("where"), label);
        Entry firstCountKey = entries.containsKey("at-least") ? entries.get("at-least") : entries.get("at-most");
        if (firstCountKey != null) {
            Checks.countRuleProblem(label, atLeast, atMost, max.isPresent(), halfLifeDays.isPresent())
                    .ifPresent(reason -> problem(firstCountKey.line(), reason));
        }

        if (problems.size() > problemsBefore || name.isEmpty() || points.isEmpty()) {
            return Optional.empty();
        }
        List<SegmentCondition> when = criterionWhen(entries.get("when"), label);
        if (problems.size() > problemsBefore) {
            return Optional.empty();
        }
        OptionalDouble cap = max;
        OptionalInt window = withinDays;
        OptionalDouble halfLife = halfLifeDays;
        return construct(activity.line(), label, () -> new ActivityCriterion(name.get(), category, types,
                points.get().doubleValue(), cap, window, halfLife, where, atLeast, atMost, when));
    }

    private OptionalInt countBound(Entry entry, String label) {
        if (!isSet(entry)) {
            return OptionalInt.empty();
        }
        return integer(entry, entry.key() + " of " + label).map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    private List<String> activityTypes(Entry activity, String label) {
        String what = "activity of " + label;
        Optional<List<Located<String>>> types = activity.value() instanceof SequenceNode
                ? textList(activity, what) : text(activity, what).map(type -> List.of(
                        new Located<>(type, activity.valueLine())));
        if (types.isEmpty()) {
            return List.of();
        }
        List<String> valid = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (types.get().size() > 1 && types.get().stream().anyMatch(type -> type.value().equals(ActivityCriterion.ANY))) {
            problem(activity.valueLine(), Checks.anyTypeProblem(label));
            return List.of();
        }
        for (Located<String> type : types.get()) {
            if (!Checks.ACTIVITY_TYPE.matcher(type.value()).matches()) {
                problem(type.line(), Checks.activityTypeProblem(type.value()) + " (in " + label + ")");
            } else if (!seen.add(type.value())) {
                problem(type.line(), "activity type '" + type.value() + "' is listed twice in " + label);
            } else {
                valid.add(type.value());
            }
        }
        return valid;
    }

    private Map<String, String> where(Entry entry, String label) {
        if (!isSet(entry)) {
            return Map.of();
        }
        if (!(entry.value() instanceof MappingNode)) {
            problem(entry.valueLine(), "where of " + label + " must be a mapping of activity property to value,"
                    + " e.g. {campaign: spring-launch}");
            return Map.of();
        }
        Map<String, String> where = new LinkedHashMap<>();
        Map<String, Entry> properties = entries((MappingNode) entry.value(), " in where of " + label);
        if (properties.isEmpty()) {
            problem(entry.valueLine(), "where of " + label + " needs at least one property");
        }
        for (Entry property : properties.values()) {
            text(property, "where." + property.key() + " of " + label)
                    .ifPresent(value -> where.put(property.key(), value));
        }
        return where;
    }

    private <T> Optional<T> construct(int line, String label, Supplier<T> constructor) {
        try {
            return Optional.of(constructor.get());
        } catch (IllegalArgumentException invalid) {
            // the reads above check every rule of the constructors with a precise line; this is a safety net
            problem(line, label + ": " + invalid.getMessage());
            return Optional.empty();
        }
    }

    // ---- bands, reasons

    private Optional<List<Located<Band>>> bands(Entry entry, String kind, boolean required, OptionalInt maxPossible) {
        String key = entry.key();
        if (!(entry.value() instanceof MappingNode)) {
            problem(entry.valueLine(), key + " must be a mapping of " + kind + " to lower bound, listed from highest"
                    + " to lowest, e.g. {A: 75, B: 50, C: 25, D: 0}");
            return Optional.empty();
        }
        int problemsBefore = problems.size();
        List<Located<Band>> bands = new ArrayList<>();
        for (Entry band : entries((MappingNode) entry.value(), " in " + key).values()) {
            String label = band.key().strip();
            Optional<Integer> bound = integer(band, kind + " " + label);
            if (label.isEmpty()) {
                problem(band.line(), key + " need a label for each band");
            } else if (bound.isPresent() && (bound.get() < 0 || bound.get() > 100)) {
                problem(band.valueLine(), kind + " " + label + " lower bound " + bound.get() + " is outside 0..100");
            } else if (bound.isPresent()) {
                bands.add(new Located<>(new Band(label, bound.get()), band.line()));
            }
        }
        if (problems.size() > problemsBefore) {
            return Optional.empty();
        }
        List<ModelRules.Violation> violations = ModelRules.checkBands(kind, values(bands), required, maxPossible);
        for (ModelRules.Violation violation : violations) {
            problem(bands.isEmpty() ? entry.line() : bands.get(violation.index()).line(), violation.reason());
        }
        return violations.isEmpty() ? Optional.of(bands) : Optional.empty();
    }

    private int reasonsMaxLength(Entry reasons) {
        if (!isSet(reasons)) {
            return ScoringModel.DEFAULT_REASONS_MAX_LENGTH;
        }
        if (!(reasons.value() instanceof MappingNode)) {
            problem(reasons.valueLine(), "reasons must be a mapping with the keys " + REASONS_KEYS);
            return ScoringModel.DEFAULT_REASONS_MAX_LENGTH;
        }
        Map<String, Entry> entries = entries((MappingNode) reasons.value(), " in reasons");
        rejectUnknown(entries, REASONS_KEYS, " in reasons");
        Entry maxLength = entries.get("max-length");
        if (!isSet(maxLength)) {
            return ScoringModel.DEFAULT_REASONS_MAX_LENGTH;
        }
        Optional<Integer> value = integer(maxLength, "reasons max-length");
        value.flatMap(ModelRules::checkReasonsMaxLength).ifPresent(reason -> problem(maxLength.valueLine(), reason));
        return value.filter(length -> length >= 1).orElse(ScoringModel.DEFAULT_REASONS_MAX_LENGTH);
    }

    // ---- YAML nodes

    /** A key and its value, in the order written. */
    private record Entry(String key, Node keyNode, Node value) {
        int line() {
            return ModelParser.line(keyNode);
        }

        int valueLine() {
            return ModelParser.line(value);
        }
    }

    /** A value and the line it was read from. */
    private record Located<T>(T value, int line) {
    }

    private static <T> List<T> values(List<Located<T>> located) {
        return located.stream().map(Located::value).toList();
    }

    /** A mapping's entries in file order; keys that are no text or come twice are problems and left out. */
    private Map<String, Entry> entries(MappingNode mapping, String context) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode) || isNull(tuple.getKeyNode())) {
                problem(line(tuple.getKeyNode()), "keys must be plain text" + context);
                continue;
            }
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();
            Entry earlier = entries.get(key);
            if (earlier != null) {
                problem(line(tuple.getKeyNode()), "duplicate key '" + key + "'" + context + " (first at line "
                        + earlier.line() + ")");
                continue;
            }
            entries.put(key, new Entry(key, tuple.getKeyNode(), tuple.getValueNode()));
        }
        return entries;
    }

    /** Reports and removes the entries whose key is not allowed; whether there were any. */
    private boolean rejectUnknown(Map<String, Entry> entries, List<String> allowed, String context) {
        return entries.values().removeIf(entry -> {
            if (allowed.contains(entry.key())) {
                return false;
            }
            problem(entry.line(), "unknown key '" + entry.key() + "'" + context + "; expected one of " + allowed);
            return true;
        });
    }

    private Optional<Entry> required(Map<String, Entry> entries, String key, MappingNode parent) {
        Entry entry = entries.get(key);
        if (!isSet(entry)) {
            problem(entry == null ? line(parent) : entry.line(), "missing required key '" + key + "'");
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    private Optional<String> text(Entry entry, String what) {
        if (!(entry.value() instanceof ScalarNode) || isNull(entry.value())) {
            problem(entry.valueLine(), what + " must be a text");
            return Optional.empty();
        }
        String text = ((ScalarNode) entry.value()).getValue().strip();
        if (text.isEmpty()) {
            problem(entry.valueLine(), what + " must not be blank");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    private Optional<List<Located<String>>> textList(Entry entry, String what) {
        if (!(entry.value() instanceof SequenceNode)) {
            problem(entry.valueLine(), what + " must be a list, e.g. [a, b]");
            return Optional.empty();
        }
        List<Node> items = ((SequenceNode) entry.value()).getValue();
        if (items.isEmpty()) {
            problem(entry.valueLine(), what + " must not be empty");
            return Optional.empty();
        }
        List<Located<String>> texts = new ArrayList<>();
        boolean valid = true;
        for (Node item : items) {
            if (!(item instanceof ScalarNode) || isNull(item) || ((ScalarNode) item).getValue().isBlank()) {
                problem(line(item), what + " must hold only non-blank texts");
                valid = false;
            } else {
                texts.add(new Located<>(((ScalarNode) item).getValue().strip(), line(item)));
            }
        }
        return valid ? Optional.of(texts) : Optional.empty();
    }

    private Optional<BigDecimal> number(Entry entry, String what) {
        Node value = entry.value();
        if (value instanceof ScalarNode && !isNull(value) && !Tag.BOOL.equals(value.getTag())) {
            String text = ((ScalarNode) value).getValue().strip();
            try {
                return Optional.of(new BigDecimal(text.replace("_", "")));
            } catch (NumberFormatException notANumber) {
                problem(entry.valueLine(), what + " must be a number but is '" + text + "'");
                return Optional.empty();
            }
        }
        problem(entry.valueLine(), what + " must be a number");
        return Optional.empty();
    }

    private Optional<Integer> integer(Entry entry, String what) {
        Optional<BigDecimal> number = number(entry, what);
        if (number.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(number.get().intValueExact());
        } catch (ArithmeticException notWhole) {
            problem(entry.valueLine(), what + " must be a whole number but is " + number.get().toPlainString());
            return Optional.empty();
        }
    }

    /** True or false in the words every configuration layer accepts ({@link Setting#BOOLEAN}). */
    private Optional<Boolean> bool(Entry entry, String what) {
        if (entry.value() instanceof ScalarNode && !isNull(entry.value())) {
            try {
                return Optional.of(Setting.BOOLEAN.parse(((ScalarNode) entry.value()).getValue()));
            } catch (Setting.Invalid notABoolean) {
                // reported below
            }
        }
        problem(entry.valueLine(), what + " must be true or false");
        return Optional.empty();
    }

    private static boolean isSet(Entry entry) {
        return entry != null && !isNull(entry.value());
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    private void problem(int line, String reason) {
        problems.add(new Problem(line, reason));
    }
}
