package io.leadsync.routes.internal;

/**
 * A run stopped at a safe point because it was asked to (the process is shutting down, or the run lost its lease):
 * what it stored stays stored with its cursors, and the run ends ABORTED.
 */
public final class RunStoppedException extends RuntimeException {
    public RunStoppedException(long runId, String reason) {
        super("run " + runId + " stopped: " + reason);
    }
}
