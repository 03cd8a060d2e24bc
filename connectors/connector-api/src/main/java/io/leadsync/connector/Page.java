package io.leadsync.connector;

import java.util.List;
import java.util.Objects;

/**
 * One page of a read: the records it holds, the records that could not be mapped (each with its reason), and the
 * cursor that resumes the read after this page.
 *
 * @param items    records mapped to canonical values, in the order the vendor returned them
 * @param rejected raw records that could not be mapped; the pipeline sends them to the dead-letter store
 * @param next     the cursor to save once this page is stored; never null
 */
public record Page<T>(List<T> items, List<RejectedRecord> rejected, Cursor next) {
    public Page {
        items = List.copyOf(items);
        rejected = List.copyOf(rejected);
        Objects.requireNonNull(next, "next");
    }

    public Page(List<T> items, Cursor next) {
        this(items, List.of(), next);
    }

    public int size() {
        return items.size() + rejected.size();
    }
}
