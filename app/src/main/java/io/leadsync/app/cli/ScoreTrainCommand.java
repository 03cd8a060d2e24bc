package io.leadsync.app.cli;

import io.leadsync.scoring.ModelValidationException;
import io.leadsync.scoring.ModelWriter;
import io.leadsync.scoring.eval.LabelledCase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code leadsync score-train}: learns a points table from labelled history (or the weights of a model's criteria)
 * and writes it as a model file a person can read, edit, backtest with {@code score-eval} and roll out like any
 * other. A long training shows its steps on standard error (a bar on a terminal, else a line every few seconds).
 */
@Command(name = "score-train", mixinStandardHelpOptions = true,
        description = "Learn a points table from labelled history (bands per column, a few pairwise rules, within"
                + " --max-criteria) and write the model file.")
public final class ScoreTrainCommand implements Callable<Integer> {
    @Mixin
    LabelledDataOptions data;

    @Mixin
    TrainingOptions training;

    @Mixin
    StoreTrainingOptions store;

    @Option(names = "--name", defaultValue = "learned", description = "The new model's name.")
    String name;

    @Option(names = "--model-version", defaultValue = "1", description = "The new model's version.")
    String version;

    @Option(names = "--out", required = true, description = "Where to write the model file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        try {
            if (store.fromStore) {
                java.util.Map<String, Object> trained = store.train(training, data.exclude);
                StoreTrainingOptions.print(trained, System.out);
                @SuppressWarnings("unchecked")
                String yaml = (String) ((java.util.Map<String, Object>) trained.get("learned")).get("yaml");
                Files.writeString(out, yaml, StandardCharsets.UTF_8);
                System.out.println("wrote " + out);
                return 0;
            }
            List<LabelledCase> cases = data.load();
            ProgressBar bar = ProgressBar.onStandardError("steps");
            TrainingOptions.Trained trained;
            try {
                trained = training.train(cases, name, version, (step, done, total) -> bar.update(step, done, total));
            } finally {
                bar.finish();
            }
            Files.writeString(out, ModelWriter.toYaml(trained.model(), List.of(
                    "Trained by leadsync score-train on " + LocalDate.now() + " from " + data.describe() + " ("
                            + cases.size() + " cases, " + cases.stream().filter(LabelledCase::converted).count()
                            + " converted): " + trained.method() + ".",
                    "Each weight is in log-odds; the score is the conversion probability in percent. Edit freely;",
                    "backtest a change with: leadsync score-eval --model <this file> and the same data")),
                    StandardCharsets.UTF_8);
            trained.learned().ifPresent(result -> {
                System.out.print(TrainingOptions.pointsTable(result));
                System.out.println("accuracy by budget (learned on 6/7 of the cases, measured on the other 1/7):");
                System.out.print(TrainingOptions.budgetTable(result));
            });
            System.out.printf("wrote %s: %s, %d criteria, intercept %.2f%n", out, trained.model().id(),
                    trained.model().criteria().size(), trained.model().defaultSegment().intercept());
            System.out.println("criteria: " + trained.model().criteria().size());
            return 0;
        } catch (ModelValidationException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            System.err.println("score-train: " + e.getMessage());
            return 2;
        }
    }
}
