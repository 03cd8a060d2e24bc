package io.leadsync.app.ops;

import io.leadsync.app.LeadsyncConfig;
import io.leadsync.routes.SyncEngine;
import io.leadsync.routes.SyncJob;
import io.leadsync.store.DeadLetter;
import io.leadsync.store.DeadLetterRepository;
import io.leadsync.store.RunRecord;
import io.leadsync.store.Store;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dead letters for an operator: list, inspect, replay (as a run of the job they belong to; one that goes through is
 * resolved), discard. Used by the API and the command line alike.
 */
@Singleton
public class DeadLetterOps {
    private final Store store;
    private final SyncEngine engine;
    private final Clock clock;

    public DeadLetterOps(Store store, SyncEngine engine, Clock clock, LeadsyncConfig config) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
    }

    public List<DeadLetter> list(DeadLetterRepository.Filter filter, int limit) {
        return store.inTransaction(tx -> tx.deadLetters().list(filter, limit));
    }

    public Optional<DeadLetter> get(long id) {
        return store.inTransaction(tx -> tx.deadLetters().get(id));
    }

    /** What a replay or discard did to each letter, and the replay runs it took. */
    public record Outcome(Map<Long, String> letters, List<Long> resolved, List<Long> runs, List<String> problems) {
    }

    /**
     * Replays letters, grouped by the job they belong to (the job of the run that wrote them, else the first job
     * with their connector): one replay run per job.
     */
    public Outcome replay(List<DeadLetter> letters, String by) {
        Map<String, List<DeadLetter>> byJob = new LinkedHashMap<>();
        Map<Long, String> outcomes = new LinkedHashMap<>();
        for (DeadLetter letter : letters) {
            Optional<String> job = jobOf(letter);
            if (job.isEmpty()) {
                outcomes.put(letter.id(), "not replayed: no configured job uses " + letter.source());
            } else {
                byJob.computeIfAbsent(job.get(), j -> new ArrayList<>()).add(letter);
            }
        }
        List<Long> resolved = new ArrayList<>();
        List<Long> runs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        byJob.forEach((job, jobLetters) -> {
            SyncEngine.Replay replay = engine.replay(job, jobLetters, by);
            runs.add(replay.runId());
            if (!replay.started()) {
                problems.add(replay.message());
                jobLetters.forEach(letter -> outcomes.put(letter.id(), "not replayed: " + replay.message()));
                return;
            }
            outcomes.putAll(replay.outcomes());
            resolved.addAll(replay.resolved());
        });
        return new Outcome(outcomes, resolved, runs, problems);
    }

    /** Discards open letters (kept, marked DISCARDED, for the record). */
    public Outcome discard(List<DeadLetter> letters, String by) {
        Map<Long, String> outcomes = new LinkedHashMap<>();
        List<Long> resolved = new ArrayList<>();
        for (DeadLetter letter : letters) {
            boolean done = store.inTransaction(tx -> tx.deadLetters().resolve(letter.id(), DeadLetter.DISCARDED, by,
                    "discarded by " + by, clock.instant()));
            outcomes.put(letter.id(), done ? "discarded" : "not discarded: it is "
                    + letter.status().toLowerCase(java.util.Locale.ROOT));
            if (done) {
                resolved.add(letter.id());
            }
        }
        return new Outcome(outcomes, resolved, List.of(), List.of());
    }

    private Optional<String> jobOf(DeadLetter letter) {
        if (letter.runId() != null) {
            Optional<String> job = store.inTransaction(tx -> tx.runs().get(letter.runId())).map(RunRecord::job)
                    .filter(name -> engine.job(name).isPresent());
            if (job.isPresent()) {
                return job;
            }
        }
        for (String name : engine.jobNames()) {
            SyncJob job = engine.job(name).orElseThrow();
            boolean uses = letter.stage().equals("score") ? !job.sinks().isEmpty()
                    : job.sinks().stream().anyMatch(s -> s.descriptor().name().equals(letter.source()))
                    || job.sources().stream().anyMatch(s -> s.descriptor().name().equals(letter.source()));
            if (uses) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
