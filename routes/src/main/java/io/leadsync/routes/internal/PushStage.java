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
        long callsBefore = sink.requestCount().orElse(0);
        try {
            sink.prepare();
            pushScores(run, sink, name);
            if (tasksWanted && sink.supportsTasks()) {
                createTasks(run, sink, name);
            }
        } finally {
            sink.requestCount().ifPresent(calls -> run.stats().add(STAGE, name, "apiCalls", calls - callsBefore));
        }
    }

    private void pushScores(RunContext run, SinkConnector sink, String name) {
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
                if (candidate.score() == null) {
                    stats.add(STAGE, name, "awaitingScore", 1);
                    continue;
                }
                Map<String, String> diff = new LinkedHashMap<>();
                fields(candidate.score().result()).forEach((field, value) -> {
                    if (!Objects.equals(candidate.written().get(field), value)) {
                        diff.put(field, value);
                    }
                });
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
                writeBatch(run, sink, name, batch);
            }
        }
    }

    private void writeBatch(RunContext run, SinkConnector sink, String name, List<FieldChange> batch) {
        run.checkpoint();
        List<RecordResult> results = sink.write(batch);
        if (results.size() != batch.size()) {
            throw new IllegalStateException(name + " returned " + results.size() + " results for " + batch.size()
                    + " records");
        }
        Instant now = clock.instant();
        RunStats stats = run.stats();
        store.useTransaction(tx -> {
            List<String> done = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                FieldChange change = batch.get(i);
                RecordResult result = results.get(i);
                if (result.success()) {
                    tx.pushLedger().recordWritten(name, change.target().id(), change.fields(), now, run.runId());
                    stats.add(STAGE, name, "written", 1);
                } else {
                    tx.deadLetters().add(run.runId(), STAGE, name, null, change.target().id(),
                            result.errorCode() + ": " + result.message(), json(change.fields()), now);
                    stats.add(STAGE, name, "failed", 1);
                }
                done.add(change.target().id());
            }
            tx.pushLedger().clearPending(name, done);
        });
        stats.add(STAGE, name, "batches", 1);
    }

    private void createTasks(RunContext run, SinkConnector sink, String name) {
        RunStats stats = run.stats();
        SyncJob.TaskPolicy policy = run.job().tasks();
        Set<Long> seen = new HashSet<>();
        while (true) {
            List<PendingTask> pending = store.inTransaction(tx -> tx.tasks().pending(name, sink.maxBatchSize()));
            pending = pending.stream().filter(task -> seen.add(task.crossingId())).toList();
            if (pending.isEmpty()) {
                return;
            }
            // reserve a batch, then create it in as few calls as the sink allows (200 tasks a call at Salesforce)
            List<PendingTask> reserved = new ArrayList<>();
            List<FollowUpTask> followUps = new ArrayList<>();
            for (PendingTask task : pending) {
                Optional<Target> target = target(name, task.profileId());
                if (target.isEmpty()) {
                    continue;
                }
                Instant now = clock.instant();
                boolean isReserved = store.inTransaction(tx -> tx.tasks().reserve(name, task.crossingId(),
                        target.get().person().id().id(), now));
                if (isReserved) {
                    reserved.add(task);
                    followUps.add(followUp(target.get(), policy, now));
                }
            }
            if (reserved.isEmpty()) {
                continue;
            }
            List<RecordResult> results = sink.createTasks(followUps);
            store.useTransaction(tx -> {
                for (int i = 0; i < reserved.size(); i++) {
                    PendingTask task = reserved.get(i);
                    FollowUpTask followUp = followUps.get(i);
                    RecordResult result = i < results.size() ? results.get(i)
                            : RecordResult.failed(followUp.person(), "NO_RESULT", "the sink returned no result");
                    if (result.success()) {
                        tx.tasks().markCreated(name, task.crossingId(), result.createdId(), clock.instant());
                        stats.add(STAGE, name, "tasksCreated", 1);
                    } else {
                        String reason = result.errorCode() + ": " + result.message();
                        tx.tasks().markFailed(name, task.crossingId(), reason, clock.instant());
                        tx.deadLetters().add(run.runId(), "task", name, null, followUp.person().id(), reason,
                                followUp.subject(), clock.instant());
                        stats.add(STAGE, name, "tasksFailed", 1);
                    }
                }
            });
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

    private static FollowUpTask followUp(Target target, SyncJob.TaskPolicy policy, Instant now) {
        Person person = target.person();
        ScoreResult result = target.score().result();
        String name = List.of(Optional.ofNullable(person.firstName()), Optional.ofNullable(person.lastName())).stream()
                .flatMap(Optional::stream).reduce((a, b) -> a + " " + b)
                .orElse(person.email() != null ? person.email() : "contact " + person.id().id());
        String company = person.company() == null ? "" : " (" + person.company() + ")";
        String subject = "Hot lead: " + name + company + " scored " + result.score() + " (grade " + result.grade() + ")";
        String body = "leadsync scored this lead " + result.score() + " (grade " + result.grade() + ") with model "
                + result.modelVersion() + ".\nWhy: " + result.reasonText();
        ExternalId who = person.id();
        return new FollowUpTask(who, subject.length() > 255 ? subject.substring(0, 255) : subject, body,
                policy.priority(), now.plus(policy.dueIn()), person.ownerId());
    }

    private static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            return fields.toString();
        }
    }
}
