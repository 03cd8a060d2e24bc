package io.leadsync.scoring;

import io.leadsync.scoring.internal.Decimals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a {@link ScoringModel} as a model file that {@link ScoringModel#parse} reads back to an equal model: what
 * {@code score-train} saves for a person to read, edit and roll out.
 */
public final class ModelWriter {

    private ModelWriter() {
    }

    /**
     * The model as YAML.
     *
     * @param header comment lines written first (without {@code #}), e.g. how the model was trained
     */
    public static String toYaml(ScoringModel model, List<String> header) {
        StringBuilder yaml = new StringBuilder();
        for (String line : header) {
            yaml.append("# ").append(line).append('\n');
        }
        yaml.append("name: ").append(quote(model.name())).append('\n');
        yaml.append("version: ").append(quote(model.version())).append('\n');
        if (model.kind() != ModelKind.RULE) {
            yaml.append("kind: ").append(model.kind().key()).append('\n');
        }
        if (!model.fields().isEmpty()) {
            yaml.append("fields: ").append(list(model.fields())).append('\n');
        }
        segmentBody(yaml, model.defaultSegment(), model.kind(), "");
        if (!model.segments().isEmpty()) {
            yaml.append("segments:\n");
            for (Segment segment : model.segments()) {
                yaml.append("  - name: ").append(quote(segment.name())).append('\n');
                yaml.append("    when:\n");
                for (SegmentCondition condition : segment.when()) {
                    yaml.append("      - {field: ").append(quote(condition.field())).append(", ")
                            .append(operator(condition.condition())).append("}\n");
                }
                segmentBody(yaml, segment, model.kind(), "    ");
            }
        }
        yaml.append("grades:\n");
        model.grades().forEach(band -> yaml.append("  ").append(quote(band.label())).append(": ")
                .append(band.lowerBound()).append('\n'));
        if (!model.stages().isEmpty()) {
            yaml.append("stages:\n");
            model.stages().forEach(band -> yaml.append("  ").append(quote(band.label())).append(": ")
                    .append(band.lowerBound()).append('\n'));
        }
        model.taskThreshold().ifPresent(threshold -> yaml.append("task-threshold: ").append(threshold).append('\n'));
        yaml.append("reasons:\n  max-length: ").append(model.reasonsMaxLength()).append('\n');
        return yaml.toString();
    }

    private static void segmentBody(StringBuilder yaml, Segment segment, ModelKind kind, String indent) {
        if (kind == ModelKind.LOGISTIC) {
            yaml.append(indent).append("intercept: ").append(Decimals.format(segment.intercept())).append('\n');
        }
        for (Category category : Category.values()) {
            List<Criterion> criteria = segment.criteria(category);
            if (criteria.isEmpty()) {
                continue;
            }
            yaml.append(indent).append(category.key()).append(":\n");
            for (Criterion criterion : criteria) {
                yaml.append(indent).append("  - ").append(criterion(criterion, kind)).append('\n');
            }
        }
        if (!segment.caps().isEmpty()) {
            yaml.append(indent).append("caps:\n");
            for (Map.Entry<Category, Double> cap : segment.caps().entrySet()) {
                yaml.append(indent).append("  ").append(cap.getKey().key()).append(": ")
                        .append(Decimals.format(cap.getValue())).append('\n');
            }
        }
    }

    private static String criterion(Criterion criterion, ModelKind kind) {
        StringBuilder line = new StringBuilder("{name: ").append(quote(criterion.name()));
        if (criterion instanceof FieldCriterion field) {
            line.append(", field: ").append(quote(field.field())).append(", ").append(operator(field.condition()));
        } else {
            ActivityCriterion activity = (ActivityCriterion) criterion;
            line.append(", activity: ").append(activity.activityTypes().size() == 1
                    ? activity.activityTypes().get(0) : list(activity.activityTypes()));
            activity.atLeast().ifPresent(n -> line.append(", at-least: ").append(n));
            activity.atMost().ifPresent(n -> line.append(", at-most: ").append(n));
            activity.withinDays().ifPresent(n -> line.append(", within-days: ").append(n));
            activity.halfLifeDays().ifPresent(n -> line.append(", half-life-days: ").append(Decimals.format(n)));
            activity.max().ifPresent(n -> line.append(", max: ").append(Decimals.format(n)));
            if (!activity.where().isEmpty()) {
                line.append(", where: {").append(activity.where().entrySet().stream()
                        .map(entry -> quote(entry.getKey()) + ": " + quote(entry.getValue()))
                        .collect(Collectors.joining(", "))).append('}');
            }
        }
        if (!criterion.when().isEmpty()) {
            line.append(", when: [").append(criterion.when().stream().map(condition -> "{field: "
                    + quote(condition.field()) + ", " + operator(condition.condition()) + "}")
                    .collect(Collectors.joining(", "))).append(']');
        }
        return line.append(", ").append(kind.coefficientKey()).append(": ")
                .append(Decimals.format(criterion.points())).append('}').toString();
    }

    private static String operator(FieldCondition condition) {
        if (condition instanceof FieldCondition.Equals equals) {
            return "equals: " + quote(equals.expected());
        }
        if (condition instanceof FieldCondition.In in) {
            return "in: " + list(in.values());
        }
        if (condition instanceof FieldCondition.ContainsAny any) {
            return "contains-any: " + list(any.terms());
        }
        if (condition instanceof FieldCondition.AtLeast atLeast) {
            return "at-least: " + atLeast.bound().toPlainString();
        }
        if (condition instanceof FieldCondition.AtMost atMost) {
            return "at-most: " + atMost.bound().toPlainString();
        }
        if (condition instanceof FieldCondition.Between between) {
            return (between.atLeast() == null ? "" : "at-least: " + between.atLeast().toPlainString() + ", ")
                    + "below: " + between.below().toPlainString();
        }
        if (condition instanceof FieldCondition.Present present) {
            return "present: " + present.expected();
        }
        if (condition instanceof FieldCondition.BusinessEmail business) {
            return "business-email: " + business.expected();
        }
        if (condition instanceof FieldCondition.Matches matches) {
            return "matches: " + quote(matches.pattern().pattern());
        }
        throw new IllegalStateException("no writer for " + condition);
    }

    private static String list(List<String> values) {
        return values.stream().map(ModelWriter::quote).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A YAML double-quoted scalar: always safe, whatever the text. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
