package io.leadsync.routes;

import io.leadsync.connector.Change;

import java.util.List;

/**
 * Where change events enter the pipeline: a HubSpot webhook batch, a Segment-compatible {@code batch} call, a
 * Salesforce change-event batch. {@link #accept} stores the changes durably and returns at once (the HTTP
 * endpoints answer after it); a short debounce window later the pipeline stores, resolves, scores and pushes just
 * the records they name, through the same stages and ledgers as a scheduled run.
 */
public interface ChangeIntake {

    /**
     * Stores the changes for the pipeline; an event already accepted (same stream and event id) is counted and
     * ignored.
     *
     * @return how many were new and how many were repeats
     * @throws IllegalArgumentException when a change names a source no job reads, or a stream the source lacks;
     *                                  nothing of the batch is stored then
     * @throws RuntimeException         when the store cannot take them (the caller answers with a retryable error,
     *                                  so the sender delivers them again)
     */
    Receipt accept(List<Change> changes);

    /** What {@link #accept} did with a batch. */
    record Receipt(int accepted, int duplicates) {
    }
}
