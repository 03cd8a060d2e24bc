package io.leadsync.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.app.api.TrainingViews;
import io.leadsync.routes.ModelScoringService;
import io.leadsync.routes.ModelTraining;
import io.leadsync.scoring.ModelWriter;
import io.leadsync.scoring.eval.AdditiveTrainer;
import io.leadsync.store.Store;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Training and checking models on the store's history for the API and the schedule: trains and backtests from the
 * configured outcome, plans the MQL threshold, reports reps' verdicts, and runs the recalibration report on its
 * schedule ({@code leadsync.scoring.recalibration.schedule}, monthly by default), storing each report and writing
 * its challenger where {@code leadsync.scoring.recalibration.challenger} says.
 */
@Context
public class ModelLab {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLab.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelTraining training;
    private final ModelScoringService champion;
    private final LeadsyncConfig.Scoring scoring;
    private final Store store;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    public ModelLab(ModelTraining training, @Named("champion") ModelScoringService champion, LeadsyncConfig config,
                    Store store, Clock clock) {
        this.training = training;
        this.champion = champion;
        this.scoring = config.scoring();
        this.store = store;
        this.clock = clock;
        String schedule = scoring.recalibration().schedule();
        if (schedule != null && scoring.knowsOutcomes()) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "leadsync-recalibration");
                thread.setDaemon(true);
                return thread;
            });
            scheduleNext(schedule);
        } else {
            timer = null;
        }
    }

    /** Options of a training request, each falling back on the configuration. */
    public record TrainingParameters(Optional<Instant> cutOff, Optional<Duration> horizon, Optional<Integer> maxCriteria,
                                     Optional<Integer> interactions, List<String> exclude, boolean onVerdicts) {
    }

    /** Trains from the store; with outcomes, trained one horizon before the cut-off and backtested at it. */
    public Map<String, Object> train(TrainingParameters parameters) {
        ModelTraining.Request request = request(parameters);
        String header = "Trained by leadsync from the store on " + clock.instant().toString().substring(0, 10);
        if (parameters.onVerdicts()) {
            LeadsyncConfig.Verdicts verdicts = requireVerdicts();
            AdditiveTrainer.Result result = training.trainOnVerdicts(request, verdicts(verdicts), "learned-verdicts",
                    version());
            return Map.of("labels", "verdicts in " + verdicts.field(), "learned",
                    TrainingViews.learned(result, header + " on reps' verdicts in " + verdicts.field() + "."));
        }
        ModelTraining.StoreBacktest backtest = training.backtest(request, parameters.cutOff(), "learned", version());
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("labels", "outcomes");
        view.put("training", TrainingViews.snapshot(backtest.training()));
        view.put("backtest", TrainingViews.snapshot(backtest.tested()));
        view.put("backtestFigures", TrainingViews.backtest(backtest.backtest()));
        view.put("leadsPerWeek", TrainingViews.round(backtest.leadsPerWeek()));
        view.put("learned", TrainingViews.learned(backtest.learned(), header + ": trained at "
                + backtest.trainedAt() + ", backtested at " + backtest.tested().cutOff() + "."));
        return view;
    }

    /** The MQL threshold for a capacity, with the model in service. */
    public Map<String, Object> plan(double mqlsPerWeek, Optional<Duration> horizon) {
        requireOutcome();
        ModelTraining.Request request = request(new TrainingParameters(Optional.empty(), horizon, Optional.empty(),
                Optional.empty(), List.of(), false));
        return TrainingViews.plan(training.plan(champion.model(), request, mqlsPerWeek), mqlsPerWeek);
    }

    public Map<String, Object> verdicts() {
        LeadsyncConfig.Verdicts verdicts = requireVerdicts();
        return TrainingViews.verdicts(training.verdictReport(champion.model(), verdicts(verdicts),
                scoring.knowsOutcomes() ? scoring.trainingOutcome() : null));
    }

    /** Runs the recalibration report now: stores it, writes its challenger where configured, and returns it. */
    public synchronized Map<String, Object> recalibrate() {
        requireOutcome();
        LeadsyncConfig.Recalibration settings = scoring.recalibration();
        ModelTraining.RecalibrationReport report = training.recalibrate(champion.model(), request(
                new TrainingParameters(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        List.of(), false)), "challenger");
        String file = null;
        if (report.challenger() != null && settings.challenger() != null) {
            file = settings.challenger().toString();
            write(settings.challenger(), ModelWriter.toYaml(report.challenger(), List.of(
                    "Challenger trained by leadsync's recalibration report of " + report.createdAt() + " on the"
                            + " outcomes of " + report.periodStart() + " to " + report.periodEnd() + ".",
                    "Score it in shadow: set leadsync.scoring.challenger to this file.")));
        }
        Map<String, Object> view = TrainingViews.recalibration(report, file);
        try {
            String json = JSON.writeValueAsString(view);
            store.inTransaction(tx -> tx.models().recordRecalibration(report.model(), report.drifted(), json,
                    report.createdAt()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (report.drifted()) {
            LOG.warn("Recalibration of {}: drift found: {}", report.model(), String.join("; ", report.drift()));
        } else {
            LOG.info("Recalibration of {}: no drift over {} profiles", report.model(), report.cases());
        }
        return view;
    }

    /** The latest stored recalibration reports, newest first. */
    public List<Map<String, Object>> recalibrations(int limit) {
        return store.inTransaction(tx -> tx.models().recalibrations(limit)).stream().map(stored -> {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> report = JSON.readValue(stored.report(), Map.class);
                return report;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private ModelTraining.Request request(TrainingParameters parameters) {
        LeadsyncConfig.Recalibration settings = scoring.recalibration();
        requireOutcome();
        Set<String> exclude = new LinkedHashSet<>(settings.exclude());
        exclude.addAll(parameters.exclude());
        if (scoring.verdicts() != null) {
            exclude.add(scoring.verdicts().field());
        }
        AdditiveTrainer.Options options = AdditiveTrainer.Options.defaults()
                .withMaxCriteria(parameters.maxCriteria().orElse(settings.maxCriteria()))
                .withInteractions(parameters.interactions().orElse(AdditiveTrainer.DEFAULT_INTERACTIONS))
                .withBudgets(List.of(5, 10, 20, 40).stream()
                        .filter(b -> b <= parameters.maxCriteria().orElse(settings.maxCriteria())).toList());
        return new ModelTraining.Request(scoring.trainingOutcome(), parameters.horizon().orElse(settings.horizon()),
                exclude, options);
    }

    private void requireOutcome() {
        if (!scoring.knowsOutcomes()) {
            throw new IllegalStateException("no outcome: set leadsync.scoring.outcome.field with .converted and"
                    + " .date-field, or .converted-activities (e.g. [opportunity_won]), to say who converted when");
        }
    }

    private LeadsyncConfig.Verdicts requireVerdicts() {
        if (scoring.verdicts() == null) {
            throw new IllegalStateException("no verdicts: set leadsync.scoring.verdicts.field to the CRM field where"
                    + " reps judge leads (e.g. lead_quality) and read it from the connector");
        }
        return scoring.verdicts();
    }

    private static ModelTraining.Verdicts verdicts(LeadsyncConfig.Verdicts verdicts) {
        return new ModelTraining.Verdicts(verdicts.field(), Set.copyOf(verdicts.good()), Set.copyOf(verdicts.bad()));
    }

    private String version() {
        return clock.instant().toString().substring(0, 10).replace("-", ".");
    }

    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the challenger to " + file + ": " + e.getMessage(), e);
        }
    }

    private void scheduleNext(String schedule) {
        try {
            CronExpression cron = new CronExpression(schedule);
            cron.setTimeZone(TimeZone.getTimeZone("UTC"));
            Date next = cron.getNextValidTimeAfter(Date.from(clock.instant()));
            if (next == null) {
                return;
            }
            long delay = Math.max(0, next.getTime() - clock.millis());
            timer.schedule(() -> {
                try {
                    recalibrate();
                } catch (RuntimeException e) {
                    LOG.error("Recalibration report failed: {}", e.getMessage());
                }
                scheduleNext(schedule);
            }, delay, TimeUnit.MILLISECONDS);
        } catch (ParseException e) {
            throw new IllegalStateException("leadsync.scoring.recalibration.schedule: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
