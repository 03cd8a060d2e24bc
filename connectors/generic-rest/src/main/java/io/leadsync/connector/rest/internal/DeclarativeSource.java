package io.leadsync.connector.rest.internal;

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
import io.leadsync.connector.http.ApiClient;
import io.leadsync.connector.http.ApiException;
import io.leadsync.connector.http.MalformedResponseException;
import io.leadsync.connector.http.ApiRequest;
import io.leadsync.connector.http.ApiResponse;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A source read as its manifest describes. Cursor (format version 1): {@code {"since":"<instant>"}}, the latest
 * modification time read, or {@code {}} before the first complete read. Streams whose API returns records sorted
 * by that time ({@code sorted: true}) advance the cursor with every page; the others only at the end of the stream,
 * so an interrupted read never skips records on later pages.
 */
public final class DeclarativeSource implements SourceConnector {
    public static final int CURSOR_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Manifest manifest;
    private final String name;
    private final List<String> streams;
    private final ApiClient client;
    private final UnaryOperator<String> resolve;
    private final Clock clock;

    /**
     * @param streams the streams this instance reads (a subset of the manifest's, persons first)
     * @param resolve replaces the manifest's {@code {{settings.x}}} placeholders with this instance's values
     */
    public DeclarativeSource(Manifest manifest, String name, List<String> streams, ApiClient client,
                             UnaryOperator<String> resolve, Clock clock) {
        this.manifest = manifest;
        this.name = name;
        this.streams = List.copyOf(streams);
        this.client = client;
        this.resolve = resolve;
        this.clock = clock;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(manifest.type(), name, streams, CURSOR_VERSION,
                Set.of(ConnectorDescriptor.Capability.READ));
    }

    /** As the manifest says: a stream of kind {@code activity} carries no persons. */
    @Override
    public boolean carriesPersons(String stream) {
        Manifest.Stream declared = manifest.streams().get(stream);
        return declared == null || declared.kind() != Manifest.Kind.ACTIVITY;
    }

    @Override
    public CheckResult check() {
        Manifest.Stream stream = manifest.streams().get(streams.get(0));
        try {
            ApiRequest request = new Pager(stream.pagination(), firstRequest(stream, null)).next();
            ApiResponse response = client.send(request);
            if (response.isSuccess()) {
                return CheckResult.success(name + " reaches " + client.baseUrl() + " and may read " + stream.name());
            }
            return CheckResult.failure(name + ": " + request.describe() + " answered " + response.status() + " "
                    + response.category() + ": " + response.message());
        } catch (AuthenticationException e) {
            return CheckResult.failure(e.getMessage());
        } catch (ConnectorException e) {
            return CheckResult.failure(e.getMessage());
        }
    }

    @Override
    public java.util.Optional<io.leadsync.connector.CallStats> callStats() {
        return java.util.Optional.of(client.guard().stats());
    }

    @Override
    public OptionalLong requestCount() {
        return OptionalLong.of(client.requestCount());
    }

    @Override
    public Stream<Page<SourceRecord>> read(StreamId streamId, Cursor from) {
        if (!streamId.source().equals(name) || !streams.contains(streamId.stream())) {
            throw new IllegalArgumentException(name + " does not read " + streamId + "; its streams are " + streams);
        }
        Manifest.Stream stream = manifest.streams().get(streamId.stream());
        Instant since = from == null ? null : since(upgrade(from));
        return new Pages(streamId, stream, since).stream();
    }

    private ApiRequest firstRequest(Manifest.Stream stream, Instant windowStart) {
        Map<String, String> query = new LinkedHashMap<>();
        stream.params().forEach((param, value) -> query.put(param, resolve.apply(value)));
        Manifest.Incremental incremental = stream.incremental();
        if (incremental != null && incremental.requestParam() != null && windowStart != null) {
            query.put(incremental.requestParam(), incremental.paramFormat().format(windowStart));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        manifest.requester().headers().forEach((header, value) -> headers.put(header, resolve.apply(value)));
        return new ApiRequest(stream.method(), resolve.apply(stream.path()), query, headers, null, null);
    }

    static Instant since(Cursor cursor) {
        try {
            JsonNode node = JSON.readTree(cursor.position());
            return node.hasNonNull("since") ? Instant.parse(node.get("since").asText()) : null;
        } catch (Exception e) {
            throw new ConnectorException("the saved cursor of " + cursor.stream() + " is not readable ('"
                    + cursor.position() + "'); reset it to re-read the stream");
        }
    }

    static String position(Instant since) {
        return since == null ? "{}" : JSON.createObjectNode().put("since", since.toString()).toString();
    }

    /** The pages of one read. */
    private final class Pages extends PageIterator<SourceRecord> {
        private final StreamId streamId;
        private final Manifest.Stream stream;
        private final Instant since;
        private final Instant windowStart;
        private final Pager pager;
        private final RecordMapper mapper;
        private Instant latest;

        Pages(StreamId streamId, Manifest.Stream stream, Instant since) {
            this.streamId = streamId;
            this.stream = stream;
            this.since = since;
            this.latest = since;
            this.windowStart = since == null || stream.incremental() == null ? null
                    : since.minus(stream.incremental().overlap());
            this.pager = new Pager(stream.pagination(), firstRequest(stream, windowStart));
            this.mapper = new RecordMapper(name, stream);
        }

        @Override
        protected Page<SourceRecord> fetch() {
            ApiRequest request = pager.next();
            if (request == null) {
                return null;
            }
            ApiResponse response = client.send(request);
            if (!response.isSuccess()) {
                String failure = manifest.requester().failures().get(response.status());
                if (failure != null) {
                    throw new ConnectorException(name + ": " + request.describe() + " answered " + response.status()
                            + ": " + failure + " (" + response.message() + ")");
                }
                throw new ApiException(manifest.type(), request.describe() + " (" + streamId + ")", response);
            }
            JsonNode records = response.body().at(stream.records());
            if (!records.isArray()) {
                throw new MalformedResponseException(manifest.type(), request.describe() + " (" + name + ", stream "
                        + stream.name() + ")", "has " + (records.isMissingNode() ? "nothing" : records.getNodeType()
                        .name().toLowerCase(java.util.Locale.ROOT)) + " at the records pointer " + stream.records()
                        + ", expected a list", response.rawBody());
            }
            pager.advance(response, records);
            Instant readAt = clock.instant();
            List<SourceRecord> items = new ArrayList<>();
            List<RejectedRecord> rejected = new ArrayList<>();
            for (JsonNode record : records) {
                Object mapped = mapper.map(record, streamId, readAt);
                if (mapped instanceof SourceRecord sourceRecord) {
                    Instant modified = stream.incremental() == null ? null : sourceRecord.modifiedAt();
                    if (windowStart != null && modified != null && modified.isBefore(windowStart)) {
                        continue;
                    }
                    if (modified != null && (latest == null || modified.isAfter(latest))) {
                        latest = modified;
                    }
                    items.add(sourceRecord);
                } else {
                    rejected.add((RejectedRecord) mapped);
                }
            }
            boolean last = pager.next() == null;
            Instant cursorTime = stream.sorted() || last ? latest : since;
            return new Page<>(items, rejected, new Cursor(streamId, CURSOR_VERSION, position(cursorTime)));
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
