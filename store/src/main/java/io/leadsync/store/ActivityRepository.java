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
 * when the person arrives ({@link #attach}); so is one that names its person record and found a profile through its
 * email meanwhile. Only such waiting activities are found by their person: an attached activity moves with its
 * person record from the profile it is on ({@link #attach}, {@link #detach}, {@code IdentityRepository#move}).
 */
public final class ActivityRepository {
    /** The waiting key's source for an activity that waits for a person with its email (no source is blank). */
    private static final String BY_EMAIL = "";

    private final Connection connection;

    ActivityRepository(Connection connection) {
        this.connection = connection;
    }

    /**
     * An activity to store.
     *
     * @param personEmail  the normalized email of its person, when the reference has one
     * @param profileId    the profile it belongs to, or null while its person is unknown
     * @param personLinked whether {@code profileId} is that of the activity's person record, through the record's
     *                     link (false when it was found through the email, or is null): otherwise an activity that
     *                     names a person record waits for it, and is moved to that record's profile when it comes
     */
    public record Row(StreamId stream, Activity activity, String personEmail, String profileId, boolean personLinked) {
        /** An activity attached through its email, or waiting for its person (not through its person's link). */
        public Row(StreamId stream, Activity activity, String personEmail, String profileId) {
            this(stream, activity, personEmail, profileId, false);
        }

        /** What the activity waits for: its person record, or its email while it has no profile; null: nothing. */
        private String[] awaited() {
            ExternalId person = activity.person().id();
            if (personLinked) {
                return new String[2];
            }
            if (person != null) {
                return new String[] {person.source(), person.id()};
            }
            return profileId == null && personEmail != null ? new String[] {BY_EMAIL, personEmail} : new String[2];
        }
    }

    public void upsert(List<Row> rows) {
        List<Object[]> params = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Activity activity = row.activity();
            ExternalId person = activity.person().id();
            String[] awaited = row.awaited();
            params.add(new Object[] {activity.id().source(), row.stream().stream(), activity.id().id(), activity.type(),
                activity.occurredAt(), Sql.text(person == null ? null : person.source()),
                Sql.text(person == null ? null : person.id()), Sql.text(row.personEmail()), Sql.text(row.profileId()),
                CanonicalJson.write(activity.properties()), Sql.text(awaited[0]), Sql.text(awaited[1])});
        }
        // every value typed in the source: untyped, H2 sometimes (about 1 statement in 250) stored NULL for a later
        // row of the batch where an earlier row had NULL (an activity known by email lost the email it attaches by)
        Sql.batch(connection, """
                merge into activities t
                using (values (cast(? as varchar(100)), cast(? as varchar(100)), cast(? as varchar(255)),
                    cast(? as varchar(64)), cast(? as timestamp with time zone), cast(? as varchar(100)),
                    cast(? as varchar(255)), cast(? as varchar(320)), cast(? as varchar(40)), cast(? as text),
                    cast(? as varchar(100)), cast(? as varchar(320))))
                    as s(source, stream, record_id, activity_type, occurred_at, person_source, person_record_id,
                         person_email, profile_id, properties, await_source, await_id)
                on t.source = s.source and t.stream = s.stream and t.record_id = s.record_id
                when matched then update set activity_type = s.activity_type, occurred_at = s.occurred_at,
                    person_source = s.person_source, person_record_id = s.person_record_id,
                    person_email = s.person_email, profile_id = s.profile_id, properties = s.properties,
                    await_source = s.await_source, await_id = s.await_id
                when not matched then insert (source, stream, record_id, activity_type, occurred_at, person_source,
                    person_record_id, person_email, profile_id, properties, await_source, await_id)
                    values (s.source, s.stream, s.record_id, s.activity_type, s.occurred_at, s.person_source,
                    s.person_record_id, s.person_email, s.profile_id, s.properties, s.await_source, s.await_id)
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
     * Attaching a person record's activities to its profile: those that wait for the record (named by its id), or for
     * its normalized email when they carry no id, and those on the profile the record was linked to before.
     *
     * @param previousProfile the profile the record was linked to before, or null
     */
    public record Attachment(ExternalId person, String emailNorm, String profileId, String previousProfile) {
    }

    /**
     * Attaches to a profile the activities that wait for a person record (named by its id), or for its normalized
     * email when they carry no id. Returns the profiles that lost activities to it (they need re-scoring too).
     */
    public Set<String> attach(ExternalId person, String emailNorm, String profileId) {
        return attach(person, emailNorm, profileId, null);
    }

    /**
     * {@link #attach(ExternalId, String, String)}, for a person record that was linked to {@code previousProfile}
     * before (null: to none): its activities there move with it, and that profile is returned as one that lost.
     */
    public Set<String> attach(ExternalId person, String emailNorm, String profileId, String previousProfile) {
        return attach(List.of(new Attachment(person, emailNorm, profileId, previousProfile)));
    }

    /**
     * Attaches the activities of several person records (each record once), in a few statements; returns the
     * profiles that lost activities to them.
     */
    public Set<String> attach(List<Attachment> attachments) {
        Set<String> lost = new TreeSet<>();
        Map<String, Map<String, String>> newProfiles = new HashMap<>();
        List<Object[]> waiting = new ArrayList<>();
        List<Object[]> moved = new ArrayList<>();
        List<Object[]> byEmail = new ArrayList<>();
        for (Attachment attachment : attachments) {
            ExternalId person = attachment.person();
            newProfiles.computeIfAbsent(person.source(), k -> new HashMap<>()).put(person.id(), attachment.profileId());
            waiting.add(new Object[] {attachment.profileId(), person.source(), person.id()});
            String previous = attachment.previousProfile();
            if (previous != null && !previous.equals(attachment.profileId())) {
                moved.add(new Object[] {attachment.profileId(), previous, person.source(), person.id()});
                lost.add(previous);
            }
            if (attachment.emailNorm() != null) {
                byEmail.add(new Object[] {attachment.profileId(), BY_EMAIL, attachment.emailNorm()});
            }
        }
        // activities that name a record and found a profile through their email meanwhile: that profile loses them
        newProfiles.forEach((source, profiles) -> Sql.queryByKeys(connection, "select a.await_id, a.profile_id"
                        + " from {keys} join activities a on a.await_source = k.c1 and a.await_id = k.id"
                        + " where a.profile_id is not null", profiles.keySet(), List.of(source),
                row -> Map.entry(row.getString(1), row.getString(2)))
                .forEach(e -> {
                    if (!e.getValue().equals(profiles.get(e.getKey()))) {
                        lost.add(e.getValue());
                    }
                }));
        Sql.batch(connection, "update activities set profile_id = ?, await_source = null, await_id = null"
                + " where await_source = ? and await_id = ?", waiting);
        Sql.batch(connection, "update activities set profile_id = ? where profile_id = ? and person_source = ?"
                + " and person_record_id = ?", moved);
        Sql.batch(connection, "update activities set profile_id = ?, await_source = null, await_id = null"
                + " where await_source = ? and await_id = ? and profile_id is null", byEmail);
        return lost;
    }

    /** Detaches the activities of a person record that left its profile: they wait for the record again. */
    public void detach(ExternalId person, String profileId) {
        Sql.update(connection, "update activities set profile_id = null, await_source = person_source,"
                + " await_id = person_record_id where profile_id = ? and person_source = ? and person_record_id = ?",
                profileId, person.source(), person.id());
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
