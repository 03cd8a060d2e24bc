package io.leadsync.connector;

import java.util.List;

/**
 * Records read by id ({@link SourceConnector#fetch}): like a {@link Page}, without a cursor, since a read by id
 * never moves a stream's position.
 *
 * @param items    records mapped to canonical values
 * @param rejected raw records that could not be mapped, each with its reason; the pipeline dead-letters them
 */
public record Fetched(List<SourceRecord> items, List<RejectedRecord> rejected) {
    public Fetched {
        items = List.copyOf(items);
        rejected = List.copyOf(rejected);
    }

    public Fetched(List<SourceRecord> items) {
        this(items, List.of());
    }
}
