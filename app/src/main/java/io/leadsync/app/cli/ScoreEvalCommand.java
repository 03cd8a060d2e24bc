package io.leadsync.app.cli;

import io.leadsync.scoring.ModelValidationException;
import io.leadsync.scoring.ScoringModel;
import io.leadsync.scoring.eval.Backtest;
import io.leadsync.scoring.eval.BacktestReport;
import io.leadsync.scoring.eval.BacktestResult;
import io.leadsync.scoring.eval.LabelledCase;
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

    @Option(names = "--folds", description = "Cross-validate training instead: stratified folds, each scored by a"
            + " model trained on the others (columns, bands and calibration learned on those only).")
    Integer folds;

    @Mixin
    TrainingOptions training;

    @Mixin
    StoreTrainingOptions store;

    @Option(names = "--mqls-per-week", description = "Plan the MQL threshold for this sales capacity: the threshold"
            + " and the conversion it buys (needs --leads-per-week with a CSV).")
    Double mqlsPerWeek;

    @Option(names = "--leads-per-week", description = "With --mqls-per-week and a CSV: how many new leads arrive a"
            + " week.")
    Double leadsPerWeek;

    @Option(names = "--chart", defaultValue = "score-eval.html", description = "Where to write the chart"
            + " (default score-eval.html).")
    Path chart;

    @Override
    public Integer call() throws Exception {
        if (store.fromStore) {
            try {
                StoreTrainingOptions.print(store.train(training, data.exclude), System.out);
                return 0;
            } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
                System.err.println("score-eval: " + e.getMessage());
                return 2;
            }
        }
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
                results.add(Backtest.crossValidate(cases, folds, training.seed, fold -> {
                    var model = training.train(fold, "cross-validated", folds + "-fold", false).model();
                    bar.update("folds trained", ++trained[0], folds);
                    return model;
                }));
                bar.finish();
            } else {
                for (Path model : models) {
                    results.add(Backtest.evaluate(ScoringModel.load(model), cases));
                }
            }
        } catch (ModelValidationException | IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("score-eval: " + e.getMessage());
            return 2;
        }
        BacktestResult first = results.get(0);
        System.out.print(BacktestReport.decileTable(first));
        System.out.print(BacktestReport.reliabilityTable(first));
        if (results.size() == 2) {
            System.out.print(BacktestReport.comparison(first, results.get(1)));
        }
        System.out.print(BacktestReport.lines(first, ""));
        if (mqlsPerWeek != null) {
            if (leadsPerWeek == null) {
                System.err.println("score-eval: --mqls-per-week needs --leads-per-week with a CSV");
                return 2;
            }
            io.leadsync.scoring.eval.CutoffPlanner.Plan plan = io.leadsync.scoring.eval.CutoffPlanner.plan(
                    results.get(results.size() - 1).scored(), leadsPerWeek, mqlsPerWeek);
            System.out.printf(java.util.Locale.ROOT, "plan_threshold: %d%nplan_mqls_per_week: %.1f%n"
                    + "plan_conversion_rate: %.4f%nplan_recall: %.4f%n", plan.threshold(), plan.mqlsPerWeek(),
                    plan.conversionRate(), plan.recall());
        }
        if (results.size() == 2) {
            System.out.print(BacktestReport.lines(results.get(1), "challenger_"));
            System.out.printf("auc_difference: %.4f%n", results.get(1).auc() - first.auc());
        }
        Files.writeString(chart, BacktestReport.html("leadsync score-eval: " + data.describe(), results),
                StandardCharsets.UTF_8);
        System.out.println("chart: " + chart.toAbsolutePath());
        System.out.printf("seconds: %.1f%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
