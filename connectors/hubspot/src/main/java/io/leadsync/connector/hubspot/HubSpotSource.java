package io.leadsync.connector.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.AuthenticationException;
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
import io.leadsync.connector.hubspot.internal.ContactMapper;
import io.leadsync.connector.hubspot.internal.EngagementMapper;
import io.leadsync.connector.hubspot.internal.FormSubmissionPages;
import io.leadsync.connector.hubspot.internal.FormTypes;
import io.leadsync.connector.http.ApiException;
import io.leadsync.connector.http.ApiClient;
import io.leadsync.connector.http.ApiResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads contacts and engagements (emails, meetings, calls), marketing email events and form submissions from a
 * HubSpot portal, incrementally.
 *
 * <p>A first read (no saved cursor) of contacts and engagements goes through the list endpoint, engagements with
 * their contacts inline: no result cap, and no call against the search limit. After that each stream is read through
 * the CRM search API, sorted by modification time ascending, from the saved cursor minus the configured overlap (records modified during the previous read, or indexed late by HubSpot's
 * eventually consistent search, are caught; the pipeline recognises the ones already stored). Search answers at
 * most 10,000 results per query, so before reaching that cap the read restarts its query from the last
 * modification time it has seen. Engagements are linked to their contacts through the v4 associations API.
 *
 * <p>Cursor (format version 1): {@code {"modifiedSince":"<ISO instant>"}}, the latest modification time read;
 * for form submissions the latest submission time per form (see {@link FormSubmissionPages}).
 */
public final class HubSpotSource implements SourceConnector {
    public static final int CURSOR_VERSION = 1;
    /** Ids per {@code batch/read} call, HubSpot's limit. */
    static final int BATCH_READ_LIMIT = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSpotSettings settings;
    private final HubSpotSettings.Read read;
    private final ApiClient client;
    private final ContactMapper contacts;
    private final EngagementMapper engagements;
    private final List<String> contactProperties;
    private final java.time.Clock clock;

    public HubSpotSource(HubSpotSettings settings, ApiClient client) {
        this(settings, client, java.time.Clock.systemUTC());
    }

    public HubSpotSource(HubSpotSettings settings, ApiClient client, java.time.Clock clock) {
        this.clock = clock;
        this.settings = settings;
        this.read = settings.read();
        this.client = client;
        this.contacts = new ContactMapper(settings.name(), read.linkedIdProperties());
        this.engagements = new EngagementMapper(settings.name());
        Set<String> properties = new LinkedHashSet<>(ContactMapper.DEFAULT_PROPERTIES);
        properties.addAll(read.extraProperties());
        properties.addAll(read.linkedIdProperties().keySet());
        this.contactProperties = List.copyOf(properties);
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(HubSpotSettings.TYPE, settings.name(), read.streams(), CURSOR_VERSION,
                Set.of(ConnectorDescriptor.Capability.READ));
    }

    /** Only {@code contacts} carries persons; engagements, email events and form submissions are activities. */
    @Override
    public boolean carriesPersons(String stream) {
        return "contacts".equals(stream);
    }

    @Override
    public CheckResult check() {
        return check(client, settings.name());
    }

    static CheckResult check(ApiClient client, String name) {
        try {
            ApiResponse response = client.get("/crm/v3/objects/contacts", Map.of("limit", "1"));
            if (response.isSuccess()) {
                return CheckResult.success("HubSpot at " + client.baseUrl() + " accepts the token of " + name);
            }
            return CheckResult.failure("HubSpot at " + client.baseUrl() + " answered " + response.status() + " "
                    + response.category() + ": " + response.message());
        } catch (AuthenticationException e) {
            return CheckResult.failure(e.getMessage());
        } catch (ConnectorException e) {
            return CheckResult.failure(e.getMessage());
        }
    }

    /** Parses a cursor position; the modification time it holds. */
    static Instant modifiedSince(Cursor cursor) {
        try {
            JsonNode node = JSON.readTree(cursor.position());
            if (!node.hasNonNull("modifiedSince")) {
                return null;
            }
            return Instant.parse(node.path("modifiedSince").asText());
        } catch (Exception e) {
            throw new ConnectorException("the saved cursor of " + cursor.stream() + " is not readable ('"
                    + cursor.position() + "'); reset it to re-read the stream");
        }
    }

    static String position(Instant modifiedSince) {
        return modifiedSince == null ? "{}"
                : JSON.createObjectNode().put("modifiedSince", modifiedSince.toString()).toString();
    }

