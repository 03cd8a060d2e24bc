package io.leadsync.routes.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.FollowUpTask;
import io.leadsync.connector.Person;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.ScoreResult;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.WriteField;
import io.leadsync.routes.RunStats;
import io.leadsync.routes.SyncJob;
import io.leadsync.store.PushLedgerRepository.PushCandidate;
import io.leadsync.store.Store;
import io.leadsync.store.StoredScore;
import io.leadsync.store.TaskRepository;
import io.leadsync.store.TaskRepository.PendingTask;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Push: writes to a sink only the values that differ from its push ledger, in vendor-sized batches, then creates
 * the follow-up tasks of new threshold crossings, at most one per crossing.
 *
 * <p>A record the sink refuses goes to the dead-letter store with the vendor's code and message, and the others
 * are written. If the sink fails as a whole (unreachable, budget spent), the records not yet written stay marked
 * and the next run pushes them.
 */
public final class PushStage {
    public static final String STAGE = "push";
    private static final int PAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Clock clock;

    public PushStage(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The canonical field values a score writes. */
    public static Map<String, String> fields(ScoreResult result) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(WriteField.SCORE, Integer.toString(result.score()));
        fields.put(WriteField.GRADE, result.grade());
        fields.put(WriteField.REASONS, result.reasonText());
        fields.put(WriteField.MODEL_VERSION, result.modelVersion());
        return fields;
    }

    public void run(RunContext run, SinkConnector sink, boolean tasksWanted) {
        String name = sink.descriptor().name();
        if (run.dryRun()) {
            // writes switched off: the same diff against the push ledger, counted instead of written
            pushScores(run, sink, name, Set.of());
            if (tasksWanted && sink.supportsTasks()) {
                countTasks(run, sink, name);
            }
            return;
        }
        long callsBefore = sink.requestCount().orElse(0);
        try {
            sink.prepare();
            Set<String> leftForLater = pushWhileScoring(run, sink, name);
            pushScores(run, sink, name, leftForLater);
            if (tasksWanted && sink.supportsTasks()) {
                createTasks(run, sink, name);
            }
        } finally {
            sink.requestCount().ifPresent(calls -> run.stats().add(STAGE, name, "apiCalls", calls - callsBefore));
        }
    }

