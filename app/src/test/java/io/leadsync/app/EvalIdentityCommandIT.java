package io.leadsync.app;

import io.leadsync.sandbox.IdentityDataGenerator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eval-identity}: any labelled CSV replayed through the sync's resolution via a column mapping; figures as
 * name: value lines, per kind when the data names kinds; a clear error on a bad file or mapping.
 */
class EvalIdentityCommandIT {
    private static final Path MAPPINGS = Path.of("../docs/identity");
    private static final Path FEBRL = Path.of("../../shared/refs/data/febrl");

    private static String run(String... args) {
        PrintStream original = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = Leadsync.execute(args);
            return exit + "\n" + out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
        }
    }

    private static double figure(String printed, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + ": ([0-9.]+)$").matcher(printed);
        assertThat(matcher.find()).as(name + " in\n" + printed).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void replaysAFebrlShapedFileThroughItsMappingFile(@TempDir Path dir) throws IOException {
        String[] given = {"michaela", "courtney", "elton", "mitchell", "harley", "jessica", "thomas", "chloe",
            "isabella", "callum", "amber", "dylan", "charlotte", "william", "madison", "joshua", "talia", "reece"};
        String[] syllables = {"ne", "pai", "max", "gre", "mac", "whi", "ber", "rei", "ton", "son", "ley", "dor"};
        String[] streets = {"stanley street", "wallaby place", "fuhrman street", "bingley crescent", "peppin place"};
        String[] suburbs = {"winston hills", "mosman", "eaglehawk", "yagoona", "pottsville", "camperdown"};
        Random random = new Random(9);
        StringBuilder csv = new StringBuilder("rec_id, given_name, surname, street_number, address_1, address_2,"
                + " suburb, postcode, state, date_of_birth, soc_sec_id\n");
        for (int e = 0; e < 300; e++) {
            String surname = syllables[random.nextInt(12)] + syllables[random.nextInt(12)] + syllables[random.nextInt(12)];
            String row = given[random.nextInt(18)] + ", " + surname + ", " + random.nextInt(200)
                    + ", " + streets[random.nextInt(5)] + ", , " + suburbs[random.nextInt(6)] + ", "
                    + (2000 + random.nextInt(7000)) + ", nsw, 19"
                    + (10 + random.nextInt(89)) + "0" + (1 + random.nextInt(9)) + (10 + random.nextInt(18)) + ", "
                    + (1_000_000 + random.nextInt(8_999_999));
            csv.append("rec-").append(e).append("-org, ").append(row).append('\n');
            if (e % 3 == 0) {
                csv.append("rec-").append(e).append("-dup-0, ").append(row.replaceFirst("a", "e")).append('\n');
            }
        }
        Path file = dir.resolve("dataset.csv");
        Files.writeString(file, csv);

        String printed = run("eval-identity", "--mapping", MAPPINGS.resolve("febrl.yml").toString(), "--dataset",
                file.toString());

        assertThat(printed).startsWith("0\n").contains("records: 400").contains("true_pairs: 100")
                .containsPattern("(?m)^\\[#{24}\\] 100%  400/400 records resolved \\d+/s$")
                .containsPattern("(?m)^seconds: \\d+\\.\\d\\d$");
        assertThat(figure(printed, "f1")).isGreaterThan(0.95);
    }

    @Test
    void reportsFiguresPerKindOfAGeneratedCrmExportGivenColumnByColumn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("crm.csv");
        try (Writer writer = Files.newBufferedWriter(file)) {
            IdentityDataGenerator.writeCsv(new IdentityDataGenerator(11).crmExport(3_000),
                    IdentityDataGenerator.CRM_COLUMNS, writer);
        }

        String printed = run("eval-identity", "--dataset", file.toString(), "--map", "source=source",
                "--map", "record_id=id", "--map", "first_name=first_name", "--map", "last_name=last_name",
                "--map", "email=email", "--map", "phone=phone", "--map", "company=company", "--map", "website=website",
                "--map", "title=title", "--map", "country=country", "--map", "entity_id=truth", "--map", "kind=kind");

        assertThat(printed).startsWith("0\n");
        for (String kind : new String[] {"switchboard", "role-inbox", "family", "work-personal", "nameless", "typo",
            "full-name", "plain"}) {
            assertThat(printed).containsPattern("(?m)^kind\\." + kind + "\\.precision: [01]\\.\\d{4}$")
                    .containsPattern("(?m)^kind\\." + kind + "\\.recall: [01]\\.\\d{4}$");
        }
        assertThat(figure(printed, "precision")).isGreaterThan(0.9);
        assertThat(figure(printed, "recall")).isGreaterThan(0.75);
    }

    @Test
    void resolvesFebrl3AsWellAsTheIssueAsks() {
        Path data = FEBRL.resolve("dataset3.csv");
        Assumptions.assumeTrue(Files.isRegularFile(data), "the FEBRL data sets are not in " + FEBRL.toAbsolutePath()
                + " (../shared/refs/data/febrl from the repository root)");

        String printed = run("eval-identity", "--mapping", MAPPINGS.resolve("febrl.yml").toString(), "--dataset",
                data.toString());

        assertThat(printed).startsWith("0\n").contains("records: 5000").contains("true_pairs: 6538");
        assertThat(figure(printed, "f1")).isGreaterThanOrEqualTo(0.995);
    }

    @Test
    void namesTheProblemOfABadFileOrMapping(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("other.csv");
        Files.writeString(file, "id,name\n1,anna\n");

        assertThat(run("eval-identity", "--dataset", file.toString())).startsWith("2\n")
                .contains("name the columns with --mapping <file.yml> or --map column=field");
        assertThat(run("eval-identity", "--dataset", file.toString(), "--mapping",
                MAPPINGS.resolve("febrl.yml").toString())).startsWith("2\n").contains("no column 'given_name'");
        assertThat(run("eval-identity", "--dataset", file.toString(), "--map", "name=nickname", "--map", "id=truth"))
                .startsWith("2\n").contains("unknown field 'nickname'");
        assertThat(run("eval-identity", "--dataset", dir.resolve("missing.csv").toString(), "--map", "id=truth"))
                .startsWith("2\n").contains("is not a file");
    }
}
