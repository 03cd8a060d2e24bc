package io.leadsync.routes.internal;

import io.leadsync.store.ChangeInboxRepository;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The changes one event run takes from the inbox, and what became of each: stored (marked done), waiting for a
 * retry, or given up (dead letters). Travels with the Camel exchange as a property.
 */
public final class EventBatch {
    public static final String PROPERTY = "leadsync.changes";

    private final List<ChangeInboxRepository.Entry> entries;
    private final long duplicates;
    private final Set<Long> done = ConcurrentHashMap.newKeySet();
    private final Set<Long> retried = ConcurrentHashMap.newKeySet();
    private final Set<Long> failed = ConcurrentHashMap.newKeySet();

    /**
     * @param entries    the pending changes, oldest first
     * @param duplicates repeats the intake refused since the previous event run (reported in this run's stats)
     */
    public EventBatch(List<ChangeInboxRepository.Entry> entries, long duplicates) {
        this.entries = List.copyOf(entries);
        this.duplicates = duplicates;
    }

    public List<ChangeInboxRepository.Entry> entries() {
        return entries;
    }

    public long duplicates() {
        return duplicates;
    }

    void done(List<ChangeInboxRepository.Entry> stored) {
        stored.forEach(entry -> done.add(entry.id()));
    }

    void retried(List<ChangeInboxRepository.Entry> waiting) {
        waiting.forEach(entry -> retried.add(entry.id()));
    }

    void failed(List<ChangeInboxRepository.Entry> givenUp) {
        givenUp.forEach(entry -> failed.add(entry.id()));
    }

    /** How many changes were stored and marked done. */
    public int doneCount() {
        return done.size();
    }

    /** How many changes are neither done, retried nor given up (the run stopped or its stage failed before them). */
    public int untouched() {
        return (int) entries.stream().filter(entry -> !done.contains(entry.id()) && !retried.contains(entry.id())
                && !failed.contains(entry.id())).count();
    }
}
