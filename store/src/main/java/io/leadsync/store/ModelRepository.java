package io.leadsync.store;

import io.leadsync.connector.ScoreResult;
import io.leadsync.store.internal.CanonicalJson;
import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Model roll-out: activations of scoring models, and a challenger's shadow scores. */
public final class ModelRepository {
    private final Connection connection;

    ModelRepository(Connection connection) {
        this.connection = connection;
    }

    /** A model put into service. */
    public record Activation(long id, String modelVersion, String previousVersion, String sourceFile,
                             long profilesMarked, Instant activatedAt) {
    }

    public long recordActivation(String modelVersion, String previousVersion, String sourceFile, long profilesMarked,
                                 Instant now) {
        return Sql.insertReturningId(connection, "insert into model_activations (model_version, previous_version,"
                        + " source_file, profiles_marked, activated_at) values (?, ?, ?, ?, ?)", "id", modelVersion,
                Sql.text(previousVersion), Sql.text(sourceFile), profilesMarked, now);
    }

    public List<Activation> activations(int limit) {
        return Sql.query(connection, "select * from model_activations order by id desc limit ?",
                row -> new Activation(row.getLong("id"), row.getString("model_version"),
                        row.getString("previous_version"), row.getString("source_file"), row.getLong("profiles_marked"),
                        Sql.instant(row, "activated_at")), limit);
    }

    /** A stored recalibration report: the model it checked, whether it found drift, the report as JSON. */
    public record Recalibration(long id, String modelVersion, boolean drifted, String report, Instant createdAt) {
    }

    public long recordRecalibration(String modelVersion, boolean drifted, String report, Instant now) {
        return Sql.insertReturningId(connection, "insert into recalibration_reports (model_version, drifted, report,"
                + " created_at) values (?, ?, ?, ?)", "id", modelVersion, drifted, report, now);
    }

    /** The latest recalibration reports, newest first. */
    public List<Recalibration> recalibrations(int limit) {
        return Sql.query(connection, "select * from recalibration_reports order by id desc limit ?",
                row -> new Recalibration(row.getLong("id"), row.getString("model_version"), row.getBoolean("drifted"),
                        row.getString("report"), Sql.instant(row, "created_at")), limit);
    }

    /** Whether any profile has a shadow score of this challenger version. */
    public boolean hasChallengerScores(String modelVersion) {
        return Sql.one(connection, "select 1 from challenger_scores where model_version = ? limit 1",
                row -> true, modelVersion).isPresent();
    }

    /** Stores a challenger's score of a profile (replacing its previous one). */
    public void saveChallengerScore(String profileId, ScoreResult result, Instant now) {
        Sql.update(connection, """
                merge into challenger_scores t
                using (values (cast(? as varchar(40)), cast(? as varchar(120)), cast(? as integer),
                    cast(? as varchar(16)), cast(? as varchar(32)), cast(? as text), cast(? as text),
                    cast(? as timestamp with time zone))) as s(profile_id, model_version, score, grade, stage,
                    reason_text, reasons, scored_at)
                on t.profile_id = s.profile_id and t.model_version = s.model_version
                when matched then update set score = s.score, grade = s.grade, stage = s.stage,
                    reason_text = s.reason_text, reasons = s.reasons, scored_at = s.scored_at
                when not matched then insert (profile_id, model_version, score, grade, stage, reason_text, reasons,
                    scored_at) values (s.profile_id, s.model_version, s.score, s.grade, s.stage, s.reason_text,
                    s.reasons, s.scored_at)
                """, profileId, result.modelVersion(), result.score(), result.grade(), Sql.text(result.stage()),
                result.reasonText(), CanonicalJson.write(result.reasons()), now);
    }

    public Optional<StoredScore> challengerScore(String profileId, String modelVersion) {
        return Sql.one(connection, "select profile_id, score, grade, stage, model_version, reason_text, reasons,"
                        + " scored_at, scored_at as changed_at from challenger_scores where profile_id = ?"
                        + " and model_version = ?", ScoreRepository::map, profileId, modelVersion);
    }

    /** Every profile's current champion score beside a challenger's, where both exist. */
    public List<ScorePair> pairs(String challengerVersion) {
        return Sql.query(connection, """
                select s.profile_id, s.score as champion, c.score as challenger
                from profile_scores s join challenger_scores c on c.profile_id = s.profile_id
                where c.model_version = ?
                order by s.profile_id
                """, row -> new ScorePair(row.getString(1), row.getInt(2), row.getInt(3)), challengerVersion);
    }

    public record ScorePair(String profileId, int champion, int challenger) {
    }
}
