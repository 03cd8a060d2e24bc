package io.leadsync.app.cli;

/**
 * The exit codes of every command, the same for each, so that scripts can trust them:
 * <pre>
 * 0  done: the run SUCCEEDED, every check passed, every letter was resolved
 * 1  the work failed: a run FAILED or was ABORTED, a check failed, letters stayed open
 * 2  bad usage or invalid configuration (nothing was done)
 * 3  done in part: the run ended PARTIAL (records in dead letters) or a completeness gap was flagged
 * 4  not found: no such job, connector, profile or dead letter
 * 5  busy: a run of the job was under way (SKIPPED), or the database is in use by another process
 * 6  paused: a vendor's API budget is spent (the run ended PAUSED)
 * </pre>
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int PARTIAL = 3;
    public static final int NOT_FOUND = 4;
    public static final int BUSY = 5;
    public static final int PAUSED = 6;

    /** The footer every command's --help shows. */
    public static final String HELP = "%nExit codes: 0 done, 1 failed, 2 bad usage or configuration, 3 done in part"
            + " (dead letters, a completeness gap), 4 not found, 5 busy (a run under way, the database in use),"
            + " 6 paused (API budget spent).";

    private ExitCodes() {
    }

    /** The exit code of a finished run. */
    public static int of(io.leadsync.store.RunRecord run) {
        return switch (run.status()) {
            case SUCCEEDED -> run.statsJson() != null && run.statsJson().contains("\"status\":\"GAP\"") ? PARTIAL : OK;
            case PARTIAL -> PARTIAL;
            case SKIPPED -> BUSY;
            case PAUSED -> PAUSED;
            default -> FAILED;
        };
    }
}
