package io.leadsync.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

/** {@code score-train} and {@code score-eval} on a labelled CSV, as RevOps runs them. */
class ScoreCommandsIT {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    /** Leads whose conversion depends on source and time on site, with noise. */
    private static Path leads(Path dir) throws IOException {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder("Lead Id,Source,Minutes on site,Stage after call,Converted\n");
        for (int i = 0; i < 3000; i++) {
            String source = random.nextDouble() < 0.3 ? "Referral" : random.nextBoolean() ? "Google" : "Ads";
            int minutes = random.nextInt(60);
            double logOdds = -2 + (source.equals("Referral") ? 2 : 0) + minutes / 20.0;
            boolean converted = random.nextDouble() < 1 / (1 + Math.exp(-logOdds));
            csv.append("L").append(i).append(',').append(source).append(',').append(minutes).append(',')
                    .append(converted ? "Won" : "Lost").append(',').append(converted ? 1 : 0).append('\n');
        }
        Path file = dir.resolve("leads.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void trainsAModelThenComparesItWithTheHandWrittenOneAndWritesTheChart(@TempDir Path dir) throws IOException {
        Path data = leads(dir);
        Path learned = dir.resolve("learned.yml");
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                name: rules
                version: 1
                fit:
                  - {name: Referred, field: Source, equals: Referral, points: 40}
                engagement:
                  - {name: Long visit, field: Minutes on site, at-least: 30, points: 30}
                grades: {A: 60, D: 0}
                stages: {MQL: 50, lead: 0}
                """);

        int trained = Leadsync.execute("score-train", "--data", data.toString(), "--label", "Converted",
                "--exclude", "Lead Id,Stage after call", "--out", learned.toString(), "--name", "learned");
        assertThat(trained).as(err.toString()).isZero();
        // progress on standard error, x of y with a rate, the last step included; standard output stays the result
        assertThat(err.toString(StandardCharsets.UTF_8)).containsPattern("(?m)^\\[#*-*\\] +\\d+%  1/(\\d+) columns built")
                .containsPattern("(?m)^\\[#{24}\\] 100%  (\\d+)/\\1 calibrated \\d+/s$");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("columns built").doesNotContain("calibrated");
        assertThat(Files.readString(learned)).contains("kind: logistic").contains("Source is Referral")
                .doesNotContain("Stage after call");

        Path chart = dir.resolve("chart.html");
        int evaluated = Leadsync.execute("score-eval", "--data", data.toString(), "--label", "Converted",
                "--exclude", "Lead Id,Stage after call", "--model", rules.toString(), "--model", learned.toString(),
                "--chart", chart.toString());

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(evaluated).as(err.toString()).isZero();
        assertThat(printed).containsPattern("(?m)^model: rules@1$").containsPattern("(?m)^challenger_model: learned@1$")
                .containsPattern("(?m)^auc: 0\\.\\d{4}$").containsPattern("(?m)^mqls: \\d+$")
                .containsPattern("(?m)^challenger_auc: 0\\.\\d{4}$").contains("auc_difference: ");
        assertThat(Files.readString(chart)).contains("<svg").contains("rules@1").contains("learned@1");
    }

    @Test
    void crossValidatesTrainingWithFolds(@TempDir Path dir) throws IOException {
        int exit = Leadsync.execute("score-eval", "--data", leads(dir).toString(), "--label", "Converted",
                "--exclude", "Lead Id,Stage after call", "--folds", "5", "--chart", dir.resolve("c.html").toString());

        assertThat(exit).as(err.toString()).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("folds: 5").containsPattern("(?m)^auc_by_fold( 0\\.\\d{4}){5}$".replace("auc_by_fold", "auc_by_fold:"));
        double auc = Double.parseDouble(printed.replaceAll("(?s).*\nauc: (0\\.\\d+)\n.*", "$1"));
        assertThat(auc).isGreaterThan(0.7);
    }

    @Test
    void namesTheMissingLabelColumnAndExitsWithTwo(@TempDir Path dir) throws IOException {
        int exit = Leadsync.execute("score-eval", "--data", leads(dir).toString(), "--label", "Outcome",
                "--folds", "5");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("label column 'Outcome' is not in the header");
    }
}
