package io.leadsync.app.cli;

import io.leadsync.routes.ModelRollout;
import io.leadsync.routes.ModelScoringService;
import io.leadsync.scoring.ModelValidationException;
import io.micronaut.inject.qualifiers.Qualifiers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code leadsync model-preview --model candidate.yml}: what activating a candidate model would change on the live
 * profiles (scores, grades, stages, CRM writes, API calls, tasks), writing nothing.
 */
@Command(name = "model-preview", mixinStandardHelpOptions = true,
        description = "Preview what a candidate scoring model would change on the live profiles; writes nothing.")
public final class ModelPreviewCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--model", required = true, description = "The candidate model file.")
    Path model;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        ModelScoringService candidate;
        try {
            candidate = ModelScoringService.load(model);
        } catch (ModelValidationException e) {
            System.err.println("the candidate model is not valid:\n" + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Server server;
        try {
            server = Server.start(config.file, Map.of("leadsync.scoring.reload-interval", "0s"), false);
        } catch (Server.StartupFailure e) {
            System.err.println("leadsync cannot start: " + e.getMessage());
            return 2;
        }
        try {
            ModelScoringService champion = server.context().getBean(ModelScoringService.class,
                    Qualifiers.byName("champion"));
            ModelRollout.Preview preview = server.context().getBean(ModelRollout.class)
                    .preview(candidate, champion.modelId());
            out.printf("Candidate %s against %s in service, on %d profiles:%n", preview.candidateModel(),
                    preview.currentModel(), preview.profiles());
            out.printf("  scores that change: %d; grades that change: %d %s%n", preview.scoresChanged(),
                    preview.gradesChanged(), preview.gradeMoves());
            out.printf("  stages now %s, with the candidate %s%n", preview.stagesBefore(), preview.stagesAfter());
            preview.sinks().forEach((sink, cost) -> out.printf("  %s: %d records, %d field writes, %d API calls,"
                    + " %d tasks%n", sink, cost.records(), cost.fieldWrites(), cost.apiCalls(), cost.tasks()));
            preview.tasks().forEach(task -> out.printf("  task: %s (%d, grade %s)%n", task.person(), task.score(),
                    task.grade()));
            out.printf("profiles: %d%nscores_changed: %d%ngrades_changed: %d%ntasks_to_create: %d%napi_calls: %d%n",
                    preview.profiles(), preview.scoresChanged(), preview.gradesChanged(), preview.tasksToCreate(),
                    preview.sinks().values().stream().mapToLong(ModelRollout.SinkCost::apiCalls).sum());
            return 0;
        } finally {
            server.close();
        }
    }
}
