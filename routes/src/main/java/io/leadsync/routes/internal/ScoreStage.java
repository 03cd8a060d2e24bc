package io.leadsync.routes.internal;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreResult;
import io.leadsync.identity.Survivorship;
import io.leadsync.identity.SurvivorshipRules;
import io.leadsync.routes.RunStats;
import io.leadsync.routes.ScoringService;
import io.leadsync.store.ProfileRepository.ProfileChange;
import io.leadsync.store.ScoreRepository;
import io.leadsync.store.Store;
import io.leadsync.store.StoreTransaction;
import io.leadsync.store.StoredScore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Score: scores the profiles whose records or activities changed (never all of them), stores each score whose
 * visible value changed with its reasons in the score history, marks the profile's CRM records for a push, and
 * records a crossing of the task threshold. A profile the model cannot score goes to the dead-letter store; the
 * others are scored. Each batch's changed profiles are handed to the run as it commits ({@link RunContext#scored}),
 * for the pushes that run beside the stage.
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
            Set<String> changed = store.inTransaction(tx -> scoreBatch(tx, run, batch, asOf));
            run.scored(changed);   // committed: the pushes beside the stage may send them now
            after = batch.get(batch.size() - 1).profileId();
        }
        run.stats().add(STAGE, "all", "model:" + scoring.modelId(), 0);
    }

    /**
     * Scores a batch of profiles set-wise: their records, activities and current scores read in one query each,
     * the new scores, push marks and scored marks written in JDBC batches. Returns the profiles whose scores changed.
     */
    private Set<String> scoreBatch(StoreTransaction tx, RunContext run, List<ProfileChange> batch, Instant asOf) {
        RunStats stats = run.stats();
        List<String> ids = batch.stream().map(ProfileChange::profileId).toList();
        Map<String, List<Person>> persons = tx.profiles().persons(ids);
        Map<String, List<Activity>> activities = tx.activities().forProfiles(ids);
        Map<String, StoredScore> previous = tx.scores().current(ids);
        Instant now = clock.instant();
        List<ScoreRepository.NewScore> scored = new ArrayList<>(batch.size());
        for (ProfileChange change : batch) {
            String profileId = change.profileId();
            List<Person> records = persons.getOrDefault(profileId, List.of());
            if (records.isEmpty()) {
                stats.add(STAGE, "all", "withoutRecords", 1);
                continue;
            }
            List<Activity> profileActivities = activities.getOrDefault(profileId, List.of());
            Person golden;
            ScoreResult result;
            try {
                golden = Survivorship.golden(records, survivorship);
                result = scoring.score(golden, profileActivities, asOf);
            } catch (RuntimeException e) {
                tx.deadLetters().add(run.runId(), STAGE, "scoring", null, profileId,
                        "profile " + profileId + " could not be scored with " + scoring.modelId() + ": "
                                + RunContext.describe(e), records.get(0).id().toString(), clock.instant());
                stats.add(STAGE, "all", "failed", 1);
                continue;
            }
            if (challenger != null) {
                try {
                    tx.models().saveChallengerScore(profileId, challenger.score(golden, profileActivities, asOf), now);
                    stats.add(STAGE, "all", "challengerScored", 1);
                } catch (RuntimeException e) {
                    stats.add(STAGE, "all", "challengerFailed", 1);
                }
            }
            scored.add(new ScoreRepository.NewScore(profileId, result));
            OptionalInt threshold = scoring.taskThreshold();
            StoredScore before = previous.get(profileId);
            if (threshold.isPresent() && result.score() >= threshold.getAsInt()
                    && (before == null || before.result().score() < threshold.getAsInt())) {
                tx.scores().recordCrossing(profileId, threshold.getAsInt(), result.score(), result.modelVersion(),
                        now);
                stats.add(STAGE, "all", "crossedTaskThreshold", 1);
            }
            stats.add(STAGE, "all", "profiles", 1);
        }
        Set<String> changed = tx.scores().save(scored, now, run.runId());
        tx.pushLedger().markProfilesPending(changed);
        stats.add(STAGE, "all", "changed", changed.size());
        stats.add(STAGE, "all", "unchanged", scored.size() - changed.size());
        tx.profiles().markScored(batch);
        return changed;
    }
}
