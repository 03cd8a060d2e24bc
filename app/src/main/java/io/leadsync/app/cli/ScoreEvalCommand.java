package io.leadsync.app.cli;

import io.leadsync.scoring.ModelValidationException;
import io.leadsync.scoring.ScoringModel;
import io.leadsync.scoring.eval.Backtest;
import io.leadsync.scoring.eval.BacktestReport;
import io.leadsync.scoring.eval.BacktestResult;
import io.leadsync.scoring.eval.FeatureSet;
import io.leadsync.scoring.eval.LabelledCase;
import io.leadsync.scoring.eval.LogisticTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code leadsync score-eval}: backtests models on labelled history (AUC, log loss, accuracy, precision and recall
 * at the MQL threshold, the MQLs produced, conversion and lift by decile), champion and challenger side by side,
 * or cross-validates training with {@code --folds}; writes a chart of conversion by score band.
 */
@Command(name = "score-eval", mixinStandardHelpOptions = true,
        description = "Backtest scoring models on labelled history, or cross-validate training with --folds;"
                + " prints name: value lines and writes an HTML chart.")
public final class ScoreEvalCommand implements Callable<Integer> {
    @Mixin
    LabelledDataOptions data;

    @Option(names = "--model", description = "A model to evaluate; give two to compare champion and challenger.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--folds", description = "Cross-validate training instead: train on k-1 folds, score the"
            + " held-out one (features discovered on the training folds only).")
    Integer folds;

    @Option(names = "--criteria", description = "With --folds: a model whose criteria are the features.")
    Path criteria;

    @Option(names = "--discover", description = "With --folds: also make criteria from the data's columns"
            + " (default: true without --criteria).")
    Boolean discover;

    @Option(names = "--l2", defaultValue = "1.0", description = "With --folds: the L2 penalty (default 1.0).")
    double l2;

    @Option(names = "--seed", defaultValue = "42", description = "With --folds: the shuffle seed (default 42).")
    long seed;

    @Option(names = "--chart", defaultValue = "score-eval.html", description = "Where to write the chart"
            + " (default score-eval.html).")
    Path chart;

    @Override
    public Integer call() throws Exception {
        if (models.isEmpty() == (folds == null) || models.size() > 2) {
            System.err.println("score-eval: give one or two --model files, or --folds k to cross-validate training");
            return 2;
        }
        List<BacktestResult> results = new ArrayList<>();
        long started = System.nanoTime();
        try {
            List<LabelledCase> cases = data.load();
            if (folds != null) {
                ProgressBar bar = ProgressBar.onStandardError("folds");
                int[] trained = {0};
                bar.update("folds trained", 0, folds);
                results.add(Backtest.crossValidate(cases, folds, seed, training -> {
                    try {
                        var model = LogisticTrainer.train(ScoreTrainCommand.features(criteria, discover, training),
                                training, "cross-validated", folds + "-fold", LogisticTrainer.Options.defaults()
                                        .withL2(l2));
                        bar.update("folds trained", ++trained[0], folds);
                        return model;
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalArgumentException(e.getMessage(), e);
                    }
                }));
                bar.finish();
            } else {
                for (Path model : models) {
                    results.add(Backtest.evaluate(ScoringModel.load(model), cases));
                }
            }
        } catch (ModelValidationException | IllegalArgumentException e) {
            System.err.println("score-eval: " + e.getMessage());
            return 2;
        }
        BacktestResult first = results.get(0);
        System.out.print(BacktestReport.decileTable(first));
        if (results.size() == 2) {
            System.out.print(BacktestReport.comparison(first, results.get(1)));
        }
        System.out.print(BacktestReport.lines(first, ""));
        if (results.size() == 2) {
            System.out.print(BacktestReport.lines(results.get(1), "challenger_"));
            System.out.printf("auc_difference: %.4f%n", results.get(1).auc() - first.auc());
        }
        Files.writeString(chart, BacktestReport.html("leadsync score-eval: " + data.data.getFileName(), results),
                StandardCharsets.UTF_8);
        System.out.println("chart: " + chart.toAbsolutePath());
        System.out.printf("seconds: %.1f%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
