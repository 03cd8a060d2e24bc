package io.leadsync.app;

import io.leadsync.connector.Change;
import io.leadsync.routes.ChangeIntake;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ChangeIntake} that records what the endpoints hand it, in place of the engine's (which refuses every
 * batch until the event path is switched on); de-duplicates by stream and event id as the real one promises, and
 * can be told to fail the next calls (a store that cannot take them) to see senders retry.
 */
final class RecordingIntake implements ChangeIntake {
    static final RecordingIntake INSTANCE = new RecordingIntake();

    final List<Change> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    private final Set<String> seen = new HashSet<>();
    volatile Set<String> unknownSources = Set.of();

    @Override
    public synchronized Receipt accept(List<Change> changes) {
        calls.incrementAndGet();
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("the inbox table is locked");
        }
        for (Change change : changes) {
            if (unknownSources.contains(change.stream().source())) {
                throw new IllegalArgumentException("no job reads source " + change.stream().source());
            }
        }
        int duplicates = 0;
        for (Change change : changes) {
            if (seen.add(change.stream() + "|" + change.eventId())) {
                accepted.add(change);
            } else {
                duplicates++;
            }
        }
        return new Receipt(changes.size() - duplicates, duplicates);
    }

    synchronized void reset() {
        accepted.clear();
        seen.clear();
        failNext.set(0);
        calls.set(0);
        unknownSources = Set.of();
    }

    /** Puts the recording intake in place of the engine's, in tests that set {@code test.recording-intake}. */
    @Factory
    @Requires(property = "test.recording-intake", value = "true")
    static class Beans {
        @Singleton
        @Replaces(value = ChangeIntake.class, factory = LeadsyncFactory.class)
        ChangeIntake recording() {
            return INSTANCE;
        }
    }
}
