package io.leadsync.routes;

import io.leadsync.store.RunRecord;

/**
 * Told what runs do, for metrics: the host registers one with {@link SyncEngine.Builder#listener}. Called on the run's
 * thread; must be quick and must not throw (a failure is logged and ignored).
 */
public interface SyncListener {
    /** A run saved its counts so far (after each page, the scoring, each push). */
    default void progress(long runId, String job, RunStats stats) {
    }

    /** A run ended and was recorded; {@code stats} are its final counts. */
    default void finished(RunRecord run, RunStats stats) {
    }

    SyncListener NONE = new SyncListener() {
    };
}
