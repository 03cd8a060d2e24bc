package io.leadsync.scoring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ModelValidationTest {

    private static ModelValidationException problemsOf(String yaml) {
        ModelValidationException invalid = catchThrowableOfType(ModelValidationException.class,
                () -> ScoringModel.parse(yaml, "default-model.yml"));
        assertThat(invalid).as("the model should be rejected").isNotNull();
        return invalid;
    }

    @Test
    void rejectsAnUnknownKeyInACriterionAtItsLineAndListsTheKnownOnes() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Senior decision maker
                    field: title
                    contain-any: [vp, director]
                    points: 20
                grades: {A: 20, D: 0}
                """);
        assertThat(invalid).hasMessage("default-model.yml:6: unknown key 'contain-any' in criterion 'Senior decision"
                + " maker'; expected one of [name, field, activity, points, weight, when, equals, in, contains-any,"
                + " at-least, at-most, below, present, business-email, matches, max, within-days, half-life-days,"
                + " where]");
        assertThat(invalid.problems()).hasSize(1);
        assertThat(invalid.source()).isEqualTo("default-model.yml");
    }

    @Test
    void rejectsAnUnknownTopLevelKey() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                grades: {D: 0}
                task-treshold: 75
                """);
        assertThat(invalid).hasMessageStartingWith("default-model.yml:4: unknown key 'task-treshold'; expected one of"
                + " [name, version, kind, fields, intercept, fit, engagement, negative, caps, segments, grades, stages,"
                + " task-threshold, reasons]");
    }

    @Test
    void rejectsACriterionWithTwoOperatorsAtTheSecondOne() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Target industry
                    field: industry
                    in: [COMPUTER_SOFTWARE]
                    equals: FINANCIAL_SERVICES
                    points: 15
                grades: {A: 15, D: 0}
                """);
        assertThat(invalid).hasMessage("default-model.yml:7: criterion 'Target industry' has 2 operators (in, equals);"
                + " use exactly one (or the band at-least and below)");
    }

    @Test
    void rejectsAFieldCriterionWithoutOperator() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Target industry
                    field: industry
                    points: 15
                grades: {D: 0}
                """);
        assertThat(invalid).hasMessageStartingWith("default-model.yml:5: criterion 'Target industry' needs an operator");
    }

    @Test
    void rejectsOverlappingGradesAtTheLowerBand() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Senior
                    field: title
                    contains-any: [vp]
                    points: 100
                grades:
                  A: 75
                  B: 80
                  C: 25
                  D: 0
                """);
        assertThat(invalid).hasMessage("default-model.yml:10: grades overlap: B (80) must be below A (75); list grades"
                + " from highest to lowest");
    }

    @Test
    void rejectsTwoGradesWithTheSameLowerBound() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Senior
                    field: title
                    contains-any: [vp]
                    points: 100
                grades:
                  A: 75
                  B: 50
                  C: 50
                  D: 0
                """);
        assertThat(invalid).hasMessageStartingWith("default-model.yml:11: grades overlap: C (50) must be below B (50)");
    }

    @Test
    void rejectsGradeBandsThatDoNotStartAtZero() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Senior
                    field: title
                    contains-any: [vp]
                    points: 100
                grades:
                  A: 75
                  B: 50
                  C: 10
                """);
        assertThat(invalid).hasMessage("default-model.yml:11: grade bands must start at 0 (lowest band is 10)");
    }

    @Test
    void rejectsStageBandsThatDoNotStartAtZero() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Senior
                    field: title
                    contains-any: [vp]
                    points: 100
                grades: {A: 75, D: 0}
                stages:
                  MQL: 60
                  lead: 5
                """);
        assertThat(invalid).hasMessage("default-model.yml:11: stage bands must start at 0 (lowest band is 5)");
    }

    @Test
    void rejectsAnUnreachableTaskThreshold() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                engagement:
                  - name: Meeting held
                    activity: meeting
                    points: 15
                grades: {A: 75, D: 0}
                task-threshold: 120
                """);
        assertThat(invalid).hasMessage("default-model.yml:8: task-threshold 120 is unreachable: the maximum possible"
                + " score is 100");
    }

    @Test
    void rejectsAGradeTheCriteriaCannotReach() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Senior
                    field: title
                    contains-any: [vp]
                    points: 20
                engagement:
                  - name: Meeting held
                    activity: meeting
                    points: 15
                    max: 30
                negative:
                  - name: Bounced
                    activity: email_bounce
                    points: -100
                grades:
                  A: 75
                  D: 0
                stages: {MQL: 50, lead: 0}
                task-threshold: 50
                """);
        assertThat(invalid).hasMessage("default-model.yml:18: grade A (75) is unreachable: the maximum possible score"
                + " is 50");
    }

    @Test
    void rejectsAnInvalidRegexAtItsLine() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Executive title
                    field: title
                    matches: "(chief|head of"
                    points: 20
                grades: {A: 20, D: 0}
                """);
        assertThat(invalid).hasMessageStartingWith("default-model.yml:6: invalid regex in criterion 'Executive title':"
                + " Unclosed group");
    }

    @Test
    void rejectsPositivePointsInNegative() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                negative:
                  - name: Unsubscribed
                    field: hs_email_optout
                    equals: "true"
                    points: 25
                grades: {D: 0}
                """);
        assertThat(invalid).hasMessage("default-model.yml:7: criterion 'Unsubscribed' in negative must have negative"
                + " points but has 25");
    }

    @Test
    void rejectsNegativePointsInFit() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Free mail
                    field: email
                    business-email: false
                    points: -5
                grades: {D: 0}
                """);
        assertThat(invalid).hasMessage("default-model.yml:7: criterion 'Free mail' in fit must have positive points"
                + " but has -5");
    }

    @Test
    void rejectsANegativeCapOnAPositiveCriterion() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                engagement:
                  - name: Meeting held
                    activity: meeting
                    points: 15
                    max: -30
                grades: {D: 0}
                """);
        assertThat(invalid).hasMessage("default-model.yml:7: max of criterion 'Meeting held' must be positive like its"
                + " points but is -30");
    }

    @Test
    void rejectsAnActivityTypeThatIsNotSnakeCase() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                engagement:
                  - name: Meeting held
                    activity: [meeting, Demo Request]
                    points: 15
                grades: {D: 0}
                """);
        assertThat(invalid).hasMessage("default-model.yml:5: activity type 'Demo Request' must be snake_case, e.g."
                + " meeting or email_reply (in criterion 'Meeting held')");
    }

    @Test
    void rejectsACriterionWithBothFieldAndActivity() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                engagement:
                  - name: Meeting held
                    field: title
                    activity: meeting
                    points: 15
                grades: {D: 0}
                """);
        assertThat(invalid).hasMessageStartingWith("default-model.yml:6: criterion 'Meeting held' has both 'field'"
                + " and 'activity'");
    }

    @Test
    void rejectsActivityOptionsOnAFieldCriterionAndOperatorsOnAnActivityCriterion() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                engagement:
                  - name: Visitor
                    field: hs_analytics_num_page_views
                    at-least: 10
                    within-days: 30
                    points: 10
                  - name: Meeting held
                    activity: meeting
                    equals: yes
                    points: 15
                grades: {D: 0}
                """);
        assertThat(invalid.problems()).extracting(ModelValidationException.Problem::line).containsExactly(7, 11);
        assertThat(invalid.problems().get(0).reason())
                .isEqualTo("'within-days' applies only to activity criteria, but criterion 'Visitor' tests field"
                        + " 'hs_analytics_num_page_views'");
        assertThat(invalid.problems().get(1).reason()).startsWith("'equals' is a field operator");
    }

    @Test
    void rejectsADuplicateKeyNamingTheFirst() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Senior
                    field: title
                    contains-any: [vp]
                    points: 20
                    points: 25
                grades: {A: 20, D: 0}
                """);
        assertThat(invalid).hasMessage("default-model.yml:8: duplicate key 'points' in criterion 'Senior' (first at"
                + " line 7)");
    }

    @Test
    void rejectsTwoCriteriaWithTheSameNameIgnoringCase() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Senior
                    field: title
                    contains-any: [vp]
                    points: 20
                engagement:
                  - name: senior
                    activity: meeting
                    points: 5
                grades: {A: 20, D: 0}
                """);
        assertThat(invalid).hasMessageStartingWith("default-model.yml:9: criterion name 'senior' is already used by"
                + " 'Senior' in fit");
    }

    @Test
    void rejectsNumbersThatAreNotNumbers() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Mid-size
                    field: numberofemployees
                    at-least: lots
                    points: 10
                grades: {A: 10, D: 0}
                """);
        assertThat(invalid).hasMessage("default-model.yml:6: at-least of criterion 'Mid-size' must be a number but is"
                + " 'lots'");
    }

    @Test
    void reportsInvalidYamlAtTheLineOfTheProblem() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Senior
                    field: title
                   contains-any: [vp]
                grades: {D: 0}
                """);
        assertThat(invalid.problems()).hasSize(1);
        assertThat(invalid.problems().get(0).line()).isEqualTo(6);
        assertThat(invalid.getMessage()).startsWith("default-model.yml:6: invalid YAML: ");
    }

    @Test
    void rejectsAnEmptyFile() {
        assertThat(problemsOf("# nothing yet\n")).hasMessageStartingWith("default-model.yml:1: the model is empty");
    }

    @Test
    void requiresNameVersionAndGrades() {
        ModelValidationException invalid = problemsOf("""
                fit:
                  - name: Senior
                    field: title
                    contains-any: [vp]
                    points: 20
                """);
        assertThat(invalid.problems()).extracting(ModelValidationException.Problem::reason).containsExactly(
                "missing required key 'name'", "missing required key 'version'", "missing required key 'grades'");
    }

    @Test
    void reportsEveryProblemInLineOrderOneALine() {
        ModelValidationException invalid = problemsOf("""
                name: default
                version: 3
                fit:
                  - name: Senior
                    field: title
                    matches: "[vp"
                    points: 20
                negative:
                  - name: Unsubscribed
                    field: hs_email_optout
                    equals: "true"
                    points: 25
                grades: {A: 75, B: 75, D: 0}
                """);
        assertThat(invalid.problems()).extracting(ModelValidationException.Problem::line).containsExactly(6, 12, 13);
        assertThat(invalid.getMessage().lines()).hasSize(3).allMatch(line -> line.startsWith("default-model.yml:"));
    }

    @Test
    void loadNamesTheFileInEachProblem(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("broken.yml");
        Files.writeString(file, "name: broken\nversion: 1\ngrades: {D: 5}\n");
        assertThatThrownBy(() -> ScoringModel.load(file)).isInstanceOf(ModelValidationException.class)
                .hasMessage(file + ":3: grade bands must start at 0 (lowest band is 5)");
    }

    @Test
    void aRejectedFileLeavesTheWorkingModelInPlace() {
        ScoringModel working = TestData.modelWith("");
        AtomicReference<ScoringModel> current = new AtomicReference<>(working);
        String broken = "name: test\nversion: 2\ngrades: {D: 0}\ntask-threshold: 10\n";
        assertThatThrownBy(() -> current.set(ScoringModel.parse(broken, "test-model.yml")))
                .isInstanceOf(ModelValidationException.class);
        assertThat(current.get()).isSameAs(working);
        assertThat(current.get().id()).isEqualTo("test@1");
    }

    @Test
    void holdsModelsBuiltInCodeToTheSameRules() {
        ActivityCriterion meetings = new ActivityCriterion("Meeting held", Category.ENGAGEMENT, List.of("meeting"),
                15, OptionalDouble.of(30), OptionalInt.empty(), OptionalDouble.empty(), Map.of());
        List<Band> grades = List.of(new Band("A", 75), new Band("D", 0));
        assertThatThrownBy(() -> new ScoringModel("code", "1", List.of(meetings), grades, List.of(),
                OptionalInt.empty(), 255))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("grade A (75) is unreachable: the maximum possible score is 30");
        assertThatThrownBy(() -> new FieldCriterion("Unsubscribed", Category.NEGATIVE, "hs_email_optout",
                new FieldCondition.Equals("true"), 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("criterion 'Unsubscribed' in negative must have negative points but has 25");
        assertThat(new ScoringModel("code", "1", List.of(meetings), List.of(new Band("A", 30), new Band("D", 0)),
                List.of(), OptionalInt.of(30), 255).maxPossibleScore()).isEqualTo(30);
    }
}
