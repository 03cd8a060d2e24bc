package io.leadsync.store;

import io.leadsync.connector.StreamId;
import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What operators ask of the store without reading the log: finding a profile, how scores are spread, how long changed
 * scores wait for their push, and how many records of a stream the store holds for a window of modification times.
 */
public final class OperationsRepository {
    private final Connection connection;

    OperationsRepository(Connection connection) {
        this.connection = connection;
    }

    /**
     * Profiles matching a search, best match first: a profile id, a CRM record id (bare or as
     * {@code source:id}), an email (normalized as stored), or words of a name, title or company (each word must appear
     * in one of the profile's person records).
     */
    public List<String> searchProfiles(String query, int limit) {
        String q = query.strip();
        Set<String> found = new LinkedHashSet<>();
        if (q.isEmpty()) {
            return List.of();
        }
        Sql.query(connection, "select profile_id from profiles where profile_id = ?", row -> row.getString(1), q)
                .forEach(found::add);
        int colon = q.indexOf(':');
        if (colon > 0) {
            Sql.query(connection, "select profile_id from person_links where source = ? and record_id = ?",
                    row -> row.getString(1), q.substring(0, colon), q.substring(colon + 1)).forEach(found::add);
        }
        Sql.query(connection, "select profile_id from person_links where record_id = ? order by source limit ?",
                row -> row.getString(1), q, limit).forEach(found::add);
        Sql.query(connection, "select distinct profile_id from person_links where email_norm = ? limit ?",
                row -> row.getString(1), q.toLowerCase(Locale.ROOT), limit).forEach(found::add);
        if (found.size() < limit) {
            List<String> words = List.of(q.toLowerCase(Locale.ROOT).split("\\s+"));
            StringBuilder sql = new StringBuilder("select distinct l.profile_id from source_records r"
                    + " join person_links l on l.source = r.source and l.record_id = r.record_id"
                    + " where r.kind = 'person' and r.deleted = false");
            List<Object> params = new ArrayList<>();
            for (String word : words) {
                sql.append(" and lower(r.normalized) like ? escape '!'");
                params.add("%" + word.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
            }
            sql.append(" order by l.profile_id limit ?");
            params.add(limit);
            Sql.query(connection, sql.toString(), row -> row.getString(1), params.toArray()).forEach(found::add);
        }
        return found.stream().limit(limit).toList();
    }

    /** Profiles per score band of {@code width} points (band start to count), lowest band first. */
    public Map<Integer, Long> scoreBands(int width) {
        Map<Integer, Long> bands = new LinkedHashMap<>();
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive");
        }
        String band = "(score / " + width + ") * " + width;   // a literal: H2 cannot group by a bound parameter
        Sql.query(connection, "select " + band + " as band, count(*) from profile_scores group by " + band
                        + " order by band", row -> Map.entry(row.getInt(1), row.getLong(2)))
                .forEach(e -> bands.put(e.getKey(), e.getValue()));
        return bands;
    }

    /** The reasons text of every current score (for counting the criteria that fire most), at most {@code limit}. */
    public List<String> currentReasons(int limit) {
        return Sql.query(connection, "select reasons from profile_scores order by changed_at desc limit ?",
                row -> row.getString(1), limit);
    }

    /**
     * The change time of the oldest score still waiting for its push to a sink (a linked record marked for a push
     * whose profile has a score), or empty when nothing waits: the push lag.
     */
    public Optional<Instant> oldestPendingPush(String sink) {
        return Sql.query(connection, "select min(s.changed_at) as oldest from person_links l join profile_scores s"
                + " on s.profile_id = l.profile_id where l.source = ? and l.push_pending = true",
                row -> Optional.ofNullable(Sql.instant(row, "oldest")), sink).stream().flatMap(Optional::stream)
                .findFirst();
    }

    /**
     * How many live (not deleted) records of a stream the store holds whose modification time lies in
     * {@code [from, to]} (from null: since the beginning): the store's side of a completeness check.
     */
    public long storedInWindow(StreamId stream, Instant from, Instant to) {
        if (from == null) {
            return Sql.count(connection, "select count(*) from source_records where source = ? and stream = ?"
                    + " and deleted = false and modified_at <= ?", stream.source(), stream.stream(), to);
        }
        return Sql.count(connection, "select count(*) from source_records where source = ? and stream = ?"
                + " and deleted = false and modified_at >= ? and modified_at <= ?", stream.source(), stream.stream(),
                from, to);
    }

    /** Possible identity matches waiting for a person's review. */
    public long reviewsWaiting() {
        return Sql.count(connection, "select count(*) from identity_review_queue where status = 'open'");
    }
}
