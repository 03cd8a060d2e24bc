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
    /** Left running by a process that stopped; found and closed at the next start. */
    ABANDONED;

    public boolean finished() {
        return this != RUNNING;
    }
}
