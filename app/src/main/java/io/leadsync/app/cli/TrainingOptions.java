package io.leadsync.app.cli;

import io.leadsync.scoring.ScoringModel;
import io.leadsync.scoring.eval.AdditiveTrainer;
import io.leadsync.scoring.eval.FeatureSet;
import io.leadsync.scoring.eval.LabelledCase;
import io.leadsync.scoring.eval.LogisticTrainer;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How {@code score-train} and {@code score-eval --folds} train: a points table learned from the data (the default),
 * or the weights of a given model's criteria ({@code --criteria}).
 */
public final class TrainingOptions {
    @Option(names = "--criteria", description = "Learn only the weights of this model's criteria (L2 logistic"
            + " regression) instead of a points table from the data.")
    Path criteria;

    @Option(names = "--max-criteria", defaultValue = "40", description = "The most criteria (lines) the points table"
            + " may have (default 40); score-train shows the accuracy each smaller budget costs.")
    int maxCriteria;

    @Option(names = "--interactions", defaultValue = "" + AdditiveTrainer.DEFAULT_INTERACTIONS,
            description = "Pairwise terms to learn; each may become one or two segment rules within the budget"
                    + " (default " + AdditiveTrainer.DEFAULT_INTERACTIONS + ", 0 for none).")
    int interactions;

    @Option(names = "--categorical", split = ",", description = "Numeric columns that are codes (grouped, never"
            + " ranges), besides those recognised, comma separated, e.g. TrafficType,Region.")
    List<String> categorical = new ArrayList<>();

    @Option(names = "--l2", defaultValue = "1.0", description = "L2 penalty of the final fit of the weights"
            + " (default 1.0); raise it with few conversions.")
    double l2;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the splits (default 42).")
    long seed;

    /**
     * A model trained on the cases, with what the points table trainer reports.
     *
     * @param learned the points table's report, empty when training over given criteria
     */
    record Trained(ScoringModel model, Optional<AdditiveTrainer.Result> learned, String method) {
    }

    Trained train(List<LabelledCase> cases, String name, String version) {
        return train(cases, name, version, true, AdditiveTrainer.Progress.NONE);
    }

    /**
     * @param report whether to report what fewer criteria cost (a second learning of the shapes on part of the
     *               cases); cross-validation, which shows no report per fold, does without
     */
    Trained train(List<LabelledCase> cases, String name, String version, boolean report) {
        return train(cases, name, version, report, AdditiveTrainer.Progress.NONE);
    }

    /** Trains, telling {@code progress} of the points table trainer's steps (one step when fitting given criteria). */
    Trained train(List<LabelledCase> cases, String name, String version, AdditiveTrainer.Progress progress) {
        return train(cases, name, version, true, progress);
    }

    private Trained train(List<LabelledCase> cases, String name, String version, boolean report,
                          AdditiveTrainer.Progress progress) {
        if (criteria != null) {
            try {
                ScoringModel model = LogisticTrainer.train(FeatureSet.of(ScoringModel.load(criteria)), cases, name,
                        version, LogisticTrainer.Options.defaults().withL2(l2));
                progress.stepped("weights fitted", 1, 1);
                return new Trained(model, Optional.empty(), "weights of the criteria of " + criteria.getFileName()
                        + ", l2 " + l2);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --criteria " + criteria + ": " + e.getMessage(), e);
            }
        }
        AdditiveTrainer.Options options = report ? options() : options().withBudgets(List.of());
        AdditiveTrainer.Result result = AdditiveTrainer.train(cases, name, version, options, progress);
        return new Trained(result.model(), Optional.of(result), "points table, max-criteria " + maxCriteria
                + ", interactions " + interactions + ", l2 " + l2 + ", seed " + seed);
    }

    AdditiveTrainer.Options options() {
        Set<String> codes = new LinkedHashSet<>();
        categorical.forEach(column -> codes.add(column.strip()));
        List<Integer> budgets = new ArrayList<>();
        for (int budget : List.of(5, 10, 20, 30, 40, 60)) {
            if (budget < maxCriteria) {
                budgets.add(budget);
            }
        }
        budgets.add(maxCriteria);
        return AdditiveTrainer.Options.defaults().withMaxCriteria(maxCriteria).withInteractions(interactions)
                .withSeed(seed).withCategorical(codes).withBudgets(budgets).withL2(l2);
    }

    /** The points table as RevOps reads it: each line, its weight, the training cases it fires for and their rate. */
    static String pointsTable(AdditiveTrainer.Result result) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-72s %7s %7s %6s%n", "criterion",
                "weight", "cases", "rate"));
        for (AdditiveTrainer.Row row : result.rows()) {
            String name = row.criterion().name();
            out.append(String.format(Locale.ROOT, "%-72s %+7.2f %7d %5.1f%%%n",
                    name.length() > 72 ? name.substring(0, 71) + "…" : name, row.criterion().points(), row.cases(),
                    row.cases() == 0 ? 0 : 100.0 * row.converted() / row.cases()));
        }
        return out.toString();
    }

    /** What fewer criteria cost, on the 15% of the cases held out from learning both the shapes and the weights. */
    static String budgetTable(AdditiveTrainer.Result result) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-14s %9s %8s %9s%n", "max-criteria",
                "criteria", "auc", "log loss"));
        for (AdditiveTrainer.Budget budget : result.budgets()) {
            out.append(String.format(Locale.ROOT, "%-14s %9s %8.4f %9.4f%n",
                    budget.criteria() < 0 ? "full shapes" : Integer.toString(budget.criteria()),
                    budget.used() < 0 ? "-" : Integer.toString(budget.used()), budget.auc(), budget.logLoss()));
        }
        return out.toString();
    }
}
