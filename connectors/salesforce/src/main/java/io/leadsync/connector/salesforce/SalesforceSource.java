package io.leadsync.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.Page;
import io.leadsync.connector.PageIterator;
import io.leadsync.connector.RejectedRecord;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.salesforce.internal.BulkQuery;
import io.leadsync.connector.salesforce.internal.SalesforceApi;
import io.leadsync.connector.salesforce.internal.SalesforceRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads Leads, Contacts (with their Account's firmographics), completed Tasks, Events, CampaignMembers and closed
 * Opportunities from a Salesforce org, incrementally, through camel-salesforce.
 *
 * <p>Each stream is one SOQL query ordered by {@code SystemModstamp, Id}, paged by Salesforce's
 * {@code nextRecordsUrl}. The cursor saved after a page is the position of its last record, and the next read
 * selects {@code SystemModstamp > t OR (SystemModstamp = t AND Id > id)}: records sharing a timestamp across a page
 * boundary are neither skipped nor read twice. Incremental reads use {@code queryAll}, so deleted and merged
 * records (and converted Leads) come back as deletions and leave their profiles, and deleted activities stop
 * counting. A first read
 * of more records than {@code read.bulk.threshold} runs as a Bulk API 2.0 query job instead, paged by its locator.
 *
 * <p>Cursor (format version 1): {@code {"modstamp":"<instant>","id":"<record id>"}}, during a bulk load also
 * {@code "bulkJob"} and {@code "locator"}; {@code {}} before anything was read.
 */
public final class SalesforceSource implements SourceConnector {
    public static final int CURSOR_VERSION = 1;
    /** Ids a read by id puts in one query. */
    static final int FETCH_CHUNK = 300;
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SalesforceSettings settings;
    private final SalesforceSettings.Read read;
    private final SalesforceApi api;
    private final SalesforceRecords records;
    private io.leadsync.connector.salesforce.internal.PubSubChangeFeed feed;

    public SalesforceSource(SalesforceSettings settings, SalesforceApi api) {
        this.settings = settings;
        this.read = settings.read();
        this.api = api;
        this.records = new SalesforceRecords(settings.name(), read);
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(SalesforceSettings.TYPE, settings.name(), read.streams(), CURSOR_VERSION,
                Set.of(ConnectorDescriptor.Capability.READ));
    }

    /** Leads and contacts carry persons; tasks, events and campaign members are activities. */
    @Override
    public boolean carriesPersons(String stream) {
        return SalesforceSettings.LEADS.equals(stream) || SalesforceSettings.CONTACTS.equals(stream);
    }

    @Override
    public CheckResult check() {
        return check(api, settings);
    }

    static CheckResult check(SalesforceApi api, SalesforceSettings settings) {
        try {
            String accepted = "Salesforce org of " + settings.name() + " accepts its credentials ("
                    + settings.auth().flow().configName() + " flow); ";
            try {
                JsonNode daily = api.get(api.dataPath("limits"), Map.of()).json().path("DailyApiRequests");
                return CheckResult.success(accepted + daily.path("Remaining").asLong() + " of "
                        + daily.path("Max").asLong() + " daily API requests left");
            } catch (io.leadsync.connector.salesforce.internal.SalesforceCallException e) {
                if (e.status() != 403) {
                    throw e;
                }
                // /limits needs "View Setup and Configuration"; the resource directory needs nothing
                api.get(api.dataPath(""), Map.of());
                return CheckResult.success(accepted + "daily API usage " + api.usage());
            }
        } catch (ConnectorException e) {
            return CheckResult.failure(e.getMessage());
        }
    }

    /**
     * Salesforce's own count of a stream's live records whose {@code SystemModstamp} lies in the window a read between
     * two cursors covers (from the start position less the overlap, as the read starts, to the end position): one
     * {@code SELECT COUNT()} query, answered in {@code totalSize}.
     */
    @Override
    public java.util.Optional<io.leadsync.connector.VendorCount> count(StreamId stream, Cursor from, Cursor to) {
        if (!read.streams().contains(stream.stream())) {
            return java.util.Optional.empty();
        }
        Position start = from == null ? Position.START : Position.parse(upgrade(from));
        Instant windowStart = start.modstamp() == null ? null : start.modstamp().minus(read.overlap())
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Position end = to == null ? Position.START : Position.parse(upgrade(to));
        Instant windowEnd = end.modstamp() != null ? end.modstamp() : java.time.Instant.now();
        // SOQL datetimes have milliseconds: "before the next millisecond" keeps a finer end inside the window
        String condition = (windowStart == null ? "" : "SystemModstamp >= " + SalesforceRecords.literal(windowStart)
                + " AND ") + "SystemModstamp < " + SalesforceRecords.literal(windowEnd
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plusMillis(1));
        SalesforceRecords.StreamQuery query = records.query(stream.stream());
        JsonNode result = api.query(query.countSoql(condition), false);
        if (!result.path("totalSize").canConvertToLong()) {
            throw new ConnectorException("Salesforce answered a COUNT() of " + stream + " without totalSize");
        }
        long count = result.path("totalSize").asLong();
        // a REST query answers up to 2,000 records a call; a first load past the bulk threshold is a bulk job
        long calls = io.leadsync.connector.VendorCount.pages(count, 2000, 1);
        Instant lastCounted = windowEnd.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plusMillis(1).minusNanos(1);
        return java.util.Optional.of(new io.leadsync.connector.VendorCount(count, windowStart, lastCounted, calls,
                "SOQL COUNT()"));
    }

    @Override
    public java.util.Optional<io.leadsync.connector.CallStats> callStats() {
        return java.util.Optional.of(api.guardInUse().stats());
    }

    @Override
    public OptionalLong requestCount() {
        return OptionalLong.of(api.requestCount());
    }

    /**
     * The org's Change Data Capture subscription when {@code cdc.enabled} is on (see
     * {@link io.leadsync.connector.salesforce.internal.PubSubChangeFeed}); one feed per source.
     */
    @Override
    public synchronized java.util.Optional<io.leadsync.connector.ChangeFeed> changeFeed() {
        if (read.cdc() == null) {
            return java.util.Optional.empty();
        }
        if (feed == null) {
            feed = new io.leadsync.connector.salesforce.internal.PubSubChangeFeed(settings.name(), api, read.cdc(),
                    read.streams());
        }
        return java.util.Optional.of(feed);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (feed != null) {
                feed.close();
            }
        }
        api.close();
    }

    /** Where a read stands: the last record's position, and a bulk job being paged through. */
    record Position(Instant modstamp, String id, String bulkJob, String locator) {
        static final Position START = new Position(null, null, null, null);

        static Position parse(Cursor cursor) {
            try {
                JsonNode node = JSON.readTree(cursor.position());
                Instant modstamp = node.hasNonNull("modstamp") ? Instant.parse(node.get("modstamp").asText()) : null;
                String id = node.path("id").asText(null);
                if ((modstamp == null) != (id == null)) {
                    throw new IllegalArgumentException("modstamp and id go together");
                }
                return new Position(modstamp, id, node.path("bulkJob").asText(null), node.path("locator").asText(null));
            } catch (Exception e) {
                throw new ConnectorException("the saved cursor of " + cursor.stream() + " is not readable ('"
                        + cursor.position() + "'); reset it to re-read the stream");
            }
        }

        Position after(Instant stamp, String recordId) {
            if (stamp == null || recordId == null) {
                return this;
            }
            if (modstamp == null || stamp.isAfter(modstamp) || (stamp.equals(modstamp) && recordId.compareTo(id) > 0)) {
                return new Position(stamp, recordId, bulkJob, locator);
            }
            return this;
        }

        Position inBulk(String job, String nextLocator) {
            return new Position(modstamp, id, job, nextLocator);
        }

        String text() {
            ObjectNode node = JSON.createObjectNode();
            if (modstamp != null) {
                node.put("modstamp", modstamp.toString()).put("id", id);
            }
            if (bulkJob != null) {
                node.put("bulkJob", bulkJob);
                if (locator != null) {
                    node.put("locator", locator);
                }
            }
            return node.toString();
        }
    }

    @Override
    public Stream<Page<SourceRecord>> read(StreamId stream, Cursor from) {
        requireStream(stream);
        Position start = from == null ? Position.START : Position.parse(upgrade(from));
        SalesforceRecords.StreamQuery query = records.query(stream.stream());
        if (start.bulkJob() != null) {
            return new BulkPages(stream, query, start, start.bulkJob()).stream();
        }
        return new QueryPages(stream, query, start).stream();
    }

    private void requireStream(StreamId stream) {
        if (!stream.source().equals(settings.name()) || !read.streams().contains(stream.stream())) {
            throw new IllegalArgumentException(settings.name() + " does not read " + stream
                    + "; its streams are " + read.streams());
        }
    }

    /**
     * Reads records by id with the stream's own query (its fields, its filter, its mapping), {@value #FETCH_CHUNK}
     * ids a {@code queryAll} call ({@code WHERE Id IN (...)}, which keeps the URL near 10,000 characters, well within
     * Salesforce's limit; a sObject Collections retrieve takes only 200 ids and cannot follow {@code Account.Name}).
     * Deleted and merged records come back as deletions, as in an incremental read; an id the query does not return
     * (purged from the recycle bin, or no longer matching the stream's filter, such as a task reopened) is a deletion
     * too, as of now: the record has left the stream.
     */
    @Override
    public io.leadsync.connector.Fetched fetch(StreamId stream, java.util.Collection<String> ids) {
        requireStream(stream);
        SalesforceRecords.StreamQuery query = records.query(stream.stream());
        List<String> wanted = List.copyOf(new java.util.LinkedHashSet<>(ids));
        List<SourceRecord> items = new ArrayList<>();
        List<RejectedRecord> rejected = new ArrayList<>();
        Set<String> found = new java.util.HashSet<>();
        for (int from = 0; from < wanted.size(); from += FETCH_CHUNK) {
            List<String> chunk = wanted.subList(from, Math.min(wanted.size(), from + FETCH_CHUNK));
            String condition = "Id IN (" + String.join(", ", chunk.stream().map(SalesforceRecords::literal).toList())
                    + ")";
            JsonNode result = api.query(query.soql(condition, false), true);
            while (true) {
                for (JsonNode record : result.path("records")) {
                    Map<String, String> row = SalesforceRecords.flatten(record);
                    found.add(id15(row.get("Id")));
                    Object mapped = records.map(stream, row);
                    if (mapped instanceof SourceRecord item) {
                        items.add(item);
                    } else {
                        rejected.add((RejectedRecord) mapped);
                    }
                }
                String next = result.path("done").asBoolean(true) ? null : result.path("nextRecordsUrl").asText(null);
                if (next == null) {
                    break;
                }
                result = api.queryMore(next);
            }
        }
        Instant now = Instant.now();
        for (String id : wanted) {
            if (!found.contains(id15(id))) {
                items.add(SourceRecord.deleted(stream, new io.leadsync.connector.ExternalId(settings.name(), id), now,
                        JSON.createObjectNode().put("Id", id).put("found", false).toString()));
            }
        }
        return new io.leadsync.connector.Fetched(items, rejected);
    }

    /** Ids compare by their first 15 characters (the 18-character form adds a case-safe suffix). */
    private static String id15(String id) {
        return id == null ? "" : id.length() > 15 ? id.substring(0, 15) : id;
    }

    /** The SOQL condition that starts a read after a position (or the configured overlap before it). */
    private String after(Position position) {
        if (position.modstamp() == null) {
            return null;
        }
        if (!read.overlap().isZero()) {
            return "SystemModstamp >= " + SalesforceRecords.literal(position.modstamp().minus(read.overlap()));
        }
        String stamp = SalesforceRecords.literal(position.modstamp());
        return "(SystemModstamp > " + stamp + " OR (SystemModstamp = " + stamp + " AND Id > "
                + SalesforceRecords.literal(position.id()) + "))";
    }

    /** Maps a page of flat records, moving the position past each (mapped or not). */
    private Page<SourceRecord> page(StreamId stream, List<Map<String, String>> rows, Position[] position,
                                    String bulkJob, String locator) {
        List<SourceRecord> items = new ArrayList<>();
        List<RejectedRecord> rejected = new ArrayList<>();
        for (Map<String, String> row : rows) {
            Object mapped = records.map(stream, row);
            if (mapped instanceof SourceRecord record) {
                items.add(record);
            } else {
                rejected.add((RejectedRecord) mapped);
            }
            position[0] = position[0].after(SalesforceRecords.modstamp(row), row.get("Id"));
        }
        Position next = bulkJob == null ? position[0].inBulk(null, null) : position[0].inBulk(bulkJob, locator);
        return new Page<>(items, rejected, new Cursor(stream, CURSOR_VERSION, next.text()));
    }

    /** A REST query and its {@code nextRecordsUrl} pages. */
    private final class QueryPages extends PageIterator<SourceRecord> {
        private final StreamId stream;
        private final SalesforceRecords.StreamQuery query;
        private final Position[] position;
        private final boolean first;
        private String nextRecordsUrl;
        private boolean started;
        private BulkPages bulk;

        QueryPages(StreamId stream, SalesforceRecords.StreamQuery query, Position start) {
            this.stream = stream;
            this.query = query;
            this.position = new Position[]{start};
            this.first = start.modstamp() == null;
        }

        @Override
        protected Page<SourceRecord> fetch() {
            if (bulk != null) {
                return bulk.hasNext() ? bulk.next() : null;
            }
            JsonNode result;
            if (!started) {
                started = true;
                // an incremental read includes deleted (and merged) records, to unlink them
                boolean all = !first;
                result = api.query(query.soql(after(position[0]), true), all);
                int total = result.path("totalSize").asInt();
                if (first && query.person() && read.bulkThreshold() > 0 && total > read.bulkThreshold()) {
                    LOG.info("{}: first load of {} {} records runs as a Bulk API 2.0 query job", settings.name(),
                            total, query.object());
                    bulk = new BulkPages(stream, query, position[0], null);
                    return bulk.hasNext() ? bulk.next() : null;
                }
            } else if (nextRecordsUrl != null) {
                result = api.queryMore(nextRecordsUrl);
            } else {
                return null;
            }
            nextRecordsUrl = result.path("done").asBoolean(true) ? null : result.path("nextRecordsUrl").asText(null);
            List<Map<String, String>> rows = new ArrayList<>();
            for (JsonNode record : result.path("records")) {
                rows.add(SalesforceRecords.flatten(record));
            }
            if (rows.isEmpty() && nextRecordsUrl == null) {
                return null;
            }
            return page(stream, rows, position, null, null);
        }
    }

    /** A Bulk API 2.0 query job: created (or resumed from the cursor), polled to completion, paged by locator. */
    private final class BulkPages extends PageIterator<SourceRecord> {
        private final StreamId stream;
        private final SalesforceRecords.StreamQuery query;
        private final Position[] position;
        private String job;
        private String locator;
        private boolean done;

        BulkPages(StreamId stream, SalesforceRecords.StreamQuery query, Position start, String resumedJob) {
            this.stream = stream;
            this.query = query;
            this.position = new Position[]{start};
            this.job = resumedJob;
            this.locator = start.locator();
        }

        @Override
        protected Page<SourceRecord> fetch() {
            if (done) {
                return null;
            }
            BulkQuery bulk = new BulkQuery(api, settings.name(), read.bulkPollInterval(), read.bulkTimeout());
            if (job == null) {
                job = bulk.start(query.soql(null, false));
            }
            bulk.awaitCompletion(job);
            BulkQuery.Results results = bulk.results(job, locator, read.bulkPageSize());
            locator = results.nextLocator();
            done = locator == null;
            // the last page's cursor is a plain position: the next read is incremental from the newest record
            return page(stream, results.rows(), position, done ? null : job, locator);
        }
    }
}
