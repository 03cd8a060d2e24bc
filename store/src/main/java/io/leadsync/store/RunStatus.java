package io.leadsync.store;

/** The state of a sync run. */
public enum RunStatus {
    /** Under way. */
    RUNNING,
    /** Every stage finished and every record was handled. */
    SUCCEEDED,
    /** Every stage finished, but some records went to the dead-letter store. */
    PARTIAL,
    /** A stage failed; saved cursors keep what was stored, the next run resumes from them. */
    FAILED,
    /** A vendor's API budget is spent; the job resumes on its next run. */
    PAUSED,
    /** Not started because another run of the same job was under way. */
    SKIPPED,
    /**
     * Ended without finishing: the process was asked to stop (its graceful shutdown records it), or it died and a
     * process that found the run's lease expired, or its owner gone from this host, closed it. The next run resumes
     * from the saved cursors and reconciles pending tasks.
     */
    ABORTED;

    public boolean finished() {
        return this != RUNNING;
    }
}
