package io.leadsync.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code eval-identity} on a FEBRL-shaped file: figures as name: value lines, a clear error on a bad file. */
class EvalIdentityCommandIT {

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = Leadsync.execute(args);
            return exit + "\n" + out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void printsTheFiguresOfAFebrlShapedFile(@TempDir Path dir) throws IOException {
        String[] given = {"michaela", "courtney", "elton", "mitchell", "harley", "jessica", "thomas", "chloe"};
        String[] surnames = {"neumann", "painter", "maxon", "green", "mccarthy", "white", "berry", "reid"};
        Random random = new Random(9);
        StringBuilder csv = new StringBuilder("rec_id, given_name, surname, street_number, address_1, address_2,"
                + " suburb, postcode, state, date_of_birth, soc_sec_id\n");
        for (int e = 0; e < 300; e++) {
            String row = given[random.nextInt(8)] + ", " + surnames[random.nextInt(8)] + ", " + random.nextInt(200)
                    + ", stanley street, , winston hills, " + (2000 + random.nextInt(7000)) + ", nsw, 19"
                    + (10 + random.nextInt(89)) + "0" + (1 + random.nextInt(9)) + (10 + random.nextInt(18)) + ", "
                    + (1_000_000 + random.nextInt(8_999_999));
            csv.append("rec-").append(e).append("-org, ").append(row).append('\n');
            if (e % 3 == 0) {
                csv.append("rec-").append(e).append("-dup-0, ").append(row.replaceFirst("a", "e")).append('\n');
            }
        }
        Path file = dir.resolve("dataset.csv");
        Files.writeString(file, csv);

        String printed = run("eval-identity", "--dataset", file.toString());

        assertThat(printed).startsWith("0\n").contains("records: 400").contains("true_pairs: 100")
                .containsPattern("(?m)^f1: (1\\.0000|0\\.9\\d{3})$").containsPattern("(?m)^seconds: \\d+\\.\\d\\d$");
    }

    @Test
    void namesTheProblemOfAnUnknownFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("other.csv");
        Files.writeString(file, "id,name\n1,anna\n");

        assertThat(run("eval-identity", "--dataset", file.toString())).startsWith("2\n");
        assertThat(run("eval-identity", "--dataset", dir.resolve("missing.csv").toString())).startsWith("2\n");
    }
}
