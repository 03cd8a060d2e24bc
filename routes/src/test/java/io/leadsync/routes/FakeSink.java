package io.leadsync.routes;

import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.FollowUpTask;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.SinkConnector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** An in-memory sink with a vendor-like batch limit; records what it was asked to write. */
final class FakeSink implements SinkConnector {
    final String name;
    final int maxBatch;
    final Map<String, Map<String, String>> values = new ConcurrentHashMap<>();
    final Map<String, Integer> writesPerRecord = new ConcurrentHashMap<>();
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    final List<FollowUpTask> tasks = new CopyOnWriteArrayList<>();
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** Records the fake CRM cannot write once (locked by another transaction), then can. */
    final Set<String> lockedOnce = ConcurrentHashMap.newKeySet();
    final AtomicLong calls = new AtomicLong();
    /** Task calls to fail as a whole before creating anything (the vendor refused or could not be reached). */
    volatile int failTaskCallsBefore;
    /** Task calls that create their tasks, then fail as if the answer was lost on the way back. */
    volatile int loseTaskAnswers;

    FakeSink(String name, int maxBatch) {
        this.name = name;
        this.maxBatch = maxBatch;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor("fake", name, List.of(), 1,
                Set.of(ConnectorDescriptor.Capability.WRITE, ConnectorDescriptor.Capability.TASKS));
    }

    @Override
    public CheckResult check() {
        return CheckResult.success("fake");
    }

    @Override
    public int maxBatchSize() {
        return maxBatch;
    }

    @Override
    public OptionalLong requestCount() {
        return OptionalLong.of(calls.get());
    }

    @Override
    public List<RecordResult> write(List<FieldChange> changes) {
        if (changes.size() > maxBatch) {
            throw new AssertionError("a batch of " + changes.size() + " exceeds the limit of " + maxBatch);
        }
        calls.incrementAndGet();
        batchSizes.add(changes.size());
        List<RecordResult> results = new ArrayList<>();
        for (FieldChange change : changes) {
            String id = change.target().id();
            if (lockedOnce.remove(id)) {
                results.add(RecordResult.failedForNow(change.target(), "UNABLE_TO_LOCK_ROW",
                        "unable to obtain exclusive access to this record"));
                continue;
            }
            if (refused.contains(id)) {
                results.add(RecordResult.failed(change.target(), "INVALID_FIELD", "value refused for " + id));
                continue;
            }
            values.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).putAll(change.fields());
            writesPerRecord.merge(id, 1, Integer::sum);
            results.add(RecordResult.written(change.target()));
        }
        return results;
    }

    @Override
    public boolean supportsTasks() {
        return true;
    }

    @Override
    public List<RecordResult> createTasks(List<FollowUpTask> newTasks) {
        calls.incrementAndGet();
        if (failTaskCallsBefore > 0) {
            failTaskCallsBefore--;
            throw new io.leadsync.connector.ConnectorException("fake CRM answered 503 to the task call after 5 attempts");
        }
        List<RecordResult> results = new ArrayList<>();
        for (FollowUpTask task : newTasks) {
            tasks.add(task);
            results.add(RecordResult.created(task.person(), "task-" + tasks.size()));
        }
        if (loseTaskAnswers > 0) {
            loseTaskAnswers--;
            throw new io.leadsync.connector.ConnectorException("fake CRM: connection reset reading the answer");
        }
        return results;
    }

    @Override
    public boolean canFindTasks() {
        return true;
    }

    @Override
    public Map<String, String> findTasks(List<FollowUpTask> wanted) {
        calls.incrementAndGet();
        Map<String, String> found = new java.util.HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            for (FollowUpTask want : wanted) {
                if (want.key() != null && tasks.get(i).body().contains(want.key())) {
                    found.put(want.key(), "task-" + (i + 1));
                }
            }
        }
        return found;
    }
}