    /**
     * While the score stage runs beside the push, sends the changes of the profiles whose new scores it has committed,
     * in full batches only (a run's write calls stay the fewest: the rest, and whatever else is pending, goes in the
     * pass after the stage, {@link #pushScores}). A record read here and not sent stays marked for that pass. Returns
     * the records the sink refused for now (left marked for the next run, as in that pass).
     */
    private Set<String> pushWhileScoring(RunContext run, SinkConnector sink, String name) {
        Set<String> leftForLater = new HashSet<>();
        if (!run.scoring()) {
            return leftForLater;
        }
        int batchSize = sink.maxBatchSize();
        List<FieldChange> ready = new ArrayList<>();
        int next = 0;
        while (true) {
            run.checkpoint();
            RunContext.Scored scored;
            try {
                scored = run.scoredSince(next, java.time.Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunStoppedException(run.runId(), "interrupted while waiting for scores");
            }
            next = scored.next();
            if (!scored.profiles().isEmpty()) {
                List<PushCandidate> candidates = store.inTransaction(tx -> tx.pushLedger().pendingOfProfiles(name,
                        scored.profiles()));
                for (PushCandidate candidate : candidates) {
                    Map<String, String> diff = diff(candidate);
                    if (!diff.isEmpty()) {
                        ready.add(new FieldChange(candidate.target(), diff));
                    }
                }
                while (ready.size() >= batchSize) {
                    List<FieldChange> batch = new ArrayList<>(ready.subList(0, batchSize));
                    ready.subList(0, batchSize).clear();
                    leftForLater.addAll(writeBatch(run, sink, name, batch));
                    run.stats().add(STAGE, name, "batchesBesideScoring", 1);
                }
            } else if (!scored.scoring()) {
                return leftForLater;
            }
        }
    }

    /** The fields of a candidate whose values differ from those last written (none if it has no score yet). */
    private static Map<String, String> diff(PushCandidate candidate) {
        Map<String, String> diff = new LinkedHashMap<>();
        if (candidate.score() == null) {
            return diff;
        }
        fields(candidate.score().result()).forEach((field, value) -> {
            if (!Objects.equals(candidate.written().get(field), value)) {
                diff.put(field, value);
            }
        });
        return diff;
    }

    /** Pushes every pending record's changes but those in {@code skip}. */
    private void pushScores(RunContext run, SinkConnector sink, String name, Set<String> skip) {
        RunStats stats = run.stats();
        String after = null;
        while (true) {
            String from = after;
            List<PushCandidate> candidates = store.inTransaction(tx -> tx.pushLedger().pending(name, from, PAGE));
            if (candidates.isEmpty()) {
                return;
            }
            after = candidates.get(candidates.size() - 1).target().id();
            List<FieldChange> changes = new ArrayList<>();
            List<String> current = new ArrayList<>();
            for (PushCandidate candidate : candidates) {
                if (skip.contains(candidate.target().id())) {
                    continue;
                }
                if (candidate.score() == null) {
                    stats.add(STAGE, name, "awaitingScore", 1);
                    continue;
                }
                Map<String, String> diff = diff(candidate);
                if (diff.isEmpty()) {
                    current.add(candidate.target().id());
                } else {
                    changes.add(new FieldChange(candidate.target(), diff));
                }
            }
            store.useTransaction(tx -> tx.pushLedger().clearPending(name, current));
            stats.add(STAGE, name, "alreadyCurrent", current.size());
            for (int start = 0; start < changes.size(); start += sink.maxBatchSize()) {
                List<FieldChange> batch = changes.subList(start, Math.min(changes.size(), start + sink.maxBatchSize()));
                if (run.dryRun()) {
                    run.checkpoint();
                    stats.add(STAGE, name, "wouldWrite", batch.size());
                    stats.add(STAGE, name, "wouldWriteFields", batch.stream().mapToLong(c -> c.fields().size()).sum());
                    stats.add(STAGE, name, "wouldCall", 1);
                } else {
                    writeBatch(run, sink, name, batch);
                }
            }
        }
    }

    /** Writes a batch and records what the sink did with each record; returns those it refused for now. */
    private List<String> writeBatch(RunContext run, SinkConnector sink, String name, List<FieldChange> batch) {
        run.checkpoint();
        List<RecordResult> results = sink.write(batch);
        if (results.size() != batch.size()) {
            throw new IllegalStateException(name + " returned " + results.size() + " results for " + batch.size()
                    + " records");
        }
        Instant now = clock.instant();
        RunStats stats = run.stats();
        List<String> later = new ArrayList<>();
        store.useTransaction(tx -> {
            later.clear();
            List<String> done = new ArrayList<>(batch.size());
            Map<String, Map<String, String>> written = new LinkedHashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                FieldChange change = batch.get(i);
                RecordResult result = results.get(i);
                if (result.success()) {
                    written.put(change.target().id(), change.fields());
                    stats.add(STAGE, name, "written", 1);
                } else if (result.transientFailure()) {
                    // stays marked: the next run writes it again
                    stats.add(STAGE, name, "retryLater", 1);
                    later.add(change.target().id());
                    continue;
                } else {
                    tx.deadLetters().add(run.runId(), STAGE, name, null, change.target().id(),
                            result.errorCode() + ": " + result.message(), json(change.fields()), now);
                    stats.add(STAGE, name, "failed", 1);
                }
                done.add(change.target().id());
            }
            tx.pushLedger().recordWritten(name, written, now, run.runId());
            tx.pushLedger().clearPending(name, done);
        });
        stats.add(STAGE, name, "batches", 1);
        return later;
    }

