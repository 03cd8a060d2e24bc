package io.leadsync.connector;

/**
 * A live feed of a source's changes that the connector subscribes to itself (Salesforce Change Data Capture
 * through the Pub/Sub API). Sources that are pushed to instead (HubSpot webhooks, a Segment-compatible intake)
 * hand their changes to the pipeline through the application's endpoints and need no feed.
 *
 * <p>The pipeline opens one feed per source that offers it (see {@link SourceConnector#changeFeed()}) and keeps
 * the position of the last change it has durably accepted, like a stream's cursor: after a restart the feed
 * resumes from it, so nothing is lost and nothing is delivered twice to the stages.
 */
public interface ChangeFeed extends AutoCloseable {

    /**
     * Starts delivering changes on the feed's own threads and returns at once.
     *
     * @param resumeAfter the position saved after the last accepted batch (opaque to the pipeline), or null to
     *                    start from now
     * @param listener    receives each batch with the position that follows it
     */
    void start(String resumeAfter, Listener listener);

    /** Stops delivering; changes not yet accepted are delivered again from the saved position on the next start. */
    @Override
    void close();

    /** Receives a feed's changes. */
    interface Listener {
        /**
         * A batch of changes, in the vendor's order, and the position that resumes after the last of them. The
         * implementation stores them durably (with the position) before it returns, so a batch accepted is never
         * lost; it should not take longer than that.
         */
        void accept(java.util.List<Change> changes, String position);

        /** The feed failed and stopped (after its own retries); the scheduled sync still covers its changes. */
        void failed(Throwable cause);
    }
}
