package io.leadsync.routes.internal;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreResult;
import io.leadsync.identity.Survivorship;
import io.leadsync.identity.SurvivorshipRules;
import io.leadsync.routes.RunStats;
import io.leadsync.routes.ScoringService;
import io.leadsync.store.ProfileRepository.ProfileChange;
import io.leadsync.store.Store;
import io.leadsync.store.StoreTransaction;
import io.leadsync.store.StoredScore;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Score: scores the profiles whose records or activities changed (never all of them), stores each score whose
 * visible value changed with its reasons in the score history, marks the profile's CRM records for a push, and
 * records a crossing of the task threshold. A profile the model cannot score goes to the dead-letter store; the
 * others are scored.
 */
public final class ScoreStage {
    public static final String STAGE = "score";
    private static final int BATCH = 200;

    private final Store store;
    private final Clock clock;
    private final ScoringService scoring;
    private final ScoringService challenger;
    private final SurvivorshipRules survivorship;

    /**
     * @param challenger   a model scored beside the champion in shadow mode (stored, never pushed), or null
     * @param survivorship how a profile's golden record, the one scored, is built
     */
    public ScoreStage(Store store, Clock clock, ScoringService scoring, ScoringService challenger,
                      SurvivorshipRules survivorship) {
        this.store = store;
        this.clock = clock;
        this.scoring = scoring;
        this.challenger = challenger;
        this.survivorship = survivorship;
    }

    public synchronized void run(RunContext run) {
        Instant asOf = clock.instant();
        String after = null;
        while (true) {
            run.checkpoint();
            String from = after;
            List<ProfileChange> batch = store.inTransaction(tx -> tx.profiles().needingScore(from, BATCH));
            if (batch.isEmpty()) {
                break;
            }
            store.useTransaction(tx -> batch.forEach(change -> scoreOne(tx, run, change, asOf)));
            after = batch.get(batch.size() - 1).profileId();
        }
        run.stats().add(STAGE, "all", "model:" + scoring.modelId(), 0);
    }

    private void scoreOne(StoreTransaction tx, RunContext run, ProfileChange change, Instant asOf) {
        RunStats stats = run.stats();
        String profileId = change.profileId();
        List<Person> persons = tx.profiles().persons(profileId);
        if (persons.isEmpty()) {
            tx.profiles().markScored(change);
            stats.add(STAGE, "all", "withoutRecords", 1);
            return;
        }
        List<Activity> activities = tx.activities().forProfile(profileId);
        Person golden;
        ScoreResult result;
        try {
            golden = Survivorship.golden(persons, survivorship);
            result = scoring.score(golden, activities, asOf);
        } catch (RuntimeException e) {
            tx.deadLetters().add(run.runId(), STAGE, "scoring", null, profileId,
                    "profile " + profileId + " could not be scored with " + scoring.modelId() + ": "
                            + RunContext.describe(e), persons.get(0).id().toString(), clock.instant());
            tx.profiles().markScored(change);
            stats.add(STAGE, "all", "failed", 1);
            return;
        }
        Optional<StoredScore> previous = tx.scores().current(profileId);
        Instant now = clock.instant();
        if (challenger != null) {
            try {
                tx.models().saveChallengerScore(profileId, challenger.score(golden, activities, asOf), now);
                stats.add(STAGE, "all", "challengerScored", 1);
            } catch (RuntimeException e) {
                stats.add(STAGE, "all", "challengerFailed", 1);
            }
        }
        if (tx.scores().save(profileId, result, now, run.runId())) {
            tx.pushLedger().markProfilesPending(List.of(profileId));
            stats.add(STAGE, "all", "changed", 1);
        } else {
            stats.add(STAGE, "all", "unchanged", 1);
        }
        OptionalInt threshold = scoring.taskThreshold();
        if (threshold.isPresent() && result.score() >= threshold.getAsInt()
                && previous.map(p -> p.result().score() < threshold.getAsInt()).orElse(true)) {
            tx.scores().recordCrossing(profileId, threshold.getAsInt(), result.score(), result.modelVersion(), now);
            stats.add(STAGE, "all", "crossedTaskThreshold", 1);
        }
        tx.profiles().markScored(change);
        stats.add(STAGE, "all", "profiles", 1);
    }
}