    /**
     * The task outbox: first the tasks earlier attempts left PENDING (looked up in the CRM by their key, confirmed
     * if found, sent again if not), then the new crossings (reserved PENDING with their key and the exact task in the
     * transaction that records the attempt, then created in batches of the sink's size). A call that fails as a whole
     * leaves its tasks PENDING for the next run and fails the stage.
     */
    private void createTasks(RunContext run, SinkConnector sink, String name) {
        reconcile(run, sink, name);
        SyncJob.TaskPolicy policy = run.job().tasks();
        long after = 0;
        while (true) {
            run.checkpoint();
            long from = after;
            List<PendingTask> pending = store.inTransaction(tx -> tx.tasks().pending(name, from, sink.maxBatchSize()));
            if (pending.isEmpty()) {
                return;
            }
            after = pending.get(pending.size() - 1).crossingId();
            Instant now = clock.instant();
            List<TaskRepository.Reservation> wanted = new ArrayList<>();
            Map<Long, FollowUpTask> byCrossing = new LinkedHashMap<>();
            for (PendingTask task : pending) {
                Optional<Target> target = target(name, task.profileId());
                if (target.isEmpty()) {
                    continue;
                }
                FollowUpTask followUp = followUp(target.get(), policy, now, key(name, task));
                byCrossing.put(task.crossingId(), followUp);
                wanted.add(new TaskRepository.Reservation(task.crossingId(), followUp.person().id(), followUp.key(),
                        TaskPayload.write(followUp)));
            }
            if (wanted.isEmpty()) {
                continue;
            }
            List<TaskRepository.Reservation> reserved = store.inTransaction(tx -> tx.tasks().reserve(name, wanted,
                    now));
            if (!reserved.isEmpty()) {
                send(run, sink, name, reserved.stream().map(r -> new Outgoing(r.crossingId(),
                        byCrossing.get(r.crossingId()))).toList());
            }
        }
    }

    /**
     * What a dry run's push of tasks would do: the tasks left PENDING by earlier attempts (looked up, then sent again
     * if absent) and the new crossings, in calls of the sink's batch size.
     */
    private void countTasks(RunContext run, SinkConnector sink, String name) {
        RunStats stats = run.stats();
        long outstanding = 0;
        long after = 0;
        while (true) {
            long from = after;
            List<TaskRepository.OutboxTask> page = store.inTransaction(tx -> tx.tasks().outstanding(name, from,
                    sink.maxBatchSize()));
            if (page.isEmpty()) {
                break;
            }
            outstanding += page.size();
            after = page.get(page.size() - 1).crossingId();
        }
        long fresh = store.inTransaction(tx -> tx.tasks().pending(name, Integer.MAX_VALUE)).stream()
                .filter(task -> target(name, task.profileId()).isPresent()).count();
        long batch = sink.maxBatchSize();
        long lookups = sink.canFindTasks() ? (outstanding + batch - 1) / batch : 0;
        stats.add(STAGE, name, "tasksWouldCreate", fresh + outstanding);
        stats.add(STAGE, name, "wouldCall", lookups + (fresh + outstanding + batch - 1) / batch);
    }

    /** A task of the outbox on its way to the sink. */
    private record Outgoing(long crossingId, FollowUpTask task) {
    }

    /**
     * Tasks earlier attempts left PENDING: those tried {@link TaskRepository#MAX_ATTEMPTS} times go to the dead
     * letters with their last reason; the others are looked up in the CRM by key (the attempt may have created them)
     * and sent again if absent.
     */
    private void reconcile(RunContext run, SinkConnector sink, String name) {
        RunStats stats = run.stats();
        long after = 0;
        while (true) {
            run.checkpoint();
            long from = after;
            List<TaskRepository.OutboxTask> outstanding = store.inTransaction(tx -> tx.tasks().outstanding(name, from,
                    sink.maxBatchSize()));
            if (outstanding.isEmpty()) {
                return;
            }
            after = outstanding.get(outstanding.size() - 1).crossingId();
            Instant now = clock.instant();
            List<Outgoing> retry = new ArrayList<>();
            store.useTransaction(tx -> {
                for (TaskRepository.OutboxTask task : outstanding) {
                    if (task.attempts() >= TaskRepository.MAX_ATTEMPTS || !sink.canFindTasks()) {
                        String reason = task.attempts() >= TaskRepository.MAX_ATTEMPTS
                                ? "gave up after " + task.attempts() + " attempts: " + task.lastError()
                                : name + " cannot look tasks up, so whether an interrupted attempt created this task"
                                        + " is unknown; check the CRM (" + task.key() + ") before creating it by hand";
                        tx.tasks().markFailed(name, task.crossingId(), reason, now);
                        tx.deadLetters().add(run.runId(), "task", name, null, task.recordId(), reason, task.payload(),
                                now);
                        stats.add(STAGE, name, "tasksFailed", 1);
                    } else {
                        retry.add(new Outgoing(task.crossingId(), TaskPayload.read(task.payload())));
                    }
                }
            });
            if (retry.isEmpty()) {
                continue;
            }
            Map<String, String> found = sink.findTasks(retry.stream().map(Outgoing::task).toList());
            List<Outgoing> absent = retry.stream().filter(task -> !found.containsKey(task.task().key())).toList();
            store.useTransaction(tx -> {
                for (Outgoing task : retry) {
                    String taskId = found.get(task.task().key());
                    if (taskId != null) {
                        tx.tasks().markConfirmed(name, task.crossingId(), taskId, now);
                        stats.add(STAGE, name, "tasksReconciled", 1);
                    }
                }
                tx.tasks().recordAttempt(name, absent.stream().map(Outgoing::crossingId).toList(), now);
            });
            if (!absent.isEmpty()) {
                send(run, sink, name, absent);
            }
        }
    }

