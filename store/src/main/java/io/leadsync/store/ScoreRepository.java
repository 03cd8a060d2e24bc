package io.leadsync.store;

import io.leadsync.connector.ScoreResult;
import io.leadsync.store.internal.CanonicalJson;
import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Current scores, their history (every change with the model and reasons that produced it) and threshold
 * crossings.
 */
public final class ScoreRepository {
    private final Connection connection;

    ScoreRepository(Connection connection) {
        this.connection = connection;
    }

    public Optional<StoredScore> current(String profileId) {
        return Optional.ofNullable(current(List.of(profileId)).get(profileId));
    }

    /** The current scores of the profiles, by profile id; a profile never scored is absent. */
    public Map<String, StoredScore> current(Collection<String> profileIds) {
        Map<String, StoredScore> result = new HashMap<>();
        Sql.queryByKeys(connection, "select s.* from {keys} join profile_scores s on s.profile_id = k.id",
                profileIds, ScoreRepository::map).forEach(score -> result.put(score.profileId(), score));
        return result;
    }

    /** A profile's new score, to {@link #save(List, Instant, Long)}. */
    public record NewScore(String profileId, ScoreResult result) {
    }

    /**
     * Stores a profile's score. When anything a CRM user sees differs from the current score (score, grade, stage,
     * model, reasons), the change is also appended to the history; otherwise only the scoring time moves.
     *
     * @return true if the score changed
     */
    public boolean save(String profileId, ScoreResult result, Instant now, Long runId) {
        return !save(List.of(new NewScore(profileId, result)), now, runId).isEmpty();
    }

    /**
     * {@link #save(String, ScoreResult, Instant, Long)} for several profiles (each at most once), in batches.
     *
     * @return the ids of the profiles whose score changed
     */
    public Set<String> save(List<NewScore> scores, Instant now, Long runId) {
        Map<String, StoredScore> current = current(scores.stream().map(NewScore::profileId).toList());
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> touches = new ArrayList<>();
        List<Object[]> history = new ArrayList<>();
        Set<String> changed = new LinkedHashSet<>();
        for (NewScore score : scores) {
            StoredScore stored = current.get(score.profileId());
            ScoreResult result = score.result();
            String reasons = CanonicalJson.write(result.reasons());
            if (stored == null) {
                inserts.add(new Object[] {score.profileId(), result.score(), result.grade(), Sql.text(result.stage()),
                    result.modelVersion(), result.reasonText(), reasons, now, now});
            } else if (!sameForUsers(stored.result(), result)) {
                updates.add(new Object[] {result.score(), result.grade(), Sql.text(result.stage()),
                    result.modelVersion(), result.reasonText(), reasons, now, now, score.profileId()});
            } else {
                touches.add(new Object[] {now, score.profileId()});
                continue;
            }
            changed.add(score.profileId());
            history.add(new Object[] {score.profileId(), result.score(), result.grade(), Sql.text(result.stage()),
                result.modelVersion(), result.reasonText(), reasons, now, Sql.bigint(runId)});
        }
        Sql.batch(connection, "insert into profile_scores (profile_id, score, grade, stage, model_version,"
                + " reason_text, reasons, scored_at, changed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", inserts);
        Sql.batch(connection, "update profile_scores set score = ?, grade = ?, stage = ?, model_version = ?,"
                + " reason_text = ?, reasons = ?, scored_at = ?, changed_at = ? where profile_id = ?", updates);
        Sql.batch(connection, "update profile_scores set scored_at = ? where profile_id = ?", touches);
        Sql.batch(connection, "insert into score_history (profile_id, score, grade, stage, model_version,"
                + " reason_text, reasons, changed_at, run_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", history);
        return changed;
    }

    /** Every change of a profile's score, oldest first. */
    public List<StoredScore> history(String profileId) {
        return Sql.query(connection, "select profile_id, score, grade, stage, model_version, reason_text, reasons,"
                        + " changed_at as scored_at, changed_at from score_history where profile_id = ? order by id",
                ScoreRepository::map, profileId);
    }

    /** Records that a profile's score rose to or above a task threshold; returns the crossing's id. */
    public long recordCrossing(String profileId, int threshold, int score, String modelVersion, Instant now) {
        return Sql.insertReturningId(connection, "insert into threshold_crossings (profile_id, threshold, score,"
                        + " model_version, crossed_at) values (?, ?, ?, ?, ?)", "crossing_id",
                profileId, threshold, score, modelVersion, now);
    }

    public long countCrossings() {
        return Sql.count(connection, "select count(*) from threshold_crossings");
    }

    /** How many profiles hold each grade. */
    public Map<String, Long> gradeCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        Sql.query(connection, "select grade, count(*) from profile_scores group by grade order by grade",
                row -> Map.entry(row.getString(1), row.getLong(2))).forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    /** Whether two scores look the same in a CRM: score, grade, stage, model and reasons text. */
    public static boolean sameForUsers(ScoreResult a, ScoreResult b) {
        return a.score() == b.score() && a.grade().equals(b.grade()) && Objects.equals(a.stage(), b.stage())
                && a.modelVersion().equals(b.modelVersion()) && a.reasonText().equals(b.reasonText());
    }

    static StoredScore map(ResultSet row) throws SQLException {
        ScoreResult result = new ScoreResult(row.getInt("score"), row.getString("grade"), row.getString("stage"),
                row.getString("model_version"), CanonicalJson.reasons(row.getString("reasons")),
                row.getString("reason_text"));
        return new StoredScore(row.getString("profile_id"), result, Sql.instant(row, "scored_at"),
                Sql.instant(row, "changed_at"));
    }
}
