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
 */
public record SyncJob(String name, String schedule, List<SourceConnector> sources, List<SinkConnector> sinks,
                      TaskPolicy tasks) {
    public SyncJob {
        Objects.requireNonNull(name, "name");
        sources = List.copyOf(sources);
        sinks = List.copyOf(sinks);
        Objects.requireNonNull(tasks, "tasks");
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
