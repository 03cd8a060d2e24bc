package io.leadsync.app.cli;

import io.leadsync.scoring.ModelValidationException;
import io.leadsync.scoring.ModelWriter;
import io.leadsync.scoring.ScoringModel;
import io.leadsync.scoring.eval.FeatureSet;
import io.leadsync.scoring.eval.LabelledCase;
import io.leadsync.scoring.eval.LogisticTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code leadsync score-train}: fits a logistic model to labelled history and writes it as a model file a person
 * can read, edit, backtest with {@code score-eval} and roll out like any other.
 */
@Command(name = "score-train", mixinStandardHelpOptions = true,
        description = "Fit criterion weights to labelled history (L2-regularized logistic regression) and write"
                + " the model file.")
public final class ScoreTrainCommand implements Callable<Integer> {
    @Mixin
    LabelledDataOptions data;

    @Option(names = "--criteria", description = "A model whose criteria are the features (its points are"
            + " ignored, the weights learned).")
    Path criteria;

    @Option(names = "--discover", description = "Also make criteria from the data's columns: one per frequent"
            + " value, one per decile of a numeric column (default: true without --criteria).")
    Boolean discover;

    @Option(names = "--l2", defaultValue = "1.0", description = "L2 penalty on the weights (default 1.0).")
    double l2;

    @Option(names = "--name", defaultValue = "learned", description = "The new model's name.")
    String name;

    @Option(names = "--model-version", defaultValue = "1", description = "The new model's version.")
    String version;

    @Option(names = "--out", required = true, description = "Where to write the model file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        try {
            List<LabelledCase> cases = data.load();
            FeatureSet features = features(criteria, discover, cases);
            ScoringModel model = LogisticTrainer.train(features, cases, name, version,
                    LogisticTrainer.Options.defaults().withL2(l2));
            Files.writeString(out, ModelWriter.toYaml(model, List.of(
                    "Trained by leadsync score-train on " + LocalDate.now() + " from " + data.data.getFileName()
                            + " (" + cases.size() + " cases, " + cases.stream().filter(LabelledCase::converted).count()
                            + " converted), label " + data.label + ", l2 " + l2 + ".",
                    "Each weight is in log-odds; the score is the conversion probability in percent. Edit freely;",
                    "backtest a change with: leadsync score-eval --model <this file> --data <csv> --label <column>")),
                    StandardCharsets.UTF_8);
            System.out.printf("wrote %s: %s, %d criteria from %d features, intercept %.4f%n", out, model.id(),
                    model.criteria().size(), features.size(), model.defaultSegment().intercept());
            System.out.println("criteria: " + model.criteria().size());
            return 0;
        } catch (ModelValidationException | IllegalArgumentException e) {
            System.err.println("score-train: " + e.getMessage());
            return 2;
        }
    }

    /** The features of a model's criteria, the data's discovered ones, or both. */
    static FeatureSet features(Path criteria, Boolean discover, List<LabelledCase> cases) throws Exception {
        FeatureSet features = FeatureSet.of(List.of());
        if (criteria != null) {
            features = FeatureSet.of(ScoringModel.load(criteria));
        }
        if (discover != null ? discover : criteria == null) {
            features = features.plus(FeatureSet.discover(cases, Math.max(10, cases.size() / 500), 40));
        }
        if (features.size() == 0) {
            throw new IllegalArgumentException("no features: give --criteria <model> or --discover");
        }
        return features;
    }
}
