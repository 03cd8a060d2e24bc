package io.leadsync.store;

import java.time.Instant;

/**
 * One sync run as stored.
 *
 * @param trigger   what started it: {@code schedule}, {@code api}, {@code demo}...
 * @param statsJson counts and timings per stage, as JSON written by the pipeline
 */
public record RunRecord(long runId, String job, String trigger, RunStatus status, Instant startedAt,
                        Instant finishedAt, String message, String statsJson) {
}