    /** Sends tasks whose attempt is recorded; records each answer, or the failure of the whole call. */
    private void send(RunContext run, SinkConnector sink, String name, List<Outgoing> outgoing) {
        RunStats stats = run.stats();
        List<RecordResult> results;
        try {
            results = sink.createTasks(outgoing.stream().map(Outgoing::task).toList());
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            store.useTransaction(tx -> tx.tasks().recordError(name, outgoing.stream().map(Outgoing::crossingId)
                    .toList(), reason, clock.instant()));
            stats.add(STAGE, name, "tasksPending", outgoing.size());
            throw e;
        }
        store.useTransaction(tx -> {
            Instant now = clock.instant();
            for (int i = 0; i < outgoing.size(); i++) {
                Outgoing task = outgoing.get(i);
                RecordResult result = i < results.size() ? results.get(i)
                        : RecordResult.failed(task.task().person(), "NO_RESULT", "the sink returned no result");
                if (result.success()) {
                    tx.tasks().markConfirmed(name, task.crossingId(), result.createdId(), now);
                    stats.add(STAGE, name, "tasksCreated", 1);
                } else {
                    String reason = result.errorCode() + ": " + result.message();
                    tx.tasks().markFailed(name, task.crossingId(), reason, now);
                    tx.deadLetters().add(run.runId(), "task", name, null, task.task().person().id(), reason,
                            TaskPayload.write(task.task()), now);
                    stats.add(STAGE, name, "tasksFailed", 1);
                }
            }
        });
    }

    /**
     * The idempotency key of a crossing's task in a sink: {@code ls-} and 12 hex digits of a hash of sink, crossing,
     * profile and time, the same on every attempt and unlike any other deployment's.
     */
    static String key(String sink, PendingTask task) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest((sink + "|" + task.crossingId()
                    + "|" + task.profileId() + "|" + task.crossedAt()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "ls-" + java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The person record a task goes to: the profile's most recently updated record in this sink. */
    private record Target(Person person, StoredScore score) {
    }

    private Optional<Target> target(String sink, String profileId) {
        return store.inTransaction(tx -> {
            Optional<StoredScore> score = tx.scores().current(profileId);
            Optional<Person> person = tx.profiles().persons(profileId).stream()
                    .filter(p -> p.id().source().equals(sink))
                    .max(Comparator.comparing(Person::updatedAt).thenComparing(Person::id, Comparator.reverseOrder()));
            return person.isPresent() && score.isPresent() ? Optional.of(new Target(person.get(), score.get()))
                    : Optional.empty();
        });
    }

    private static FollowUpTask followUp(Target target, SyncJob.TaskPolicy policy, Instant now, String key) {
        Person person = target.person();
        ScoreResult result = target.score().result();
        String name = List.of(Optional.ofNullable(person.firstName()), Optional.ofNullable(person.lastName())).stream()
                .flatMap(Optional::stream).reduce((a, b) -> a + " " + b)
                .orElse(person.email() != null ? person.email() : "contact " + person.id().id());
        String company = person.company() == null ? "" : " (" + person.company() + ")";
        String subject = "Hot lead: " + name + company + " scored " + result.score() + " (grade " + result.grade() + ")";
        String reasons = result.reasonText().length() > 4000 ? result.reasonText().substring(0, 4000) + "…"
                : result.reasonText();
        String body = "leadsync scored this lead " + result.score() + " (grade " + result.grade() + ") with model "
                + result.modelVersion() + ".\nWhy: " + reasons + "\n\n" + FollowUpTask.REF + key;
        ExternalId who = person.id();
        return new FollowUpTask(who, subject.length() > 255 ? subject.substring(0, 255) : subject, body,
                policy.priority(), now.plus(policy.dueIn()), person.ownerId(), key);
    }

    private static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            return fields.toString();
        }
    }
}
