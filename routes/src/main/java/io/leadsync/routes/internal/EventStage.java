package io.leadsync.routes.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.Change;
import io.leadsync.connector.Fetched;
import io.leadsync.connector.Page;
import io.leadsync.connector.RejectedRecord;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.routes.RunStats;
import io.leadsync.store.ChangeInboxRepository.Entry;
import io.leadsync.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The store step of an event run: the records its changes carry or name are stored through the pull stage's own
 * code ({@link PullStage#storeRecords}: identity, activities, dead letters for rejected records), never moving a
 * stream's cursor, and the changes are marked done in the transaction that stores them.
 * <ul>
 *   <li>a change carrying its record: the record is stored as a record of its stream;</li>
 *   <li>a change naming an upserted record: the record is read through {@link SourceConnector#fetch}, grouped per
 *       stream; a source that cannot read by id reads the stream incrementally instead;</li>
 *   <li>a deleted or merged-away record: stored as deleted, as a scheduled read stores one;</li>
 *   <li>a gap ({@link Change.Kind#GAP} for the whole stream, id {@code *}): the stream is read from its saved
 *       cursor, as a scheduled run reads it (the cursor stays where it is).</li>
 * </ul>
 * A read that fails leaves its changes pending for a retry (2 s, 4 s, 8 s... later); after the configured attempts
 * they go to the dead letters with the reason.
 */
public final class EventStage {
    public static final String STAGE = "events";
    /** Ids per {@link SourceConnector#fetch} call (the connector batches them at its vendor's limit). */
    static final int FETCH_CHUNK = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Clock clock;
    private final PullStage pull;
    private final int maxAttempts;

    public EventStage(Store store, Clock clock, PullStage pull, int maxAttempts) {
        this.store = store;
        this.clock = clock;
        this.pull = pull;
        this.maxAttempts = maxAttempts;
    }

    /** Stores the batch's changes, stream by stream. */
    public void run(RunContext run, EventBatch batch) {
        RunStats stats = run.stats();
        stats.add(STAGE, "all", "duplicates", batch.duplicates());
        Map<StreamId, List<Entry>> byStream = new LinkedHashMap<>();
        batch.entries().forEach(entry -> byStream.computeIfAbsent(entry.change().stream(), k -> new ArrayList<>())
                .add(entry));
        List<Long> latencies = new ArrayList<>();
        for (Map.Entry<StreamId, List<Entry>> entry : byStream.entrySet()) {
            run.checkpoint();
            SourceConnector source = run.job().sources().stream()
                    .filter(candidate -> candidate.descriptor().name().equals(entry.getKey().source()))
                    .findFirst().orElseThrow(() -> new IllegalStateException("job " + run.job().name()
                            + " does not read " + entry.getKey().source()));
            storeStream(run, batch, source, entry.getKey(), entry.getValue(), latencies);
        }
        if (!latencies.isEmpty()) {
            latencies.sort(null);
            stats.state("events/latency", "p50Millis", Long.toString(percentile(latencies, 50)));
            stats.state("events/latency", "p95Millis", Long.toString(percentile(latencies, 95)));
            stats.state("events/latency", "maxMillis", Long.toString(latencies.get(latencies.size() - 1)));
        }
    }

    private void storeStream(RunContext run, EventBatch batch, SourceConnector source, StreamId stream,
                             List<Entry> entries, List<Long> latencies) {
        RunStats stats = run.stats();
        String scope = stream.toString();
        stats.add(STAGE, scope, "changes", entries.size());
        Map<String, SourceRecord> records = new LinkedHashMap<>();
        Map<String, List<Entry>> named = new LinkedHashMap<>();
        List<Entry> settled = new ArrayList<>();
        List<Entry> gap = new ArrayList<>();
        for (Entry entry : entries) {
            Change change = entry.change();
            String id = change.id().id();
            if (change.record() != null) {
                keepLatest(records, change.record());
                stats.add(STAGE, scope, "carried", 1);
                settled.add(entry);
            } else if (change.kind() == Change.Kind.GAP && "*".equals(id)) {
                gap.add(entry);
            } else if (change.kind() == Change.Kind.DELETED || change.kind() == Change.Kind.MERGED) {
                keepLatest(records, SourceRecord.deleted(stream, change.id(), change.changedAt(), ""));
                settled.add(entry);
            } else {
                named.computeIfAbsent(id, k -> new ArrayList<>()).add(entry);
            }
        }
        List<RejectedRecord> rejected = new ArrayList<>();
        List<String> ids = new ArrayList<>(named.keySet());
        for (int from = 0; from < ids.size(); from += FETCH_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + FETCH_CHUNK));
            List<Entry> chunkEntries = chunk.stream().flatMap(id -> named.get(id).stream()).toList();
            run.checkpoint();
            try {
                Fetched fetched = source.fetch(stream, chunk);
                fetched.items().forEach(record -> keepLatest(records, record));
                rejected.addAll(fetched.rejected());
                stats.add(STAGE, scope, "fetched", fetched.items().size());
                stats.add(STAGE, scope, "notFound", Math.max(0, chunk.size() - fetched.items().size()
                        - fetched.rejected().size()));
                settled.addAll(chunkEntries);
            } catch (UnsupportedOperationException e) {
                gap.addAll(chunkEntries);
            } catch (RunStoppedException e) {
                throw e;
            } catch (RuntimeException e) {
                unreadable(run, batch, stream, chunkEntries, "reading " + chunk.size() + " records of " + stream
                        + " by id failed: " + RunContext.describe(Failures.meaningful(e)), e);
            }
        }
        long distinct = entries.stream().map(entry -> entry.change().id().id()).distinct().count();
        stats.add(STAGE, scope, "coalesced", entries.size() - distinct);
        if (!settled.isEmpty()) {
            List<Long> doneIds = settled.stream().map(Entry::id).toList();
            pull.storeRecords(run, stream, new ArrayList<>(records.values()), rejected,
                    tx -> tx.changeInbox().done(doneIds, run.runId(), clock.instant()));
            batch.done(settled);
            noteLatency(settled, latencies);
        }
        if (!gap.isEmpty()) {
            readIncrementally(run, batch, source, stream, gap, latencies);
        }
    }

    /**
     * A gap, or named changes of a source that cannot read by id: the stream is read from its saved cursor as a
     * scheduled run reads it, without moving the cursor; the changes are done once the read is stored.
     */
    private void readIncrementally(RunContext run, EventBatch batch, SourceConnector source, StreamId stream,
                                   List<Entry> gap, List<Long> latencies) {
        run.stats().add(STAGE, stream.toString(), "gapReads", 1);
        try (Stream<Page<SourceRecord>> pages = pull.open(source, stream)) {
            pages.forEach(page -> {
                run.checkpoint();
                pull.storeRecords(run, stream, page.items(), page.rejected(), tx -> { });
            });
        } catch (RunStoppedException e) {
            throw e;
        } catch (RuntimeException e) {
            unreadable(run, batch, stream, gap, "reading " + stream + " incrementally for "
                    + gap.size() + " changes failed: " + RunContext.describe(Failures.meaningful(e)), e);
            return;
        }
        List<Long> doneIds = gap.stream().map(Entry::id).toList();
        store.useTransaction(tx -> tx.changeInbox().done(doneIds, run.runId(), clock.instant()));
        batch.done(gap);
        noteLatency(gap, latencies);
    }

    /** Changes whose records could not be read: tried again later, or after their attempts given up. */
    private void unreadable(RunContext run, EventBatch batch, StreamId stream, List<Entry> entries, String reason,
                            RuntimeException cause) {
        Instant now = clock.instant();
        List<Entry> again = entries.stream().filter(entry -> entry.attempts() + 1 < maxAttempts).toList();
        List<Entry> givenUp = entries.stream().filter(entry -> entry.attempts() + 1 >= maxAttempts).toList();
        store.useTransaction(tx -> {
            for (Entry entry : again) {
                Duration wait = Duration.ofSeconds(Math.min(300, 2L << Math.min(entry.attempts(), 8)));
                tx.changeInbox().retryLater(List.of(entry.id()), reason, now.plus(wait));
            }
            if (!givenUp.isEmpty()) {
                tx.changeInbox().failed(givenUp.stream().map(Entry::id).toList(), reason, run.runId(), now);
                for (Entry entry : givenUp) {
                    tx.deadLetters().add(run.runId(), STAGE, stream.source(), stream.stream(),
                            entry.change().id().id(), reason + " (given up after " + maxAttempts + " attempts)",
                            describe(entry.change()), now);
                }
            }
        });
        batch.retried(again);
        batch.failed(givenUp);
        run.stats().add(STAGE, stream.toString(), "retried", again.size());
        run.stats().add(STAGE, stream.toString(), "givenUp", givenUp.size());
        if (!again.isEmpty()) {
            // the run ends FAILED: some of its changes did not go through this time
            run.failed(STAGE + " " + stream, Failures.meaningful(cause));
        }
    }

    private void noteLatency(List<Entry> entries, List<Long> latencies) {
        Instant now = clock.instant();
        for (Entry entry : entries) {
            latencies.add(Math.max(0, Duration.between(entry.change().changedAt(), now).toMillis()));
        }
    }

    private static void keepLatest(Map<String, SourceRecord> records, SourceRecord record) {
        records.merge(record.id().id(), record, (a, b) -> b.modifiedAt().isBefore(a.modifiedAt()) ? a : b);
    }

    static long percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String describe(Change change) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("eventId", change.eventId());
        fields.put("stream", change.stream().toString());
        fields.put("id", change.id().id());
        fields.put("kind", change.kind().name());
        fields.put("changedAt", change.changedAt().toString());
        try {
            return JSON.writeValueAsString(fields);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
