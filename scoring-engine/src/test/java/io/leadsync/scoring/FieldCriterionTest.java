package io.leadsync.scoring;

import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreReason;
import io.leadsync.connector.ScoreResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static io.leadsync.scoring.TestData.AS_OF;
import static io.leadsync.scoring.TestData.modelWith;
import static io.leadsync.scoring.TestData.person;
import static org.assertj.core.api.Assertions.assertThat;

class FieldCriterionTest {
    private final Scorer scorer = new RuleScorer();

    private int score(String criterion, Person person) {
        return scorer.score(person, List.of(), modelWith("fit:\n" + criterion), AS_OF).score();
    }

    @ParameterizedTest(name = "title \"{0}\" matches: {1}")
    @CsvSource(delimiter = '|', value = {
            "VP Sales                 | true",
            "Vice-President, Marketing| true",
            "Head of Engineering      | true",
            "CTO & Co-Founder         | true",
            "Chief Revenue Officer    | true",
            "director of operations   | true",
            "Sales Director           | true",
            "Software Engineer        | false",
            "SVP Sales                | false",
            "Headhunter               | false",
            "Actor                    | false"})
    void containsAnyMatchesWholeWordsIgnoringCaseAndPunctuation(String title, boolean matches) {
        String criterion = """
                  - name: Senior
                    field: title
                    contains-any: [vp, vice president, director, head of, chief, cto, founder]
                    points: 20
                """;
        assertThat(score(criterion, person().title(title).build())).isEqualTo(matches ? 20 : 0);
    }

    @Test
    void containsAnyDoesNotFindCtoInsideDirector() {
        assertThat(new FieldCondition.ContainsAny(List.of("cto")).test("Director")).isFalse();
        assertThat(new FieldCondition.ContainsAny(List.of("cto")).test("CTO")).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" equals true: {1}")
    @CsvSource(delimiter = '|', value = {"true | true", "TRUE | true", " True  | true", "false | false", "truex | false"})
    void equalsComparesTextIgnoringCase(String optOut, boolean matches) {
        String criterion = """
                  - name: Opted out
                    field: hs_email_optout
                    equals: "true"
                    points: 5
                """;
        Person person = person().attributes(Map.of("hs_email_optout", optOut)).build();
        assertThat(score(criterion, person)).isEqualTo(matches ? 5 : 0);
    }

    @Test
    void equalsAcceptsAnUnquotedYamlBoolean() {
        String criterion = """
                  - name: Opted out
                    field: hs_email_optout
                    equals: true
                    points: 5
                """;
        assertThat(score(criterion, person().attributes(Map.of("hs_email_optout", "true")).build())).isEqualTo(5);
    }

    @ParameterizedTest(name = "industry {0} in list: {1}")
    @CsvSource({"COMPUTER_SOFTWARE, true", "computer_software, true", "FINANCIAL_SERVICES, true",
            "RETAIL, false", "COMPUTER, false"})
    void inMatchesAnyListedValueIgnoringCase(String industry, boolean matches) {
        String criterion = """
                  - name: Target industry
                    field: industry
                    in: [COMPUTER_SOFTWARE, FINANCIAL_SERVICES]
                    points: 15
                """;
        assertThat(score(criterion, person().attributes(Map.of("industry", industry)).build()))
                .isEqualTo(matches ? 15 : 0);
    }

    @ParameterizedTest(name = "{0} employees at least 200: {1}")
    @CsvSource(delimiter = '|', value = {"200 | true", "5000 | true", "199 | false", "200.0 | true", " 250 | true",
            "1,000 | false", "201-500 | false", "many | false"})
    void atLeastComparesNumbersAndNeverMatchesText(String employees, boolean matches) {
        String criterion = """
                  - name: Mid-size
                    field: numberofemployees
                    at-least: 200
                    points: 10
                """;
        assertThat(score(criterion, person().attributes(Map.of("numberofemployees", employees)).build()))
                .isEqualTo(matches ? 10 : 0);
    }

    @ParameterizedTest(name = "{0} employees at most 50: {1}")
    @CsvSource(delimiter = '|', value = {"50 | true", "3 | true", "50.5 | false", "51 | false", "n/a | false"})
    void atMostComparesNumbersAndNeverMatchesText(String employees, boolean matches) {
        String criterion = """
                  - name: Small team
                    field: numberofemployees
                    at-most: 50
                    points: 10
                """;
        assertThat(score(criterion, person().attributes(Map.of("numberofemployees", employees)).build()))
                .isEqualTo(matches ? 10 : 0);
    }

