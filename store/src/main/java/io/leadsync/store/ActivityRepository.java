package io.leadsync.store;

import io.leadsync.connector.Activity;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.PersonRef;
import io.leadsync.connector.StreamId;
import io.leadsync.store.internal.CanonicalJson;
import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Activities in canonical form. An activity whose person is not linked yet is kept with no profile and attached
 * when the person arrives ({@link #attach}).
 */
public final class ActivityRepository {
    private final Connection connection;

    ActivityRepository(Connection connection) {
        this.connection = connection;
    }

    /**
     * An activity to store.
     *
     * @param personEmail the normalized email of its person, when the reference has one
     * @param profileId   the profile it belongs to, or null while its person is unknown
     */
    public record Row(StreamId stream, Activity activity, String personEmail, String profileId) {
    }

    public void upsert(List<Row> rows) {
        List<Object[]> params = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Activity activity = row.activity();
            ExternalId person = activity.person().id();
            params.add(new Object[] {activity.id().source(), row.stream().stream(), activity.id().id(), activity.type(),
                activity.occurredAt(), Sql.text(person == null ? null : person.source()),
                Sql.text(person == null ? null : person.id()), Sql.text(row.personEmail()), Sql.text(row.profileId()),
                CanonicalJson.write(activity.properties())});
        }
        // every value typed in the source: untyped, H2 sometimes (about 1 statement in 250) stored NULL for a later
        // row of the batch where an earlier row had NULL (an activity known by email lost the email it attaches by)
        Sql.batch(connection, """
                merge into activities t
                using (values (cast(? as varchar(100)), cast(? as varchar(100)), cast(? as varchar(255)),
                    cast(? as varchar(64)), cast(? as timestamp with time zone), cast(? as varchar(100)),
                    cast(? as varchar(255)), cast(? as varchar(320)), cast(? as varchar(40)), cast(? as text)))
                    as s(source, stream, record_id, activity_type, occurred_at, person_source, person_record_id,
                         person_email, profile_id, properties)
                on t.source = s.source and t.stream = s.stream and t.record_id = s.record_id
                when matched then update set activity_type = s.activity_type, occurred_at = s.occurred_at,
                    person_source = s.person_source, person_record_id = s.person_record_id,
                    person_email = s.person_email, profile_id = s.profile_id, properties = s.properties
                when not matched then insert (source, stream, record_id, activity_type, occurred_at, person_source,
                    person_record_id, person_email, profile_id, properties)
                    values (s.source, s.stream, s.record_id, s.activity_type, s.occurred_at, s.person_source,
                    s.person_record_id, s.person_email, s.profile_id, s.properties)
                """, params);
    }

    /** Deletes an activity; returns the profile it belonged to, if any. */
    public java.util.Optional<String> delete(StreamId stream, String recordId) {
        var profile = Sql.one(connection, "select profile_id from activities where source = ? and stream = ?"
                + " and record_id = ?", row -> row.getString(1), stream.source(), stream.stream(), recordId);
        Sql.update(connection, "delete from activities where source = ? and stream = ? and record_id = ?",
                stream.source(), stream.stream(), recordId);
        return profile.flatMap(java.util.Optional::ofNullable);
    }

    /**
     * Attaches to a profile the activities that reference a person record by id, or by normalized email when they
     * carry no id. Returns the profiles that lost activities to it (they need re-scoring too).
     */
    public Set<String> attach(ExternalId person, String emailNorm, String profileId) {
        Set<String> previous = new TreeSet<>(Sql.query(connection, "select distinct profile_id from activities"
                        + " where person_source = ? and person_record_id = ? and profile_id is not null and profile_id <> ?",
                row -> row.getString(1), person.source(), person.id(), profileId));
        Sql.update(connection, "update activities set profile_id = ? where person_source = ? and person_record_id = ?"
                + " and (profile_id is null or profile_id <> ?)", profileId, person.source(), person.id(), profileId);
        if (emailNorm != null) {
            Sql.update(connection, "update activities set profile_id = ? where person_email = ?"
                    + " and person_source is null and profile_id is null", profileId, emailNorm);
        }
        return previous;
    }

    /** Detaches the activities of a person record that left its profile. */
    public void detach(ExternalId person) {
        Sql.update(connection, "update activities set profile_id = null where person_source = ?"
                + " and person_record_id = ?", person.source(), person.id());
    }

    /** The activities of a profile, oldest first. */
    public List<Activity> forProfile(String profileId) {
        return forProfiles(List.of(profileId)).getOrDefault(profileId, List.of());
    }

    /** The activities of each of the profiles, oldest first; a profile with none is absent. */
    public Map<String, List<Activity>> forProfiles(Collection<String> profileIds) {
        Map<String, List<Activity>> result = new HashMap<>();
        Sql.queryByKeys(connection, "select a.* from {keys} join activities a on a.profile_id = k.id"
                        + " order by a.profile_id, a.occurred_at, a.source, a.stream, a.record_id", profileIds,
                row -> Map.entry(row.getString("profile_id"), map(row)))
                .forEach(e -> result.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return result;
    }

    public long count() {
        return Sql.count(connection, "select count(*) from activities");
    }

    public long countUnlinked() {
        return Sql.count(connection, "select count(*) from activities where profile_id is null");
    }

    private static Activity map(ResultSet row) throws SQLException {
        String personSource = row.getString("person_source");
        ExternalId person = personSource == null ? null
                : new ExternalId(personSource, row.getString("person_record_id"));
        return new Activity(new ExternalId(row.getString("source"), row.getString("record_id")),
                row.getString("activity_type"), Sql.instant(row, "occurred_at"),
                new PersonRef(person, row.getString("person_email")),
                CanonicalJson.stringMap(row.getString("properties")));
    }
}
