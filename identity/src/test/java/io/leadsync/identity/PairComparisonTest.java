package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PairComparisonTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final IdentityResolver resolver = IdentitySettings.defaults().resolver();
    private int ids;

    private IdentityRecord record(String first, String last, String email) {
        return resolver.record(Person.builder(new ExternalId("crm", Integer.toString(++ids)), NOW).firstName(first)
                .lastName(last).email(email).build());
    }

    private static int email(IdentityRecord a, IdentityRecord b) {
        return PairComparison.levels(a, b)[Comparison.EMAIL.ordinal()];
    }

    @Test
    void namesCarryingOtherNumbersAndClearlyDifferentNamesAreToldWithoutAllocating() {
        assertThat(PairComparison.numberedApart("test 1", "test 2")).isTrue();
        assertThat(PairComparison.numberedApart("store 12", "store 1")).isTrue();
        assertThat(PairComparison.numberedApart("first001", "first 001")).isFalse();
        assertThat(PairComparison.numberedApart("anna", "ana")).isFalse();
        assertThat(PairComparison.numberedApart("anna", "anna2")).isTrue();
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            String a = text(random, "ab12 ");
            String b = text(random, "ab12 ");
            assertThat(PairComparison.numberedApart(a, b)).as("%s / %s", a, b)
                    .isEqualTo(!a.replaceAll("[^0-9]", "").equals(b.replaceAll("[^0-9]", "")));
        }
        assertThat(PairComparison.clearlyDifferent("maria", "mario")).as("one edit").isFalse();
        assertThat(PairComparison.clearlyDifferent("john", "jhon")).as("a transposition").isFalse();
        assertThat(PairComparison.clearlyDifferent("anna", "nana")).as("the same letters").isFalse();
        assertThat(PairComparison.clearlyDifferent("john", "mary")).isTrue();
        assertThat(PairComparison.clearlyDifferent("christopher", "chris")).as("other lengths").isTrue();
        assertThat(PairComparison.clearlyDifferent("mirabelle", "belmaire")).isTrue();
    }

    private static String text(java.util.SplittableRandom random, String alphabet) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(0, 8); i > 0; i--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    @Test
    void theSameLocalPartMadeOfTheNamesIsNotCountedAgain() {
        IdentityRecord zenith = record("Mary", "Brooks", "mary.brooks@zenithlogistics.com.au");
        IdentityRecord oakridge = record("Mary", "Brooks", "mary.brooks@oakridgesystems.com.br");
        assertThat(email(zenith, oakridge)).as("made of both records' names").isEqualTo(PairComparison.MISSING);
    }

    @Test
    void theSameLocalPartMadeOfOneRecordsNamesIsNotCountedAgainWhenTheOthersNameIsMistypedOrMissing() {
        IdentityRecord mistyped = record("May", "Brooks", "mary.brooks@zenithlogistics.com.au");
        IdentityRecord noLastName = record("Mary", null, "mary.brooks@quantafinancial.fr");
        IdentityRecord namesake = record("Mary", "Brooks", "mary.brooks@oakridgesystems.com.br");
        // before: "email (same local part)" weighed some 10 bits between namesakes at two companies, and merged them
        assertThat(email(mistyped, namesake)).isEqualTo(PairComparison.MISSING);
        assertThat(email(namesake, mistyped)).isEqualTo(PairComparison.MISSING);
        assertThat(email(noLastName, namesake)).isEqualTo(PairComparison.MISSING);
    }

    @Test
    void addressesOneInitialApartAtOneDomainAreColleaguesNotATypo() {
        assertThat(PairComparison.typo("jhernandez@northstar.in", "khernandez@northstar.in")).isFalse();
        assertThat(PairComparison.typo("johnw@quantasecurity.com", "johnc@quantasecurity.com")).isFalse();
        assertThat(PairComparison.typo("jhernandez@northstar.in", "jhernamdez@northstar.in")).as("inside").isTrue();
        assertThat(PairComparison.typo("jhernandez@northstar.in", "jhernadnez@northstar.in")).as("swapped").isTrue();
        assertThat(PairComparison.typo("jhernandez@northstar.in", "jhernandez@northstar.io")).as("domain").isTrue();
        assertThat(PairComparison.typo("al@acme.com", "bl@acme.com")).as("too short to be a pattern").isTrue();
    }

    @Test
    void addressesThatDifferOnlyInTheirDigitsAreTwoMailboxesNotATypo() {
        // namesakes whose address was taken add a number; before, a swap or a changed digit counted as a typo
        assertThat(PairComparison.typo("jamesperez47@gmail.com", "jamesperez74@gmail.com")).isFalse();
        assertThat(PairComparison.typo("mary.johnson12@yahoo.com", "mary.johnson13@yahoo.com")).isFalse();
        assertThat(PairComparison.typo("mary.johnson12@yahoo.com", "mary.johnson1@yahoo.com")).isFalse();
        assertThat(PairComparison.typo("ann2@acme.com", "ann@acme.com")).isFalse();
        assertThat(PairComparison.typo("jamesperez47@gmail.com", "jamesprez47@gmail.com")).as("a letter").isTrue();
        assertThat(email(record("James", "Perez", "jamesperez47@gmail.com"),
                record("James", "Perez", "jamesperez74@gmail.com"))).as("two addresses").isEqualTo(3);
    }

    @Test
    void namesReadFromAnEmailInTheOtherOrderDoNotPassForRareNames() {
        MatchWeights weights = MatchWeights.parse(MatchWeights.defaults().toText()
                + "tf\tfirst-name\tmary\t0.05\ntf\tlast-name\tsmith\t0.03\n");
        IdentityRecord parsed = record(null, null, "smith.mary@proton.me");   // read as first smith, last mary
        IdentityRecord named = record("Smith", "Mary", "smith.mary2@gmx.de");
        assertThat(parsed.flag('e')).isTrue();
        double m = weights.m(Comparison.FIRST_NAME, 0);
        // before: smith as a first name and mary as a surname were rare, some 14 bits each
        assertThat(PairComparison.weight(Comparison.FIRST_NAME, 0, parsed, weights, 1, 1, 1_000_000))
                .isCloseTo(MatchWeights.log2(m / 0.03), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(PairComparison.weight(Comparison.LAST_NAME, 0, parsed, weights, 1, 1, 1_000_000))
                .isCloseTo(MatchWeights.log2(weights.m(Comparison.LAST_NAME, 0) / 0.05),
                        org.assertj.core.data.Offset.offset(1e-9));
        assertThat(PairComparison.weight(Comparison.FIRST_NAME, 0, named, weights, 1, 1, 1_000_000))
                .as("a name typed as a first name keeps its own frequency")
                .isCloseTo(MatchWeights.log2(m / weights.floor(Comparison.FIRST_NAME)),
                        org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aLocalPartNotMadeOfTheNamesStillAgrees() {
        IdentityRecord work = record("Mary", "Brooks", "skipper77@zenithlogistics.com.au");
        IdentityRecord personal = record("Mary", "Brooks", "skipper77@gmail.com");
        assertThat(email(work, personal)).as("same local part at another domain").isEqualTo(1);
    }
}
