package io.leadsync.store;

import java.time.Instant;

/**
 * One sync run as stored.
 *
 * @param trigger   what started it: {@code schedule}, {@code api}, {@code demo}...
 * @param statsJson counts and timings per stage, as JSON written by the pipeline
 * @param owner     the lease owner that ran it ({@code <node id>/<uuid>}: which instance of a cluster), or null for
 *                  a run that never started
 */
public record RunRecord(long runId, String job, String trigger, RunStatus status, Instant startedAt,
                        Instant finishedAt, String message, String statsJson, String owner) {
    public RunRecord(long runId, String job, String trigger, RunStatus status, Instant startedAt, Instant finishedAt,
                     String message, String statsJson) {
        this(runId, job, trigger, status, startedAt, finishedAt, message, statsJson, null);
    }

    /** The node id of the instance that ran it (the lease owner before its '/'), or null. */
    public String node() {
        return owner == null ? null : owner.contains("/") ? owner.substring(0, owner.lastIndexOf('/')) : owner;
    }
}
