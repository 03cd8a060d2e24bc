package io.leadsync.connector;

import java.time.Instant;
import java.util.Objects;

/**
 * A vendor's own count of a stream's records in a window of modification times, as {@link
 * SourceConnector#count} answers it: the other side of a completeness check (what the store holds for the same
 * window) and the basis of a forecast of the calls a read will take.
 *
 * @param records   how many records the vendor says were modified in the window (live ones: deleted records are
 *                  not counted)
 * @param skipped   of those, how many the connector leaves out by design, so the store never holds them (Mixpanel
 *                  events the configuration maps to no activity type, lines repeating an event already read); 0
 *                  where the vendor counts only what is stored
 * @param from      the window's start (inclusive), or null for the stream's beginning
 * @param to        the window's end (inclusive)
 * @param readCalls the calls a read of these records takes (pages at the connector's page size, plus the calls each
 *                  page needs besides)
 * @param method    how the vendor counted, for an operator: {@code HubSpot search total}, {@code SOQL COUNT()}...
 */
public record VendorCount(long records, long skipped, Instant from, Instant to, long readCalls, String method) {
    public VendorCount {
        if (records < 0 || readCalls < 0 || skipped < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (skipped > records) {
            throw new IllegalArgumentException("skipped (" + skipped + ") must not exceed records (" + records + ")");
        }
        Objects.requireNonNull(to, "to");
        method = Values.requireText(method, "method");
    }

    /** A count of which the connector skips nothing. */
    public VendorCount(long records, Instant from, Instant to, long readCalls, String method) {
        this(records, 0, from, to, readCalls, method);
    }

    /** The calls to read {@code records} records at {@code pageSize} a page, {@code perPage} calls a page. */
    public static long pages(long records, int pageSize, int perPage) {
        return records == 0 ? 0 : ((records + pageSize - 1) / pageSize) * perPage;
    }
}
