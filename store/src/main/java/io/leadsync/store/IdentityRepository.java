package io.leadsync.store;

import io.leadsync.connector.ExternalId;
import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Blocking keys of linked person records, and possible matches kept for review. */
public final class IdentityRepository {
    /** At most this many profiles are returned per lookup: a key shared by more is no help in telling people apart. */
    public static final int MAX_CANDIDATES = 20;

    private final Connection connection;

    IdentityRepository(Connection connection) {
        this.connection = connection;
    }

    /**
     * A possible match kept for review.
     *
     * @param record      the person record
     * @param profileId   the profile it was linked to
     * @param candidateId the profile it may also be
     * @param probability that it is
     * @param evidence    which fields agree and differ
     * @param createdAt   when it was found
     */
    public record Review(ExternalId record, String profileId, String candidateId, double probability, String evidence,
                         Instant createdAt) {
    }

    /** Replaces a record's blocking keys (its profile may have changed, or its values). */
    public void saveKeys(ExternalId record, String profileId, Collection<String> keys) {
        Sql.update(connection, "delete from identity_keys where source = ? and record_id = ?", record.source(),
                record.id());
        List<Object[]> rows = new ArrayList<>();
        for (String key : keys) {
            rows.add(new Object[] {key, record.source(), record.id(), profileId});
        }
        if (!rows.isEmpty()) {
            Sql.batch(connection, "insert into identity_keys (block_key, source, record_id, profile_id)"
                    + " values (?, ?, ?, ?)", rows);
        }
    }

    /** Profiles holding a record with one of the keys, oldest key holder first, at most {@link #MAX_CANDIDATES}. */
    public List<String> profilesWithKeys(Collection<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        return Sql.query(connection, "select profile_id from identity_keys where block_key in ("
                        + Sql.placeholders(keys.size()) + ") group by profile_id order by profile_id limit "
                        + MAX_CANDIDATES, row -> row.getString(1), keys.toArray());
    }

    /** Forgets the keys of a record (deleted or unlinked). */
    public void removeKeys(ExternalId record) {
        Sql.update(connection, "delete from identity_keys where source = ? and record_id = ?", record.source(),
                record.id());
    }

    public void addReview(Review review) {
        Sql.update(connection, """
                merge into identity_reviews t
                using (values (?, ?, ?, ?, ?, ?, ?)) as s(source, record_id, profile_id, candidate_id, probability, evidence, created_at)
                on t.source = s.source and t.record_id = s.record_id and t.candidate_id = s.candidate_id
                when matched then update set profile_id = s.profile_id, probability = s.probability, evidence = s.evidence
                when not matched then insert (source, record_id, profile_id, candidate_id, probability, evidence, created_at)
                    values (s.source, s.record_id, s.profile_id, s.candidate_id, s.probability, s.evidence, s.created_at)
                """, review.record().source(), review.record().id(), review.profileId(), review.candidateId(),
                review.probability(), abbreviate(review.evidence()), Sql.timestamp(review.createdAt()));
    }

    /** Possible matches, most probable first. */
    public List<Review> reviews(int limit) {
        return Sql.query(connection, "select source, record_id, profile_id, candidate_id, probability, evidence,"
                        + " created_at from identity_reviews order by probability desc, source, record_id limit ?",
                row -> new Review(new ExternalId(row.getString(1), row.getString(2)), row.getString(3),
                        row.getString(4), row.getDouble(5), row.getString(6), Sql.instant(row, "created_at")), limit);
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 499) + "…";
    }
}
