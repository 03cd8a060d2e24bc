package io.leadsync.connector;

import java.util.List;

/**
 * A target for scores and follow-up tasks: the same CRM records the source read, written back.
 *
 * <p>Called by the pipeline's push stage on the job's thread. One bad record never fails the batch: every input
 * gets its own {@link RecordResult}, in input order. Inputs above {@link #maxBatchSize()} are split into
 * vendor-sized calls, never sent as one.
 */
public interface SinkConnector extends AutoCloseable {

    ConnectorDescriptor descriptor();

    CheckResult check();

    /** The vendor's limit of records per write call: 100 for HubSpot, 200 for Salesforce. */
    int maxBatchSize();

    /**
     * Makes sure the fields this sink writes exist (e.g. creates custom properties). Idempotent; called once
     * at start of a job before the first write.
     */
    default void prepare() {
    }

    /**
     * Writes field values to records of this sink.
     *
     * @param changes canonical field values per target record ({@link FieldChange}); targets belong to this sink
     * @return one result per change, in order
     */
    List<RecordResult> write(List<FieldChange> changes);

    /** Whether {@link #createTasks} is supported. */
    default boolean supportsTasks() {
        return false;
    }

    /**
     * Creates follow-up tasks linked to the person records they name, in as few calls as the vendor allows; results
     * carry the vendor's task id, one per task in input order. A task the vendor refuses gets a failed result (the
     * others are created); a call that fails as a whole throws, and the pipeline's task outbox finds out later
     * ({@link #findTasks}) which tasks it created.
     */
    default List<RecordResult> createTasks(List<FollowUpTask> tasks) {
        throw new UnsupportedOperationException(descriptor().type() + " cannot create tasks");
    }

    /**
     * Finds tasks an earlier attempt may have created (the call broke off, the process died before recording the
     * answer): each task's {@link FollowUpTask#key} is looked for in the tasks linked to its person, deleted ones
     * included. The pipeline calls it before creating again, so that no task is created twice.
     *
     * @return task id by key, for the tasks found
     * @throws UnsupportedOperationException when this sink cannot look tasks up ({@link #canFindTasks()} false)
     */
    default java.util.Map<String, String> findTasks(List<FollowUpTask> tasks) {
        throw new UnsupportedOperationException(descriptor().type() + " cannot look tasks up");
    }

    /** Whether {@link #findTasks} is supported. */
    default boolean canFindTasks() {
        return false;
    }

    /**
     * Requests this instance has sent to the vendor so far, retries included, if the connector counts them
     * (the runs API reports API calls per run from it).
     */
    default java.util.OptionalLong requestCount() {
        return java.util.OptionalLong.empty();
    }

    /**
     * What this instance's calls to its vendor met since it was built (attempts, retries, rate-limit answers, server
     * errors, unreadable bodies, the circuit's state), if the connector counts them; a source and a sink of one
     * instance share one count. The pipeline stores what changed over a run in the run's stats.
     */
    default java.util.Optional<CallStats> callStats() {
        return java.util.Optional.empty();
    }

    @Override
    default void close() {
    }
}
