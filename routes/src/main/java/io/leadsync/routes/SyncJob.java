package io.leadsync.routes;

import io.leadsync.connector.FollowUpTask;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A configured sync: pull from its sources, resolve and score changed profiles, push to its sinks.
 *
 * @param name     the job name ({@code sync.jobs.<name>}); used in route ids and the API
 * @param schedule a Quartz cron expression, or null to run only on demand
 * @param sources  read in this order
 * @param sinks    written in this order
 * @param tasks    how follow-up tasks are created
 * @param completeness whether each read is checked against the vendor's own count, and a gap re-read
 */
public record SyncJob(String name, String schedule, List<SourceConnector> sources, List<SinkConnector> sinks,
                      TaskPolicy tasks, Completeness completeness) {
    public SyncJob {
        Objects.requireNonNull(name, "name");
        sources = List.copyOf(sources);
        sinks = List.copyOf(sinks);
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(completeness, "completeness");
    }

    /** A job with the default completeness check (counted, gaps flagged, not re-read). */
    public SyncJob(String name, String schedule, List<SourceConnector> sources, List<SinkConnector> sinks,
                   TaskPolicy tasks) {
        this(name, schedule, sources, sinks, tasks, Completeness.defaults());
    }

    /**
     * @param check      whether, before and after each read, the vendor is asked for its own count of the stream
     *                   (one call each where the vendor can count): the count before gives a read's progress as
     *                   x of y, the count after is compared with what the store holds for the window read
     * @param rereadGaps whether a stream whose window shows a gap (the vendor counts more than the store holds) is
     *                   read again from the same cursor, once, in the same run
     */
    public record Completeness(boolean check, boolean rereadGaps) {
        public static Completeness defaults() {
            return new Completeness(true, false);
        }
    }

    /**
     * @param dueIn    how long after the crossing a task is due
     * @param priority the task priority
     */
    public record TaskPolicy(Duration dueIn, FollowUpTask.Priority priority) {
        public static TaskPolicy defaults() {
            return new TaskPolicy(Duration.ofDays(1), FollowUpTask.Priority.HIGH);
        }
    }
}
