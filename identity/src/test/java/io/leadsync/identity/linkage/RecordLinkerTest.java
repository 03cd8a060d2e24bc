package io.leadsync.identity.linkage;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RecordLinkerTest {
    private static final List<RecordLinker.Field> FIELDS = List.of(
            new RecordLinker.Field("first", FieldKind.NAME), new RecordLinker.Field("last", FieldKind.NAME),
            new RecordLinker.Field("dob", FieldKind.DATE), new RecordLinker.Field("zip", FieldKind.CODE),
            new RecordLinker.Field("city", FieldKind.NAME));
    private static final String[] FIRST = {"anna", "ben", "carla", "dmitri", "elena", "farid", "grace", "hugo",
            "ines", "jonas", "kira", "liam", "maya", "nils", "olga", "pavel"};
    private static final String[] LAST = {"schmidt", "meyer", "novak", "rossi", "garcia", "kowalski", "dubois",
            "jensen", "silva", "tanaka", "okafor", "larsen", "moreau", "fischer", "weber", "costa"};
    private static final String[] CITIES = {"berlin", "hamburg", "munich", "cologne", "leipzig", "dresden"};

    /** People, some entered twice with a typo in one field. */
    static List<RecordLinker.Record> people(int count, long seed, List<Integer> entityOf) {
        Random random = new Random(seed);
        List<RecordLinker.Record> records = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            String[] values = {FIRST[random.nextInt(FIRST.length)], LAST[random.nextInt(LAST.length)],
                    String.format("19%02d%02d%02d", 40 + random.nextInt(60), 1 + random.nextInt(12),
                            1 + random.nextInt(28)), String.format("%05d", random.nextInt(99_999)),
                    CITIES[random.nextInt(CITIES.length)]};
            records.add(new RecordLinker.Record(String.format("r%05d", records.size()), 0, values));
            entityOf.add(p);
            if (p % 5 == 0) {
                String[] copy = values.clone();
                int field = random.nextInt(2);
                copy[field] = copy[field].substring(0, copy[field].length() - 1) + "x";
                if (p % 10 == 0) {
                    copy[4] = null; // a missing city is no evidence either way
                }
                records.add(new RecordLinker.Record(String.format("r%05d", records.size()), 0, copy));
                entityOf.add(p);
            }
        }
        return records;
    }

    @Test
    void findsTheTypoDuplicatesAndGivesEachClusterItsSmallestIdStably() {
        List<Integer> entityOf = new ArrayList<>();
        List<RecordLinker.Record> records = people(2_000, 1, entityOf);
        RecordLinker linker = new RecordLinker(FIELDS, RecordLinker.Options.defaults());

        RecordLinker.Result first = linker.link(records, false);
        RecordLinker.Result again = linker.link(records, false);

        int right = 0;
        for (RecordLinker.Pair pair : first.matches()) {
            right += entityOf.get(pair.a()).equals(entityOf.get(pair.b())) ? 1 : 0;
        }
        assertThat(first.matches()).hasSizeGreaterThanOrEqualTo(390).hasSizeLessThanOrEqualTo(405);
        assertThat((double) right / first.matches().size()).isGreaterThan(0.98);
        assertThat(again.clusterIds()).as("same data, same ids").containsExactly(first.clusterIds());
        RecordLinker.Pair pair = first.matches().get(0);
        String expected = records.get(pair.a()).id().compareTo(records.get(pair.b()).id()) < 0
                ? records.get(pair.a()).id() : records.get(pair.b()).id();
        assertThat(first.clusterIds()[pair.a()]).isEqualTo(expected).isEqualTo(first.clusterIds()[pair.b()]);
        assertThat(first.candidatePairs()).as("blocking: far fewer than all %d pairs", 2_400L * 2_399 / 2)
                .isLessThan(2_400L * 2_399 / 20);
    }

    @Test
    void linksAcrossTwoSourcesOnlyAndOneToOne() {
        List<RecordLinker.Record> records = new ArrayList<>();
        records.add(new RecordLinker.Record("a1", 0, new String[] {"anna", "schmidt", "19800101", "10115", "berlin"}));
        records.add(new RecordLinker.Record("a2", 0, new String[] {"anna", "schmidt", "19800101", "10115", "berlin"}));
        records.add(new RecordLinker.Record("b1", 1, new String[] {"anna", "schmidt", "19800101", "10115", "berlin"}));
        List<Integer> ignored = new ArrayList<>();
        List<RecordLinker.Record> noise = people(500, 3, ignored);
        for (RecordLinker.Record record : noise) {
            records.add(new RecordLinker.Record("n" + record.id(), records.size() % 2, record.values()));
        }

        RecordLinker.Result result = new RecordLinker(FIELDS, RecordLinker.Options.defaults().withOneToOne(true))
                .link(records, true);

        assertThat(result.matches()).noneMatch(pair -> records.get(pair.a()).source() == records.get(pair.b()).source());
        assertThat(result.matches().stream().filter(pair -> pair.a() < 3 && pair.b() < 3)).hasSize(1);
    }

    @Test
    void comparesFieldsIntoAgreementLevels() {
        assertThat(FieldKind.NAME.compare("jonathan", "jonathan")).isZero();
        assertThat(FieldKind.NAME.compare("jonathan", "jonathon")).isEqualTo(1);
        assertThat(FieldKind.NAME.compare("smith", "schmidt")).isEqualTo(3);
        assertThat(FieldKind.NAME.compare("catherine", "kathryn")).as("sounds alike").isEqualTo(2);
        assertThat(FieldKind.NAME.compare("smith", "jones")).isEqualTo(3);
        assertThat(FieldKind.DATE.compare("19800102", "19800201")).as("day and month swapped").isEqualTo(1);
        assertThat(FieldKind.DATE.compare("1980-01-02", "19800102")).isZero();
        assertThat(FieldKind.DATE.compare("19800102", "19811230")).isEqualTo(3);
        assertThat(FieldKind.CODE.compare("4223", "4233")).isEqualTo(1);
        assertThat(FieldKind.TEXT.compare("stanley street", "stanley st")).isEqualTo(1);
        assertThat(FieldKind.EMAIL.compare("ana@acme.io", "ana@acme.com")).isEqualTo(1);
        assertThat(Similarity.jaroWinkler("martha", "marhta")).isCloseTo(0.9611, within(1e-4));
        assertThat(Similarity.editDistance("kitten", "sitting", 5)).isEqualTo(3);
    }

    static Path febrl(String file) {
        for (String root : List.of("../shared/refs/data/febrl", "../../shared/refs/data/febrl")) {
            Path candidate = Path.of(root, file);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void beatsThePublishedF1OnFebrl4AndFebrl3() throws IOException {
        Path a = febrl("dataset4a.csv");
        assumeTrue(a != null, "../shared/refs/data/febrl is absent (a clone without the shared reference data);"
                + " skipping the FEBRL evaluation");

        LinkageEvaluation.Figures febrl4 = LinkageEvaluation.evaluate(List.of(a, febrl("dataset4b.csv")),
                RecordLinker.Options.defaults());
        LinkageEvaluation.Figures febrl3 = LinkageEvaluation.evaluate(List.of(febrl("dataset3.csv")),
                RecordLinker.Options.defaults());

        assertThat(febrl4.truePairs()).isEqualTo(5_000);
        assertThat(febrl4.f1()).as(febrl4.lines()).isGreaterThanOrEqualTo(0.995);
        assertThat(febrl3.truePairs()).isEqualTo(6_538);
        assertThat(febrl3.f1()).as(febrl3.lines()).isGreaterThanOrEqualTo(0.982);
        assertThat(febrl3.lines()).containsPattern("(?m)^f1: 0\\.99\\d\\d$");
    }
}
