package io.leadsync.app.cli;

import io.leadsync.store.RunRecord;
import io.leadsync.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/** {@code leadsync runs}: the latest runs, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "List the latest runs: id, job, trigger, status, start, duration and summary.")
public final class RunsCommand extends ServiceCommand {
    @Option(names = "--job", description = "Only the runs of this job.")
    String job;

    @Option(names = "--limit", defaultValue = "20", description = "How many runs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int work(Server server) {
        if (limit < 1 || limit > 500) {
            err.println("--limit must be between 1 and 500 but is " + limit);
            return ExitCodes.USAGE;
        }
        List<RunRecord> runs = server.context().getBean(Store.class).inTransaction(tx -> tx.runs().recent(job, limit));
        out.printf("%-6s %-16s %-22s %-10s %-20s %9s  %s%n", "run", "job", "trigger", "status", "started",
                "seconds", "summary");
        for (RunRecord run : runs) {
            String seconds = run.finishedAt() == null ? "-" : String.format("%.1f",
                    Duration.between(run.startedAt(), run.finishedAt()).toMillis() / 1000.0);
            out.printf("%-6d %-16s %-22s %-10s %-20s %9s  %s%n", run.runId(), run.job(), abbreviate(run.trigger(), 22),
                    run.status(), run.startedAt().toString().substring(0, 19), seconds,
                    run.message() == null ? "" : run.message());
        }
        return ExitCodes.OK;
    }

    private static String abbreviate(String text, int length) {
        return text == null ? "" : text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }
}