    @Test
    void numericOperatorsDoNotMatchAMissingValue() {
        assertThat(new FieldCondition.AtLeast(BigDecimal.ZERO).test(null)).isFalse();
        assertThat(new FieldCondition.AtMost(BigDecimal.TEN).test(null)).isFalse();
    }

    @Test
    void presentTellsAKnownValueFromAMissingOne() {
        String hasPhone = """
                  - name: Has phone
                    field: phone
                    present: true
                    points: 5
                """;
        String noPhone = """
                  - name: No phone
                    field: phone
                    present: false
                    points: 5
                """;
        Person withPhone = person().phone("+49 30 1234567").build();
        Person withoutPhone = person().phone("  ").build();
        assertThat(score(hasPhone, withPhone)).isEqualTo(5);
        assertThat(score(hasPhone, withoutPhone)).isZero();
        assertThat(score(noPhone, withPhone)).isZero();
        assertThat(score(noPhone, withoutPhone)).isEqualTo(5);
    }

    @ParameterizedTest(name = "{0} is a business address: {1}")
    @CsvSource({"jane@acme.com, true", "Jane.Doe@ACME.IO, true", "jane@gmail.com, false", "jane@GMX.de, false",
            "jane@proton.me, false", "jane@yahoo.co.uk, false", "jane@stanford.edu, false", "jane@ox.ac.uk, false",
            "jane@unimelb.edu.au, false"})
    void businessEmailTellsCompanyDomainsFromFreeMailAndAcademicOnes(String email, boolean business) {
        assertThat(new FieldCondition.BusinessEmail(true).test(email)).isEqualTo(business);
        assertThat(new FieldCondition.BusinessEmail(false).test(email)).isEqualTo(!business);
    }

    @ParameterizedTest(name = "\"{0}\" is no address")
    @CsvSource(delimiter = '|', value = {"jane", "@acme.com", "jane@", "jane@localhost", "jane@acme..com"})
    void businessEmailMatchesNeitherWayWhenTheValueIsNoAddress(String value) {
        assertThat(new FieldCondition.BusinessEmail(true).test(value)).isFalse();
        assertThat(new FieldCondition.BusinessEmail(false).test(value)).isFalse();
        assertThat(new FieldCondition.BusinessEmail(true).test(null)).isFalse();
    }

    @Test
    void matchesFindsARegexAnywhereIgnoringCase() {
        String criterion = """
                  - name: German phone
                    field: phone
                    matches: '^\\+49\\b'
                    points: 3
                """;
        assertThat(score(criterion, person().phone("+49 30 1234567").build())).isEqualTo(3);
        assertThat(score(criterion, person().phone("+491 555").build())).isZero();
        assertThat(score(criterion, person().phone("+1 555 0100").build())).isZero();
        assertThat(FieldCondition.Matches.of("ceo").test("Founder & CEO")).isTrue();
        assertThat(FieldCondition.Matches.of("(?-i)ceo").test("Founder & CEO")).isFalse();
    }

    @Test
    void readsCanonicalFieldsByTheirModelNames() {
        String criteria = """
                  - name: Known first name
                    field: first-name
                    present: true
                    points: 1
                  - name: Owned
                    field: owner-id
                    present: true
                    points: 2
                  - name: German
                    field: country
                    in: [DE, Germany]
                    points: 4
                """;
        Person person = person().firstName("Jana").ownerId("owner-7").country("Germany").build();
        assertThat(scorer.score(person, List.of(), modelWith("fit:\n" + criteria), AS_OF).score()).isEqualTo(7);
    }

    @Test
    void readsAnAttributeIgnoringCaseWhenNoExactNameMatches() {
        String criterion = """
                  - name: Target industry
                    field: industry
                    in: [Banking]
                    points: 15
                """;
        Person salesforceLead = person().attributes(Map.of("Industry", "Banking")).build();
        assertThat(score(criterion, salesforceLead)).isEqualTo(15);
    }

    @Test
    void explainsAFieldMatchWithTheFieldAndItsValue() {
        String criterion = """
                  - name: Senior decision maker
                    field: title
                    contains-any: [vp]
                    points: 20
                """;
        ScoreResult result = scorer.score(person().title("VP Sales").build(), List.of(),
                modelWith("fit:\n" + criterion), AS_OF);
        assertThat(result.reasons()).containsExactly(
                new ScoreReason("Senior decision maker", "fit", 20.0, "title \"VP Sales\""));
    }
}
