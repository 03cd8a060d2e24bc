package io.leadsync.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.routes.SyncEngine;
import io.leadsync.store.RunRecord;
import io.leadsync.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code leadsync sync <job> [--dry-run]}: runs a job now, in this process, with a progress bar, and exits with the
 * run's outcome ({@link ExitCodes}).
 */
@Command(name = "sync", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Run a job now (pull, resolve, score, push) and wait for it; --dry-run writes nothing and reports"
                + " what would be written and the calls it would cost.")
public final class SyncCommand extends ServiceCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "<job>", description = "The job to run (sync.jobs.<job>).")
    String job;

    @Option(names = "--dry-run", description = "Pull and score, report what would be written and its calls; write"
            + " nothing to the CRMs or the store.")
    boolean dryRun;

    @Override
    int work(Server server) throws Exception {
        SyncEngine engine = server.context().getBean(SyncEngine.class);
        if (engine.job(job).isEmpty()) {
            err.println("no job named '" + job + "'; configured jobs are " + engine.jobNames());
            return ExitCodes.NOT_FOUND;
        }
        SyncEngine.RunRequest request = engine.trigger(job, dryRun ? "dry-run:cli" : "cli", dryRun);
        if (!request.started()) {
            err.println(request.message());
            return ExitCodes.BUSY;
        }
        Store store = engine.store();
        ProgressBar bar = ProgressBar.onStandardError("records");
        RunRecord finished;
        while (true) {
            try {
                finished = engine.await(request.runId(), Duration.ofMillis(500));
                break;
            } catch (java.util.concurrent.TimeoutException waiting) {
                store.inTransaction(tx -> tx.runs().get(request.runId())).ifPresent(run -> show(bar, run));
            }
        }
        bar.finish();
        out.printf("run %d of job %s: %s%n  %s%n", finished.runId(), finished.job(), finished.status(),
                finished.message());
        return ExitCodes.of(finished);
    }

    /** The records pulled so far against those the vendors counted before the reads. */
    private static void show(ProgressBar bar, RunRecord run) {
        if (run.statsJson() == null) {
            return;
        }
        try {
            JsonNode counts = JSON.readTree(run.statsJson()).path("counts");
            long received = sum(counts.path("pull"), "received");
            long expected = sum(counts.path("completeness"), "expected");
            String stage = counts.has("push") ? "pushing" : counts.has("score") ? "scoring" : "pulling";
            bar.update(stage, received, expected > 0 ? Math.max(expected, received) : -1);
        } catch (Exception e) {
            // progress is a courtesy; the run's outcome is what counts
        }
    }

    private static long sum(JsonNode scopes, String counter) {
        long total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = scopes.fields(); it.hasNext(); ) {
            total += it.next().getValue().path(counter).asLong(0);
        }
        return total;
    }
}
