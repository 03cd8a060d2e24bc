package io.leadsync.connector;

import java.util.stream.Stream;

/**
 * A source of persons and activities in one configured system (a HubSpot portal, a Salesforce org...).
 *
 * <p>Called by the pipeline's pull stage, one stream at a time, on the job's thread; an instance is never used by
 * two threads at once. Implementations page lazily: {@link #read} fetches the next page only when the stream
 * is advanced, and never holds a whole stream in memory. Paging, retries on rate limits and re-login on expired
 * sessions happen inside.
 *
 * <p>Incremental reads must not lose a record modified while a read runs: a connector starts a read from a
 * position somewhat before the saved cursor (an overlap) and the pipeline recognises records it has already
 * stored by id and modification time.
 */
public interface SourceConnector extends AutoCloseable {

    /** Type, name, streams, cursor version and capabilities. Cheap; never calls the vendor. */
    ConnectorDescriptor descriptor();

    /** A cheap probe of credentials and reachability; never throws, says what is wrong in its message. */
    CheckResult check();

    /**
     * Reads a stream from a saved cursor.
     *
     * @param stream one of {@link ConnectorDescriptor#streams()}
     * @param from   the cursor saved after the last stored page, or null to read the stream from its beginning
     * @return the pages in order, each with the cursor that resumes after it; the caller closes the stream
     * @throws ConnectorException (unchecked) when the vendor refuses the read after the connector's own retries
     */
    Stream<Page<SourceRecord>> read(StreamId stream, Cursor from);

    /**
     * Whether a stream may carry person records (or their deletions). A run pulls such streams one at a time, in the
     * job's order, so that identity resolution meets persons in the same order on every run; streams that carry only
     * activities are pulled beside those of other sources once every person stream is stored. The default, true, is
     * always safe: a connector that cannot tell leaves it.
     *
     * @param stream one of {@link ConnectorDescriptor#streams()}
     */
    default boolean carriesPersons(String stream) {
        return true;
    }

    /**
     * Converts a cursor saved by another version of this connector, or refuses to.
     * The default accepts only the current version, so an upgrade never silently re-pulls or skips.
     *
     * @throws CursorVersionException when the cursor cannot be used as it is
     */
    default Cursor upgrade(Cursor stored) {
        int current = descriptor().cursorVersion();
        if (stored.version() != current) {
            throw new CursorVersionException(stored, current);
        }
        return stored;
    }

    /**
     * The vendor's own count of a stream's records modified between two of this connector's cursors, if the vendor
     * can count them (HubSpot's search {@code total}, a SOQL {@code COUNT()}, the lines of a Mixpanel export). The
     * pipeline compares it with what the store holds for the same window after each read (completeness), and uses
     * a count since the saved cursor to forecast the next read's calls. Costs the vendor calls it needs (usually
     * one); called on the job's thread, between reads.
     *
     * @param from the cursor the window starts at, or null for the stream's beginning
     * @param to   the cursor the window ends at (the one saved after a read), or null for now
     * @return the count with the window it covers, or empty when the vendor cannot count this stream (or only at a
     *         cost out of proportion, as a backlog count of an export would be)
     * @throws ConnectorException when the vendor refuses the count
     */
    default java.util.Optional<VendorCount> count(StreamId stream, Cursor from, Cursor to) {
        return java.util.Optional.empty();
    }

    /**
     * Reads the named records of a stream now, as they are at the vendor: what the pipeline does with a
     * {@link Change} that names its record only. Records the vendor no longer has come back deleted (or are left
     * out, when the vendor cannot tell). Batches the ids at the vendor's largest batch read.
     *
     * @param stream one of {@link ConnectorDescriptor#streams()}
     * @param ids    ids in this source (at most a few thousand at a time)
     * @return the records, mapped as {@link #read} maps them; records that could not be mapped are rejected
     * @throws UnsupportedOperationException when the connector cannot read records by id (the default)
     * @throws ConnectorException            when the vendor refuses the read after the connector's own retries
     */
    default Fetched fetch(StreamId stream, java.util.Collection<String> ids) {
        throw new UnsupportedOperationException(descriptor().name() + " cannot read " + stream + " records by id");
    }

    /**
     * The live feed of this source's changes, if the connector subscribes to one itself (Salesforce Change Data
     * Capture) and it is switched on in the connector's settings; empty by default.
     */
    default java.util.Optional<ChangeFeed> changeFeed() {
        return java.util.Optional.empty();
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
