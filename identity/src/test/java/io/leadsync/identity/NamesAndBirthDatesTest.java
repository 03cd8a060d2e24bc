package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records with nothing but names and a birth date (RLdata500's columns), in a population whose common surnames are
 * not those of the built-in name lists: the store's own name counts decide what is common, and a birth date wrong
 * in one part still joins.
 */
class NamesAndBirthDatesTest {
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final String[] FIRST = {"HANS", "KLAUS", "PETER", "URSULA", "SABINE", "MONIKA", "JUERGEN", "WOLFGANG",
        "RENATE", "KARIN", "FRANK", "BIRGIT", "MICHAEL", "ANDREA", "THOMAS", "GABRIELE", "STEFAN", "ERIKA", "UWE", "JENS"};
    private static final String[] LAST = {"MUELLER", "SCHMIDT", "SCHNEIDER", "FISCHER", "WEBER", "MEYER", "WAGNER",
        "BECKER", "SCHULZ", "HOFFMANN", "SCHROEDER", "KOCH", "RICHTER", "KLEIN", "WOLF", "NEUMANN", "SCHWARZ",
        "ZIMMERMANN", "BRAUN", "KRUEGER", "HOFMANN", "HARTMANN", "LANGE", "WERNER", "KRAUSE", "LEHMANN", "KOEHLER"};

    private final IdentityResolver resolver = IdentitySettings.defaults().resolver();
    private final InMemoryIdentityStore store = new InMemoryIdentityStore();

    private static Person person(String id, String first, String last, LocalDate born) {
        return Person.builder(new ExternalId("registry", id), NOW).firstName(first).lastName(last)
                .dateOfBirth(born.toString()).build();
    }

    /** 400 different people; a tenth of them MUELLER, as in a German register, where the built-in lists know no MUELLER. */
    private void population() {
        SplittableRandom random = new SplittableRandom(7);
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String last = i % 10 == 0 ? "MUELLER" : LAST[random.nextInt(LAST.length)];
            LocalDate born = LocalDate.of(1930, 1, 1).plusDays(random.nextInt(365 * 75));
            people.add(person("p" + i, FIRST[random.nextInt(FIRST.length)], last, born));
        }
        resolver.resolve(people, store);
    }

    @Test
    void aSurnameCommonInTheStoreWeighsAsCommonThoughTheBuiltInListsDoNotKnowIt() {
        population();

        MatchWeights weights = resolver.weights(store);
        assertThat(weights.frequencies(Comparison.LAST_NAME)).as("the store's own surname counts")
                .hasEntrySatisfying(weights.frequencies(Comparison.LAST_NAME).keySet().stream()
                        .filter(name -> name.toUpperCase(Locale.ROOT).equals("MUELLER")).findFirst().orElse("mueller"),
                        share -> assertThat(share).isGreaterThan(0.05));
        assertThat(weights.builtInLevels()).as("m and u stay built-in: nothing was estimated").isTrue();

        LinkDecision first = resolver.resolve(List.of(person("a", "HANS", "MUELLER", LocalDate.of(1951, 4, 2))), store)
                .get(0);
        LinkDecision second = resolver.resolve(List.of(person("b", "HANS", "MUELLER", LocalDate.of(1979, 10, 23))),
                store).get(0);

        assertThat(second.profileId()).as("two HANS MUELLERs born 28 years apart").isNotEqualTo(first.profileId());
    }

    @Test
    void aBirthDateWrongInOnePartStillJoinsTheSamePerson() {
        population();

        LinkDecision first = resolver.resolve(List.of(person("a", "SIEGFRIED", "SCHROEDER", LocalDate.of(1938, 11, 3))),
                store).get(0);
        LinkDecision second = resolver.resolve(List.of(person("b", "SIEGFRIED", "SCHROEDER", LocalDate.of(1938, 3, 3))),
                store).get(0);

        assertThat(PairComparison.date("19381103", "19380303")).as("two digits apart").isEqualTo(2);
        assertThat(second.profileId()).isEqualTo(first.profileId());
    }
}
