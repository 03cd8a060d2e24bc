package io.leadsync.app.cli;

import io.leadsync.app.ModelLab;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Training from the store's own history instead of a CSV ({@code --from-store}): the service's configuration says
 * where the store is and how a conversion is told ({@code leadsync.scoring.outcome}).
 */
public final class StoreTrainingOptions {
    @Option(names = "--from-store", description = "Learn from the store's profiles and activities (the outcome of"
            + " leadsync.scoring.outcome) instead of a CSV: trained one horizon before the cut-off, backtested at it.")
    boolean fromStore;

    @Option(names = "--config", defaultValue = "config/application.yml", description = "With --from-store: the"
            + " config file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--cut-off", description = "With --from-store: the backtest's cut-off date (default: one"
            + " horizon ago, the latest whose outcomes are known), e.g. 2026-08-01.")
    LocalDate cutOff;

    @Option(names = "--horizon-days", description = "With --from-store: how long after a cut-off a conversion"
            + " counts (default leadsync.scoring.recalibration.horizon, 90 days).")
    Integer horizonDays;

    @Option(names = "--verdicts", description = "With --from-store: learn from reps' verdicts"
            + " (leadsync.scoring.verdicts) instead of outcomes.")
    boolean verdicts;

    /** Starts the service on its configuration (no port, no schedules) and trains through {@link ModelLab}. */
    Map<String, Object> train(TrainingOptions training, List<String> exclude) {
        Server server = Server.start(config, Map.of("micronaut.server.port", 0, "leadsync.scoring.reload-interval",
                "0s", "leadsync.start-schedules", "false"));
        try {
            return server.context().getBean(ModelLab.class).train(new ModelLab.TrainingParameters(
                    Optional.ofNullable(cutOff).map(date -> date.atStartOfDay(ZoneOffset.UTC).toInstant()),
                    Optional.ofNullable(horizonDays).map(Duration::ofDays), Optional.of(training.maxCriteria),
                    Optional.of(training.interactions), new ArrayList<>(exclude), verdicts));
        } finally {
            server.close();
        }
    }

    /** What {@link ModelLab#train} answered, for people: the cut-offs, the backtest, the points table. */
    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> trained, java.io.PrintStream out) {
        for (String part : List.of("training", "backtest")) {
            if (trained.get(part) instanceof Map<?, ?> snapshot) {
                out.printf("%s cut-off %s: %s profiles, %s converted within %s days%n", part, snapshot.get("cutOff"),
                        snapshot.get("cases"), snapshot.get("conversions"), snapshot.get("horizonDays"));
            }
        }
        Map<String, Object> figures = (Map<String, Object>) trained.get("backtestFigures");
        Map<String, Object> learned = (Map<String, Object>) trained.get("learned");
        for (Map<String, Object> row : (List<Map<String, Object>>) learned.get("pointsTable")) {
            out.printf(java.util.Locale.ROOT, "%-72s %+7.2f %7s %7s%n", row.get("criterion"), row.get("weight"),
                    row.get("cases"), row.get("converted"));
        }
        if (figures != null) {
            out.println("lift by score band at the backtest's cut-off:");
            for (Map<String, Object> band : (List<Map<String, Object>>) figures.get("bands")) {
                out.printf("  scores %-7s %6s cases %5s converted  rate %s  lift %s%n", band.get("scores"),
                        band.get("cases"), band.get("converted"), band.get("rate"), band.get("lift"));
            }
            for (String key : List.of("model", "cases", "conversionRate", "auc", "logLoss", "accuracy",
                    "topDecileLift")) {
                out.println(key.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT) + ": "
                        + figures.get(key));
            }
            out.println("leads_per_week: " + trained.get("leadsPerWeek"));
        }
        out.println("criteria: " + learned.get("criteria"));
    }
}