    @Override
    public Stream<Page<SourceRecord>> read(StreamId stream, Cursor from) {
        if (!stream.source().equals(settings.name()) || !read.streams().contains(stream.stream())) {
            throw new IllegalArgumentException(settings.name() + " does not read " + stream
                    + "; its streams are " + read.streams());
        }
        if (FormSubmissionPages.STREAM.equals(stream.stream())) {
            return new FormSubmissionPages(client, settings.name(), stream, from == null ? null : upgrade(from),
                    new FormTypes(read.formTypes()), read.overlap(), CURSOR_VERSION).stream();
        }
        Instant since = from == null ? null : modifiedSince(upgrade(from));
        Instant start = since == null ? null : since.minus(read.overlap());
        PageIterator<SourceRecord> pages;
        if ("email_events".equals(stream.stream())) {
            pages = new EmailEventPages(stream, start, since);
        } else if (since == null) {
            pages = new ListPages(stream);
        } else {
            pages = new SearchPages(stream, start, since);
        }
        return pages.stream();
    }

    /**
     * Reads contacts by id through {@code POST /crm/v3/objects/contacts/batch/read}, 100 ids a call, with the same
     * properties and mapper as {@link #read}. Ids HubSpot no longer has (archived, merged away, never there: the
     * {@code OBJECT_NOT_FOUND} errors of a 207 answer) come back as deleted records, dated now. Any other failed
     * input fails the call, so the pipeline tries the ids again. Engagement streams cannot be read by id here.
     */
    @Override
    public io.leadsync.connector.Fetched fetch(StreamId stream, java.util.Collection<String> ids) {
        if (!stream.source().equals(settings.name()) || !read.streams().contains(stream.stream())) {
            throw new IllegalArgumentException(settings.name() + " does not read " + stream
                    + "; its streams are " + read.streams());
        }
        if (!"contacts".equals(stream.stream())) {
            throw new UnsupportedOperationException(settings.name() + " cannot read " + stream + " records by id");
        }
        String path = "/crm/v3/objects/contacts/batch/read";
        List<String> all = List.copyOf(new LinkedHashSet<>(ids));
        List<SourceRecord> items = new ArrayList<>();
        List<RejectedRecord> rejected = new ArrayList<>();
        for (int from = 0; from < all.size(); from += BATCH_READ_LIMIT) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + BATCH_READ_LIMIT));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("inputs", chunk.stream().map(id -> Map.of("id", id)).toList());
            body.put("properties", contactProperties);
            ApiResponse response = client.post(path, body);
            String call = "POST " + path + " (" + chunk.size() + " " + stream + " by id)";
            if (response.status() != 200 && response.status() != 207) {
                throw new ApiException("HubSpot", call, response);
            }
            for (JsonNode result : response.list("results", "HubSpot", call)) {
                for (Object record : contacts.mapAll(result, stream)) {
                    if (record instanceof SourceRecord sourceRecord) {
                        items.add(sourceRecord);
                    } else {
                        rejected.add((RejectedRecord) record);
                    }
                }
            }
            Instant now = clock.instant();
            for (JsonNode error : response.body().path("errors")) {
                String category = error.path("category").asText("");
                if (!"OBJECT_NOT_FOUND".equals(category)) {
                    throw new ConnectorException("HubSpot could not read some contacts by id (" + call + "): "
                            + category + " " + error.path("message").asText("") + " " + error.path("context")
                            .path("ids"));
                }
                for (JsonNode id : error.path("context").path("ids")) {
                    items.add(SourceRecord.deleted(stream, new io.leadsync.connector.ExternalId(settings.name(),
                            id.asText()), now, error.toString()));
                }
            }
        }
        return new io.leadsync.connector.Fetched(items, rejected);
    }

    /**
     * HubSpot's own count of a stream's live records modified in the window a read between two cursors covers (from
     * the start cursor's time less the overlap, as the read starts, to the end cursor's time): one search call with
     * {@code limit 1}, whose {@code total} is the count. Email events and form submissions have no count (neither
     * the legacy events API nor the submissions API gives one).
     */
    @Override
    public java.util.Optional<io.leadsync.connector.VendorCount> count(StreamId stream, Cursor from, Cursor to) {
        if ("email_events".equals(stream.stream()) || FormSubmissionPages.STREAM.equals(stream.stream())
                || !read.streams().contains(stream.stream())) {
            return java.util.Optional.empty();
        }
        Instant since = from == null ? null : modifiedSince(upgrade(from));
        Instant start = since == null ? null : since.minus(read.overlap());
        Instant end = to == null ? null : modifiedSince(upgrade(to));
        if (end == null) {
            end = clock.instant();
        }
        boolean isContacts = "contacts".equals(stream.stream());
        String property = isContacts ? "lastmodifieddate" : "hs_lastmodifieddate";
        List<Map<String, String>> filters = new ArrayList<>();
        if (start != null) {
            filters.add(Map.of("propertyName", property, "operator", "GTE", "value",
                    Long.toString(start.toEpochMilli())));
        }
        filters.add(Map.of("propertyName", property, "operator", "LTE", "value", Long.toString(end.toEpochMilli())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("filterGroups", List.of(Map.of("filters", filters)));
        body.put("properties", List.of(property));
        body.put("limit", 1);
        String path = "/crm/v3/objects/" + stream.stream() + "/search";
        ApiResponse response = client.post(path, body);
        if (!response.isSuccess()) {
            throw new ApiException("HubSpot", "POST " + path + " (count of " + stream + ")", response);
        }
        JsonNode total = response.body().path("total");
        if (!total.canConvertToLong()) {
            throw new ConnectorException("HubSpot's search of " + stream + " answered without a total");
        }
        long records = total.asLong();
        // a first read lists 100 a call (engagements with their contacts inline); a search page of engagements
        // costs a second call for their associations
        long calls = start == null ? io.leadsync.connector.VendorCount.pages(records, Math.min(read.pageSize(), 100), 1)
                : io.leadsync.connector.VendorCount.pages(records, read.pageSize(), isContacts ? 1 : 2);
        // HubSpot compares milliseconds: the window the store is counted over is the one HubSpot counted
        return java.util.Optional.of(new io.leadsync.connector.VendorCount(records,
                start == null ? null : Instant.ofEpochMilli(start.toEpochMilli()),
                Instant.ofEpochMilli(end.toEpochMilli()).plusMillis(1).minusNanos(1), calls, "HubSpot search total"));
    }

    /** Pages of one stream, fetched one at a time as the caller advances. */
    private final class SearchPages extends PageIterator<SourceRecord> {
        private final StreamId stream;
        private final boolean isContacts;
        private final String sortProperty;
        private Instant windowStart;
        private Instant latestSeen;
        private Instant latestSeenInWindow;
        private int offset;
        private boolean exhausted;
        private boolean archivedPhase;
        private String archivedAfter;

        SearchPages(StreamId stream, Instant start, Instant since) {
            this.stream = stream;
            this.isContacts = "contacts".equals(stream.stream());
            this.sortProperty = isContacts ? "lastmodifieddate" : "hs_lastmodifieddate";
            this.windowStart = start;
            this.latestSeen = since;
        }

        @Override
        protected Page<SourceRecord> fetch() {
            if (exhausted) {
                return null;
            }
            if (archivedPhase) {
                return fetchArchived();
            }
            if (offset > 0 && offset + read.pageSize() > read.searchResultCap()) {
                restartFromLatestSeen();
            }
            Map<String, Object> body = new LinkedHashMap<>();
            if (windowStart != null) {
                body.put("filterGroups", List.of(Map.of("filters", List.of(Map.of("propertyName", sortProperty,
                        "operator", "GTE", "value", Long.toString(windowStart.toEpochMilli()))))));
            }
            body.put("sorts", List.of(Map.of("propertyName", sortProperty, "direction", "ASCENDING")));
            body.put("properties", isContacts ? contactProperties : EngagementMapper.PROPERTIES.get(stream.stream()));
            body.put("limit", read.pageSize());
            if (offset > 0) {
                body.put("after", Integer.toString(offset));
            }
            String path = "/crm/v3/objects/" + stream.stream() + "/search";
            ApiResponse response = client.post(path, body);
            if (!response.isSuccess()) {
                throw new ApiException("HubSpot", "POST " + path + " (" + stream + ", after " + offset + ")", response);
            }
            JsonNode results = response.list("results", "HubSpot", "POST " + path + " (" + stream + ", after "
                    + offset + ")");
            if (results.isEmpty()) {
                return endOfSearch();
            }
            String next = response.body().path("paging").path("next").path("after").asText("");
            if (next.isBlank()) {
                if (isContacts && windowStart != null) {
                    archivedPhase = true;
                    archivedAfter = null;
                } else {
                    exhausted = true;
                }
            } else {
                try {
                    offset = Integer.parseInt(next);
                } catch (NumberFormatException e) {
                    throw new ConnectorException("HubSpot search paging of " + stream + " returned after='" + next
                            + "', expected an offset");
                }
            }
            List<SourceRecord> items = new ArrayList<>();
            List<RejectedRecord> rejected = new ArrayList<>();
            Map<String, List<String>> associations = isContacts ? Map.of() : associations(results);
            for (JsonNode result : results) {
                track(result);
                List<Object> mapped = isContacts ? contacts.mapAll(result, stream)
                        : engagements.map(result, stream, associations.getOrDefault(result.path("id").asText(), List.of()));
                for (Object record : mapped) {
                    if (record instanceof SourceRecord sourceRecord) {
                        items.add(sourceRecord);
                    } else {
                        rejected.add((RejectedRecord) record);
                    }
                }
            }
            Cursor cursor = new Cursor(stream, CURSOR_VERSION, position(latestSeen));
            return new Page<>(items, rejected, cursor);
        }

        /**
         * The search is done. Contacts go on with the archived ones: search never returns them, and a contact
         * archived since the last read must leave its profile.
         */
        private Page<SourceRecord> endOfSearch() {
            if (isContacts && windowStart != null && !archivedPhase) {
                archivedPhase = true;
                archivedAfter = null;
                return fetchArchived();
            }
            exhausted = true;
            return null;
        }

        /** The next page of contacts archived since the window start, or null when there are no more. */
        private Page<SourceRecord> fetchArchived() {
            while (true) {
                Map<String, String> query = new LinkedHashMap<>();
                query.put("archived", "true");
                query.put("limit", "100");
                query.put("properties", "lastmodifieddate");
                if (archivedAfter != null) {
                    query.put("after", archivedAfter);
                }
                ApiResponse response = client.get("/crm/v3/objects/contacts", query);
                if (!response.isSuccess()) {
                    throw new ApiException("HubSpot", "GET /crm/v3/objects/contacts?archived=true (" + stream + ")",
                            response);
                }
                archivedAfter = response.body().path("paging").path("next").path("after").asText(null);
                boolean last = archivedAfter == null || archivedAfter.isBlank();
                List<SourceRecord> deleted = new ArrayList<>();
                for (JsonNode result : response.list("results", "HubSpot", "GET /crm/v3/objects/contacts?archived=true ("
                        + stream + ")")) {
                    String id = result.path("id").asText("");
                    Instant archivedAt = instantOrNull(result.path("archivedAt").asText(null));
                    if (!id.isBlank() && archivedAt != null && !archivedAt.isBefore(windowStart)) {
                        deleted.add(SourceRecord.deleted(stream, new io.leadsync.connector.ExternalId(settings.name(), id),
                                archivedAt, result.toString()));
                    }
                }
                if (last) {
                    exhausted = true;
                }
                if (!deleted.isEmpty()) {
                    return new Page<>(deleted, List.of(), new Cursor(stream, CURSOR_VERSION, position(latestSeen)));
                }
                if (last) {
                    return null;
                }
            }
        }

        /** Notes the modification time of a result, whether or not it maps. */
        private void track(JsonNode result) {
            JsonNode value = result.path("properties").path(sortProperty);
            Instant modified;
            try {
                modified = value.isMissingNode() || value.isNull() ? null
                        : value.asText().chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(value.asLong())
                        : Instant.parse(value.asText());
            } catch (RuntimeException e) {
                modified = null;
            }
            if (modified != null) {
                if (latestSeen == null || modified.isAfter(latestSeen)) {
                    latestSeen = modified;
                }
                if (latestSeenInWindow == null || modified.isAfter(latestSeenInWindow)) {
                    latestSeenInWindow = modified;
                }
            }
        }

        private void restartFromLatestSeen() {
            if (latestSeenInWindow == null || latestSeenInWindow.equals(windowStart)) {
                throw new ConnectorException("more than " + read.searchResultCap() + " records of " + stream
                        + " share the modification time " + windowStart + "; HubSpot's search cannot page past them");
            }
            windowStart = latestSeenInWindow;
            latestSeenInWindow = null;
            offset = 0;
        }

        private Map<String, List<String>> associations(JsonNode results) {
            List<String> ids = new ArrayList<>();
            results.forEach(result -> ids.add(result.path("id").asText()));
            return associatedContacts(stream, ids);
        }
    }

    /** The contacts of engagements of a stream, through {@code POST /crm/v4/associations/<type>/contacts/batch/read}. */
    private Map<String, List<String>> associatedContacts(StreamId stream, List<String> engagementIds) {
        List<Map<String, String>> inputs = new ArrayList<>();
        engagementIds.forEach(id -> inputs.add(Map.of("id", id)));
        String path = "/crm/v4/associations/" + stream.stream() + "/contacts/batch/read";
        ApiResponse response = client.post(path, Map.of("inputs", inputs));
        if (response.status() != 200 && response.status() != 207) {
            throw new ApiException("HubSpot", "POST " + path, response);
        }
        Map<String, List<String>> byEngagement = new HashMap<>();
        for (JsonNode result : response.list("results", "HubSpot", "POST " + path)) {
            List<String> contactIds = new ArrayList<>();
            for (JsonNode to : result.path("to")) {
                contactIds.add(to.path("toObjectId").asText());
            }
            byEngagement.put(result.path("from").path("id").asText(), contactIds);
        }
        return byEngagement;
    }

    /**
     * A first read of contacts or engagements, through the list endpoint ({@code GET /crm/v3/objects/<type>}): it has
     * no 10,000-result cap, a first read needs no modification filter, and its calls count against the portal's
     * ten-second window (about 19 a second) rather than the search limit (about 5 a second). Engagements come with
     * their contacts inline ({@code associations=contacts}); one whose list of contacts HubSpot pages is completed
     * through the v4 associations API. The list is ordered by id, not time, so the cursor is saved only by its last
     * page: the earlier of the latest modification time read and the time the read began, so that a record changed
     * after its page was listed is read again by the next read.
     */
    private final class ListPages extends PageIterator<SourceRecord> {
        private final StreamId stream;
        private final boolean isContacts;
        private final String path;
        private String after;
        private boolean exhausted;
        private Instant latest;
        private Instant began;

        ListPages(StreamId stream) {
            this.stream = stream;
            this.isContacts = "contacts".equals(stream.stream());
            this.path = "/crm/v3/objects/" + stream.stream();
        }

        @Override
        protected Page<SourceRecord> fetch() {
            if (exhausted) {
                return null;
            }
            if (began == null) {
                began = clock.instant();
            }
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", Integer.toString(Math.min(read.pageSize(), 100)));
            query.put("properties", String.join(",", isContacts ? contactProperties
                    : EngagementMapper.PROPERTIES.get(stream.stream())));
            if (!isContacts) {
                query.put("associations", "contacts");
            }
            if (after != null) {
                query.put("after", after);
            }
            ApiResponse response = client.get(path, query);
            String call = "GET " + path + " (" + stream + (after == null ? "" : ", after " + after) + ")";
            if (!response.isSuccess()) {
                throw new ApiException("HubSpot", call, response);
            }
            after = response.body().path("paging").path("next").path("after").asText(null);
            exhausted = after == null || after.isBlank();
            JsonNode results = response.list("results", "HubSpot", call);
            Map<String, List<String>> associations = isContacts ? Map.of() : inlineAssociations(results);
            List<SourceRecord> items = new ArrayList<>();
            List<RejectedRecord> rejected = new ArrayList<>();
            for (JsonNode result : results) {
                List<Object> mapped = isContacts ? contacts.mapAll(result, stream) : engagements.map(result, stream,
                        associations.getOrDefault(result.path("id").asText(), List.of()));
                for (Object record : mapped) {
                    if (record instanceof SourceRecord sourceRecord) {
                        items.add(sourceRecord);
                        if (latest == null || sourceRecord.modifiedAt().isAfter(latest)) {
                            latest = sourceRecord.modifiedAt();
                        }
                    } else {
                        rejected.add((RejectedRecord) record);
                    }
                }
            }
            Instant saved = latest == null || !exhausted ? null : latest.isAfter(began) ? began : latest;
            return new Page<>(items, rejected, new Cursor(stream, CURSOR_VERSION, position(saved)));
        }

        /**
         * The contacts of each engagement of a page, as listed inline; those whose list HubSpot pages are read
         * through the associations API (one call for the page).
         */
        private Map<String, List<String>> inlineAssociations(JsonNode results) {
            Map<String, List<String>> byEngagement = new HashMap<>();
            List<String> paged = new ArrayList<>();
            for (JsonNode result : results) {
                String id = result.path("id").asText();
                JsonNode contactsOf = result.path("associations").path("contacts");
                if (!contactsOf.path("paging").path("next").path("after").asText("").isBlank()) {
                    paged.add(id);
                    continue;
                }
                List<String> contactIds = new ArrayList<>();
                for (JsonNode to : contactsOf.path("results")) {
                    String contact = to.path("id").asText("");
                    if (!contact.isBlank() && !contactIds.contains(contact)) {
                        contactIds.add(contact);
                    }
                }
                byEngagement.put(id, contactIds);
            }
            if (!paged.isEmpty()) {
                byEngagement.putAll(associatedContacts(stream, paged));
            }
            return byEngagement;
        }
    }

    /**
     * Marketing email events from the legacy email events API ({@code GET /email/public/v1/events}): opens, clicks,
     * bounces, and unsubscribes (a status change or a spam report) as negative signals. Events name their recipient
     * by email. The API answers newest first, so the cursor is saved when the read completes.
     */
    private final class EmailEventPages extends PageIterator<SourceRecord> {
        private static final Map<String, String> TYPES = Map.of("OPEN", io.leadsync.connector.ActivityTypes.EMAIL_OPEN,
                "CLICK", io.leadsync.connector.ActivityTypes.EMAIL_CLICK,
                "BOUNCE", io.leadsync.connector.ActivityTypes.EMAIL_BOUNCE,
                "SPAMREPORT", io.leadsync.connector.ActivityTypes.UNSUBSCRIBE);
        private final StreamId stream;
        private final Instant start;
        private final Instant since;
        private final long end;
        private String offset;
        private boolean exhausted;
        private Instant latest;

        EmailEventPages(StreamId stream, Instant start, Instant since) {
            this.stream = stream;
            this.start = start;
            this.since = since;
            this.latest = since;
            this.end = clock.millis();
        }

        @Override
        protected Page<SourceRecord> fetch() {
            if (exhausted) {
                return null;
            }
            Map<String, String> query = new LinkedHashMap<>();
            query.put("startTimestamp", Long.toString(start == null ? 0 : start.toEpochMilli()));
            query.put("endTimestamp", Long.toString(end));
            query.put("limit", "1000");
            if (offset != null) {
                query.put("offset", offset);
            }
            ApiResponse response = client.get("/email/public/v1/events", query);
            if (!response.isSuccess()) {
                throw new ApiException("HubSpot", "GET /email/public/v1/events (" + stream + ")", response);
            }
            offset = response.body().path("offset").asText(null);
            exhausted = !response.body().path("hasMore").asBoolean(false);
            List<SourceRecord> items = new ArrayList<>();
            List<RejectedRecord> rejected = new ArrayList<>();
            for (JsonNode event : response.list("events", "HubSpot", "GET /email/public/v1/events (" + stream + ")")) {
                String id = event.path("id").asText("");
                String recipient = event.path("recipient").asText("");
                Instant created = event.path("created").canConvertToLong()
                        ? Instant.ofEpochMilli(event.path("created").asLong()) : null;
                if (id.isBlank() || recipient.isBlank() || created == null) {
                    rejected.add(new RejectedRecord(stream, id.isBlank() ? null : id, event.toString(),
                            (id.isBlank() ? "id" : recipient.isBlank() ? "recipient" : "created") + ": missing"));
                    continue;
                }
                String vendorType = event.path("type").asText("");
                String type = "STATUSCHANGE".equals(vendorType)
                        && "UNSUBSCRIBED".equals(event.path("changeType").asText(""))
                        ? io.leadsync.connector.ActivityTypes.UNSUBSCRIBE : TYPES.get(vendorType);
                if (type == null) {
                    continue;
                }
                if (latest == null || created.isAfter(latest)) {
                    latest = created;
                }
                Map<String, String> details = new LinkedHashMap<>();
                details.put("email_event", vendorType);
                details.put("campaign", event.path("emailCampaignId").asText(null));
                details.put("url", event.path("url").asText(null));
                io.leadsync.connector.Activity activity = new io.leadsync.connector.Activity(
                        new io.leadsync.connector.ExternalId(settings.name(), id), type, created,
                        io.leadsync.connector.PersonRef.ofEmail(recipient), details);
                items.add(SourceRecord.of(stream, activity, created, event.toString()));
            }
            Instant cursorTime = exhausted ? latest : since;
            return new Page<>(items, rejected, new Cursor(stream, CURSOR_VERSION, position(cursorTime)));
        }
    }

    private static Instant instantOrNull(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public java.util.Optional<io.leadsync.connector.CallStats> callStats() {
        return java.util.Optional.of(client.guard().stats());
    }

    @Override
    public java.util.OptionalLong requestCount() {
        return java.util.OptionalLong.of(client.requestCount());
    }

    @Override
    public void close() {
        client.close();
    }
}
