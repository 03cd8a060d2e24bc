package io.leadsync.connector.mixpanel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.Activity;
import io.leadsync.connector.AuthenticationException;
import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Page;
import io.leadsync.connector.PageIterator;
import io.leadsync.connector.Person;
import io.leadsync.connector.PersonRef;
import io.leadsync.connector.ReceivedChanges;
import io.leadsync.connector.RejectedRecord;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.http.ApiClient;
import io.leadsync.connector.http.ApiException;
import io.leadsync.connector.http.MalformedResponseException;
import io.leadsync.connector.http.ApiRequest;
import io.leadsync.connector.http.ApiResponse;
import io.leadsync.connector.http.Json;
import io.leadsync.connector.http.LineReader;
import io.leadsync.connector.http.StreamedResponse;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a Mixpanel project: profiles (engage API), whose emails link {@code distinct_id}s to the CRM's people, and
 * raw events (export API), which become activities of those people.
 *
 * <p>Events are read one UTC day per export call, streamed line by line (never held whole), and handed on in pages
 * of {@code page-size} events; nothing holds a day's events, only a 64-bit fingerprint of each event id of the day
 * being read, which tells the export's repeats apart for the completeness count ({@link #count}). The events cursor
 * (format version 1, {@code {"completeThrough":"2026-11-22"}}) names the last day read completely; today is never complete, and each
 * run reads {@code late-days} complete days again, since Mixpanel accepts events late. Events seen twice (raw exports
 * repeat some; re-read days repeat all) share their {@code $insert_id} and time, so the pipeline stores each once.
 * A read that runs to the end also leaves in its last cursor what it read ({@code "readFrom"}, {@code "readThrough"}:
 * its days; {@code "processedBefore"}: when it began less {@code export-delay}, epoch milliseconds): every event of
 * those days that Mixpanel processed before then ({@code mp_processing_time_ms}) was in that read's export, so the
 * next read leaves such events out of its pages (a late event has a recent processing time and is read). The
 * lines are still parsed and checked (a bad one goes to the dead letters as before) and counted for the
 * completeness check; the store holds the events left out.
 * Profiles are read incrementally by {@code $last_seen} (cursor {@code {"lastSeenSince":"..."}}, advanced when a
 * read completes, since engage does not sort).
 */
public final class MixpanelSource implements SourceConnector {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MixpanelSource.class);
    public static final int CURSOR_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROFILE_OVERLAP = Duration.ofHours(1);
    private static final List<String> PROFILE_FIELDS = List.of("$email", "$first_name", "$last_name", "$name",
            "$created", "$last_seen", "$city", "$country_code");

    private final MixpanelSettings settings;
    private final ApiClient export;
    private final ApiClient query;
    private final Clock clock;
    /** Per events stream, the export lines of its last read that ran to the end: what {@link #count} answers. */
    private final Map<StreamId, ExportLines> lastReads = new java.util.concurrent.ConcurrentHashMap<>();

    public MixpanelSource(MixpanelSettings settings, ApiClient export, ApiClient query, Clock clock) {
        this.settings = settings;
        this.export = export;
        this.query = query;
        this.clock = clock;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(MixpanelSettings.TYPE, settings.name(), settings.streams(), CURSOR_VERSION,
                Set.of(ConnectorDescriptor.Capability.READ));
    }

    /** {@code profiles} carries persons; {@code events} are activities. */
    @Override
    public boolean carriesPersons(String stream) {
        return !"events".equals(stream);
    }

    @Override
    public CheckResult check() {
        try {
            ApiResponse response = query.send(engage(0, null, null));
            if (response.isSuccess()) {
                return CheckResult.success("Mixpanel project " + settings.projectId() + " accepts the service account of "
                        + settings.name());
            }
            return CheckResult.failure("Mixpanel answered the profile query of " + settings.name() + " with "
                    + response.status() + ": " + response.message());
        } catch (AuthenticationException e) {
            return CheckResult.failure(e.getMessage());
        } catch (ConnectorException e) {
            return CheckResult.failure(e.getMessage());
        }
    }

    @Override
    public java.util.Optional<io.leadsync.connector.CallStats> callStats() {
        return java.util.Optional.of(export.guard().stats());
    }

    @Override
    public OptionalLong requestCount() {
        return OptionalLong.of(export.requestCount() + query.requestCount());
    }

    @Override
    public Stream<Page<SourceRecord>> read(StreamId stream, Cursor from) {
        if (!stream.source().equals(settings.name()) || !settings.streams().contains(stream.stream())) {
            throw new IllegalArgumentException(settings.name() + " does not read " + stream + "; its streams are "
                    + settings.streams());
        }
        Cursor cursor = from == null ? null : upgrade(from);
        if ("profiles".equals(stream.stream())) {
            return new ProfilePages(stream, cursor).stream();
        }
        lastReads.remove(stream);
        EventPages pages = new EventPages(stream, cursor);
        return pages.stream().onClose(pages::close);
    }

    /**
     * The export lines of an events read (the export's own count of the events of the days read), or Mixpanel's
     * engage {@code total} of the profiles seen in the window. Events: answered from the last read of the stream
     * that ran to the end from {@code from} to {@code to}, at no call (counting the export again would cost as many
     * calls as reading it, against an hourly limit of 60); the lines the configuration maps to no activity type and
     * those repeating an event already read that day are {@link io.leadsync.connector.VendorCount#skipped skipped}.
     * Empty for a backlog (to null) or a window no read of this instance covered. Profiles: one engage call with
     * {@code $last_seen} between the read's start (the saved cursor less the overlap) and the end cursor's time.
     */
    @Override
    public java.util.Optional<io.leadsync.connector.VendorCount> count(StreamId stream, Cursor from, Cursor to) {
        if (!stream.source().equals(settings.name()) || !settings.streams().contains(stream.stream())) {
            return java.util.Optional.empty();
        }
        if ("events".equals(stream.stream())) {
            ExportLines read = lastReads.get(stream);
            if (to == null || read == null || !java.util.Objects.equals(from == null ? null : from.position(),
                    read.fromPosition()) || !to.position().equals(read.toPosition())) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new io.leadsync.connector.VendorCount(read.lines(), read.skipped(),
                    read.from(), read.to(), read.calls(), "Mixpanel export lines"));
        }
        Instant previous = profileTime(field(from == null ? null : upgrade(from), "lastSeenSince"));
        String since = previous == null ? null : previous.minus(PROFILE_OVERLAP).toString().substring(0, 19);
        String until = field(to == null ? null : upgrade(to), "lastSeenSince");
        ApiResponse response = query.send(engage(0, null, since, until));
        if (!response.isSuccess()) {
            throw new ApiException("Mixpanel", "POST /engage (count of " + stream + ")", response);
        }
        JsonNode total = response.body().path("total");
        if (!total.canConvertToLong()) {
            throw new ConnectorException("Mixpanel's engage answer for " + stream + " has no total");
        }
        Instant end = until == null ? clock.instant() : profileTime(until).plusSeconds(1).minusNanos(1);
        return java.util.Optional.of(new io.leadsync.connector.VendorCount(total.asLong(),
                since == null ? null : profileTime(since), end,
                io.leadsync.connector.VendorCount.pages(total.asLong(), 1000, 1), "Mixpanel engage total"));
    }

    private ApiRequest engage(int page, String sessionId, String lastSeenSince) {
        return engage(page, sessionId, lastSeenSince, null);
    }

    private ApiRequest engage(int page, String sessionId, String lastSeenSince, String lastSeenUntil) {
        Map<String, String> form = new LinkedHashMap<>();
        Set<String> output = new LinkedHashSet<>(PROFILE_FIELDS);
        output.addAll(settings.profileProperties());
        form.put("output_properties", Json.write(List.copyOf(output)));
        List<String> where = new ArrayList<>();
        if (lastSeenSince != null) {
            where.add("properties[\"$last_seen\"] >= \"" + lastSeenSince + "\"");
        }
        if (lastSeenUntil != null) {
            where.add("properties[\"$last_seen\"] <= \"" + lastSeenUntil + "\"");
        }
        if (!where.isEmpty()) {
            form.put("where", String.join(" and ", where));
        }
        if (page > 0) {
            form.put("page", Integer.toString(page));
            form.put("session_id", sessionId);
        }
        return ApiRequest.form("/engage", form).withQuery(Map.of("project_id", settings.projectId()));
    }

    /**
     * What a complete events read had: every event of the export days {@code from} to {@code through} that Mixpanel
     * processed before {@code processedBefore} (epoch ms).
     */
    private record ReadBefore(LocalDate from, LocalDate through, long processedBefore) {
        static ReadBefore of(Cursor cursor) {
            String from = field(cursor, "readFrom");
            String through = field(cursor, "readThrough");
            String before = field(cursor, "processedBefore");
            if (from == null || through == null || before == null) {
                return null;
            }
            try {
                return new ReadBefore(LocalDate.parse(from), LocalDate.parse(through), Long.parseLong(before));
            } catch (DateTimeParseException | NumberFormatException e) {
                throw new ConnectorException("the saved cursor of " + cursor.stream() + " is not readable ('"
                        + cursor.position() + "'); reset it to re-read the stream");
            }
        }

        /** Whether the event, a line of the export of {@code day}, was in the read. */
        boolean had(LocalDate day, JsonNode event) {
            JsonNode processed = event.path("properties").path("mp_processing_time_ms");
            return !day.isBefore(from) && !day.isAfter(through) && processed.isIntegralNumber()
                    && processed.asLong() < processedBefore;
        }
    }

    private static String eventsPosition(LocalDate completeThrough, ReadBefore read) {
        com.fasterxml.jackson.databind.node.ObjectNode position = JSON.createObjectNode();
        if (completeThrough != null) {
            position.put("completeThrough", completeThrough.toString());
        }
        if (read != null) {
            position.put("readFrom", read.from().toString());
            position.put("readThrough", read.through().toString());
            position.put("processedBefore", Long.toString(read.processedBefore()));
        }
        return position.toString();
    }

    private static String position(String field, String value) {
        return value == null ? "{}" : JSON.createObjectNode().put(field, value).toString();
    }

    private static String field(Cursor cursor, String field) {
        if (cursor == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(cursor.position());
            return node.hasNonNull(field) ? node.get(field).asText() : null;
        } catch (JsonProcessingException e) {
            throw new ConnectorException("the saved cursor of " + cursor.stream() + " is not readable ('"
                    + cursor.position() + "'); reset it to re-read the stream");
        }
    }

    /** Mixpanel's profile times: {@code 2026-11-20T10:15:30}, UTC. */
    static Instant profileTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(text.length() > 19 ? text.substring(0, 19) : text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The pages of a profile read. */
    private final class ProfilePages extends PageIterator<SourceRecord> {
        private final StreamId stream;
        private final Cursor from;
        private final String since;
        private String sessionId;
        private int page;
        private boolean done;
        private Instant latest;

        ProfilePages(StreamId stream, Cursor from) {
            this.stream = stream;
            this.from = from;
            Instant previous = profileTime(field(from, "lastSeenSince"));
            this.latest = previous;
            this.since = previous == null ? null : previous.minus(PROFILE_OVERLAP).toString().substring(0, 19);
        }

        @Override
        protected Page<SourceRecord> fetch() {
            if (done) {
                return null;
            }
            ApiRequest request = engage(page, sessionId, since);
            ApiResponse response = query.send(request);
            if (!response.isSuccess()) {
                throw new ApiException("Mixpanel", "POST /engage (" + stream + ", page " + page + ")", response);
            }
            JsonNode body = response.body();
            sessionId = body.path("session_id").asText(null);
            JsonNode results = response.list("results", "Mixpanel", "POST /engage (" + stream + ", page " + page + ")");
            int pageSize = body.path("page_size").asInt(1000);
            int total = body.path("total").asInt(0);
            page++;
            done = results.size() < pageSize || (long) page * pageSize >= total;
            Instant readAt = clock.instant();
            List<SourceRecord> items = new ArrayList<>();
            List<RejectedRecord> rejected = new ArrayList<>();
            for (JsonNode result : results) {
                String distinctId = result.path("$distinct_id").asText("");
                if (distinctId.isBlank()) {
                    rejected.add(new RejectedRecord(stream, null, result.toString(), "$distinct_id: missing"));
                    continue;
                }
                JsonNode properties = result.path("$properties");
                Instant lastSeen = profileTime(properties.path("$last_seen").asText(null));
                Instant updated = lastSeen != null ? lastSeen : readAt;
                if (lastSeen != null && (latest == null || lastSeen.isAfter(latest))) {
                    latest = lastSeen;
                }
                Map<String, String> attributes = new LinkedHashMap<>();
                for (String property : settings.profileProperties()) {
                    JsonNode value = properties.path(property);
                    if (!value.isMissingNode() && !value.isNull() && !value.isContainerNode()) {
                        attributes.put(property, value.asText());
                    }
                }
                attributes.put("mixpanel_distinct_id", distinctId);
                String name = properties.path("$name").asText(null);
                String first = properties.path("$first_name").asText(null);
                String last = properties.path("$last_name").asText(null);
                if (first == null && last == null && name != null && name.contains(" ")) {
                    first = name.substring(0, name.indexOf(' '));
                    last = name.substring(name.indexOf(' ') + 1);
                }
                Person person = Person.builder(new ExternalId(settings.name(), distinctId), updated)
                        .email(properties.path("$email").asText(null))
                        .firstName(first).lastName(last)
                        .country(properties.path("$country_code").asText(null))
                        .city(properties.path("$city").asText(null))
                        .attributes(attributes)
                        .build();
                items.add(SourceRecord.of(stream, person, updated, result.toString()));
            }
            String position = done ? position("lastSeenSince", latest == null ? null : latest.toString().substring(0, 19))
                    : from == null ? "{}" : from.position();
            return new Page<>(items, rejected, new Cursor(stream, CURSOR_VERSION, position));
        }
    }

    /**
     * The export lines of an events read that ran to the end, and the window of event times they cover.
     *
     * @param fromPosition the position of the cursor the read started from (null: the beginning)
     * @param toPosition   the position of the cursor its last page carried
     * @param lines        the export's non-blank lines: its events
     * @param skipped      lines mapped to no activity type, or repeating an event already read that day
     * @param calls        export calls (one a day read, without the calls to read a cut-short answer again)
     */
    private record ExportLines(String fromPosition, String toPosition, Instant from, Instant to, long lines,
                               long skipped, long calls) {
    }

    /** The pages of an event read: one export call per day, streamed, cut into pages. */
    private final class EventPages extends PageIterator<SourceRecord> implements AutoCloseable {
        private final StreamId stream;
        private final String fromPosition;
        private final LocalDate firstDay;
        /** The days and processing time the last complete read covered, or null. */
        private final ReadBefore readBefore;
        private final Instant started = clock.instant();
        private long known;
        private final io.leadsync.connector.mixpanel.internal.Fingerprints seen =
                new io.leadsync.connector.mixpanel.internal.Fingerprints();
        private long exportLines;
        private long skipped;
        private long days;
        private Instant earliest;
        private Instant latest;
        private final LocalDate today;
        private LocalDate day;
        private LocalDate completeThrough;
        private StreamedResponse open;
        private LineReader lines;
        private long lineNumber;

        EventPages(StreamId stream, Cursor from) {
            this.stream = stream;
            this.today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            String saved = field(from, "completeThrough");
            this.completeThrough = saved == null ? null : LocalDate.parse(saved);
            this.readBefore = ReadBefore.of(from);
            LocalDate first = completeThrough == null
                    ? (settings.startDate() != null ? settings.startDate() : today.minusDays(30))
                    : completeThrough.plusDays(1).minusDays(settings.lateDays());
            if (settings.startDate() != null && first.isBefore(settings.startDate())) {
                first = settings.startDate();
            }
            this.day = first.isAfter(today) ? today : first;
            this.firstDay = day;
            this.fromPosition = from == null ? null : from.position();
        }

        @Override
        protected Page<SourceRecord> fetch() {
            if (day == null) {
                return null;
            }
            if (lines == null) {
                openDay();
            }
            List<SourceRecord> items = new ArrayList<>(Math.min(settings.pageSize(), 4096));
            List<RejectedRecord> rejected = new ArrayList<>();
            Set<String> insertIds = new java.util.HashSet<>();
            boolean endOfDay = false;
            try {
                while (items.size() + rejected.size() < settings.pageSize()) {
                    String line = nextLine();
                    if (line == null) {
                        endOfDay = true;
                        break;
                    }
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    exportLines++;
                    JsonNode event;
                    try {
                        event = JSON.readTree(line);
                    } catch (JsonProcessingException e) {
                        rejected.add(new RejectedRecord(stream, null, line, "export of " + day + ", line "
                                + lineNumber + ": not JSON (" + e.getOriginalMessage() + ")"));
                        continue;
                    }
                    Object mapped = map(line, event);
                    if (mapped instanceof SourceRecord record) {
                        if (!seen.add(record.id().id())) {
                            skipped++;
                        } else {
                            earliest = earliest == null || record.modifiedAt().isBefore(earliest)
                                    ? record.modifiedAt() : earliest;
                            latest = latest == null || record.modifiedAt().isAfter(latest) ? record.modifiedAt()
                                    : latest;
                        }
                        if (readBefore != null && readBefore.had(day, event)) {
                            known++;
                        } else if (insertIds.add(record.id().id())) {
                            items.add(record);
                        }
                    } else if (mapped instanceof RejectedRecord reject) {
                        rejected.add(reject);
                    } else {
                        skipped++;
                    }
                }
            } catch (MalformedResponseException e) {
                closeDay();
                throw e;
            } catch (IOException e) {
                closeDay();
                throw new ConnectorException("the Mixpanel export of " + day + " for " + settings.name()
                        + " broke off after line " + lineNumber + ": " + e.getMessage(), e);
            }
            LocalDate pageDay = day;
            if (endOfDay) {
                closeDay();
                days++;
                seen.clear();
                if (pageDay.isBefore(today) && (completeThrough == null || pageDay.isAfter(completeThrough))) {
                    completeThrough = pageDay;
                }
                day = pageDay.isBefore(today) ? pageDay.plusDays(1) : null;
            }
            ReadBefore covered = day == null
                    ? new ReadBefore(firstDay, pageDay, started.minus(settings.exportDelay()).toEpochMilli())
                    : readBefore;
            Cursor cursor = new Cursor(stream, CURSOR_VERSION, eventsPosition(completeThrough, covered));
            if (day == null) {
                if (known > 0) {
                    LOG.info("{}: {} events of {} to {} were read before (processed before {}) and are left out",
                            settings.name(), known, readBefore.from(), readBefore.through(),
                            Instant.ofEpochMilli(readBefore.processedBefore()));
                }
                // the read ran to the end: its lines are the export's own count of the days read
                Instant from = firstDay.atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant to = pageDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1);
                lastReads.put(stream, new ExportLines(fromPosition, cursor.position(),
                        earliest != null && earliest.isBefore(from) ? earliest : from,
                        latest != null && latest.isAfter(to) ? latest : to, exportLines, skipped, days));
            }
            return new Page<>(items, rejected, cursor);
        }

        /**
         * The next line of the day's export. An answer cut short (the connection broke, or its last line ends
         * without its line break and is not JSON) is asked for again and read on after the lines already taken,
         * up to {@code retry.max-attempts} times; then the stream fails with the day and line, its cursor unmoved.
         */
        private String nextLine() throws IOException {
            for (int cuts = 1; ; cuts++) {
                String problem;
                String partial = null;
                try {
                    String line = lines.readLine();
                    if (line == null || lines.lastLineTerminated() || line.isBlank() || Json.isJson(line)) {
                        return line;
                    }
                    problem = "ends in the middle of line " + (lineNumber + 1) + " (the answer was cut short)";
                    partial = line;
                } catch (IOException e) {
                    problem = "broke off after line " + lineNumber + " (" + e.getMessage() + ")";
                }
                if (cuts >= settings.maxAttempts()) {
                    throw new MalformedResponseException("Mixpanel", "the export of " + day + " ("
                            + settings.name() + ")", problem + ", " + cuts + " times", partial);
                }
                long taken = lineNumber;
                LOG.info("{}: the export of {} {}; reading it again from line {}", settings.name(), day, problem,
                        taken + 1);
                closeDay();
                openDay();
                for (long skipped = 0; skipped < taken; skipped++) {
                    if (lines.readLine() == null) {
                        break;
                    }
                }
                lineNumber = taken;
            }
        }

        private void openDay() {
            ApiRequest request = ApiRequest.get("/export", Map.of("project_id", settings.projectId(),
                    "from_date", day.toString(), "to_date", day.toString(), "time_in_ms", "true"))
                    .withHeaders(Map.of("Accept", "text/plain"));
            open = export.openStream(request);
            lines = new LineReader(new InputStreamReader(open.body(), StandardCharsets.UTF_8));
            lineNumber = 0;
        }

        private void closeDay() {
            if (open != null) {
                try {
                    open.close();
                } catch (UncheckedIOException e) {
                    // the connection is released either way
                }
            }
            open = null;
            lines = null;
        }

        /** A {@link SourceRecord}, a {@link RejectedRecord}, or null for an event the mapping skips. */
        private Object map(String line, JsonNode event) {
            String name = event.path("event").asText("");
            JsonNode properties = event.path("properties");
            String where = "export of " + day + ", line " + lineNumber + ": ";
            if (name.isBlank()) {
                return new RejectedRecord(stream, null, line, where + "event: missing");
            }
            JsonNode time = properties.path("time");
            if (!time.canConvertToLong()) {
                return new RejectedRecord(stream, null, line, where + "properties.time: "
                        + (time.isMissingNode() ? "missing" : "'" + time.asText() + "' is not a number"));
            }
            String distinctId = properties.path("distinct_id").asText("");
            if (distinctId.isBlank()) {
                return new RejectedRecord(stream, null, line, where + "properties.distinct_id: missing (an event"
                        + " without a person cannot be scored)");
            }
            String type = settings.events().typeOf(name).orElse(null);
            if (type == null) {
                return null;
            }
            long raw = time.asLong();
            Instant occurred = raw > 100_000_000_000L ? Instant.ofEpochMilli(raw) : Instant.ofEpochSecond(raw);
            String insertId = properties.path("$insert_id").asText("");
            if (insertId.isBlank()) {
                insertId = ReceivedChanges.derivedId(name + "|" + distinctId + "|" + raw);
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put("event", name);
            details.put("page_url", text(properties, "$current_url"));
            details.put("campaign", text(properties, "utm_campaign"));
            details.put("library", text(properties, "mp_lib"));
            Activity activity = new Activity(new ExternalId(settings.name(), insertId), type, occurred,
                    new PersonRef(new ExternalId(settings.name(), distinctId), text(properties, "$email")), details);
            return SourceRecord.of(stream, activity, occurred, line);
        }

        @Override
        public void close() {
            closeDay();
        }
    }

    private static String text(JsonNode properties, String name) {
        JsonNode value = properties.path(name);
        return value.isMissingNode() || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    @Override
    public void close() {
        export.close();
        query.close();
    }
}
