package io.leadsync.store;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
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
import java.util.Optional;

/**
 * Golden profiles, the person records linked to them, and which profiles need scoring.
 */
public final class ProfileRepository {
    private final Connection connection;

    ProfileRepository(Connection connection) {
        this.connection = connection;
    }

    /** A profile to score, with the change sequence it had when it was read. */
    public record ProfileChange(String profileId, long changeSeq) {
    }

    /** Creates a profile if it does not exist; it starts as needing a score. */
    public void create(String profileId, Instant now) {
        create(List.of(profileId), now);
    }

    /** {@link #create(String, Instant)} for several profiles, in one batch. */
    public void create(Collection<String> profileIds, Instant now) {
        List<Object[]> rows = new ArrayList<>(profileIds.size());
        profileIds.forEach(id -> rows.add(new Object[] {id, now}));
        Sql.batch(connection, """
                merge into profiles t
                using (values (?, ?)) as s(profile_id, created_at)
                on t.profile_id = s.profile_id
                when not matched then insert (profile_id, created_at, updated_at, needs_scoring, change_seq)
                    values (s.profile_id, s.created_at, s.created_at, true, 1)
                """, rows);
    }

    public boolean exists(String profileId) {
        return Sql.count(connection, "select count(*) from profiles where profile_id = ?", profileId) > 0;
    }

    public Optional<PersonLink> link(ExternalId person) {
        return Sql.one(connection, "select * from person_links where source = ? and record_id = ?",
                ProfileRepository::mapLink, person.source(), person.id());
    }

    /** Profiles that hold a person record with this normalized email, oldest link first. */
    public List<String> profilesWithEmail(String emailNorm) {
        return Sql.query(connection, "select profile_id, min(linked_at) as first_link from person_links"
                        + " where email_norm = ? group by profile_id order by first_link, profile_id",
                row -> row.getString(1), emailNorm);
    }

    /** The profiles of the linked records among the given ids of one source, by record id. */
    public Map<String, String> profilesOf(String source, Collection<String> recordIds) {
        Map<String, String> result = new HashMap<>();
        Sql.queryByKeys(connection, "select l.record_id, l.profile_id from {keys}"
                        + " join person_links l on l.source = k.c1 and l.record_id = k.id", recordIds, List.of(source),
                row -> Map.entry(row.getString(1), row.getString(2)))
                .forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /** For each of the normalized emails held by a linked record, the profile of its oldest link. */
    public Map<String, String> firstProfilesWithEmail(Collection<String> emailNorms) {
        Map<String, String> result = new HashMap<>();
        Sql.queryByKeys(connection, "select l.email_norm, l.profile_id, min(l.linked_at) as first_link from {keys}"
                        + " join person_links l on l.email_norm = k.id group by l.email_norm, l.profile_id"
                        + " order by l.email_norm, first_link, l.profile_id", emailNorms,
                row -> Map.entry(row.getString(1), row.getString(2)))
                .forEach(e -> result.putIfAbsent(e.getKey(), e.getValue()));
        return result;
    }

    /** Links (or re-links) a person record to a profile; its written values are marked as needing a push. */
    public void link(PersonLink link) {
        link(List.of(link));
    }

    /** {@link #link(PersonLink)} for several records, in one batch. */
    public void link(List<PersonLink> links) {
        List<Object[]> rows = new ArrayList<>(links.size());
        for (PersonLink link : links) {
            rows.add(new Object[] {link.person().source(), link.person().id(), link.stream(), link.profileId(),
                Sql.text(link.emailNorm()), Sql.abbreviate(link.reason(), 200), link.linkedAt()});
        }
        Sql.batch(connection, """
                merge into person_links t
                using (values (?, ?, ?, ?, ?, ?, ?)) as s(source, record_id, stream, profile_id, email_norm, link_reason, linked_at)
                on t.source = s.source and t.record_id = s.record_id
                when matched then update set stream = s.stream, profile_id = s.profile_id, email_norm = s.email_norm,
                    link_reason = s.link_reason, linked_at = s.linked_at, push_pending = true
                when not matched then insert (source, record_id, stream, profile_id, email_norm, link_reason, linked_at,
                    push_pending)
                    values (s.source, s.record_id, s.stream, s.profile_id, s.email_norm, s.link_reason, s.linked_at, true)
                """, rows);
    }

    /** Updates the normalized email of a link that stays with its profile. */
    public void updateEmail(ExternalId person, String emailNorm) {
        updateEmails(java.util.Collections.singletonMap(person, emailNorm));
    }

    /** {@link #updateEmail(ExternalId, String)} for several links (an email may be null), in one batch. */
    public void updateEmails(Map<ExternalId, String> emailNorms) {
        List<Object[]> rows = new ArrayList<>(emailNorms.size());
        emailNorms.forEach((person, email) -> rows.add(new Object[] {Sql.text(email), person.source(), person.id()}));
        Sql.batch(connection, "update person_links set email_norm = ? where source = ? and record_id = ?", rows);
    }

    /** Removes a person record from its profile; returns the profile it belonged to. */
    public Optional<String> unlink(ExternalId person) {
        Optional<PersonLink> existing = link(person);
        existing.ifPresent(link -> Sql.update(connection,
                "delete from person_links where source = ? and record_id = ?", person.source(), person.id()));
        return existing.map(PersonLink::profileId);
    }

    public List<PersonLink> links(String profileId) {
        return Sql.query(connection, "select * from person_links where profile_id = ? order by source, record_id",
                ProfileRepository::mapLink, profileId);
    }

    /** The canonical persons linked to a profile, as last stored. */
    public List<Person> persons(String profileId) {
        return persons(List.of(profileId)).getOrDefault(profileId, List.of());
    }

    /** The canonical persons linked to each of the profiles, as last stored; a profile with none is absent. */
    public Map<String, List<Person>> persons(Collection<String> profileIds) {
        Map<String, List<Person>> result = new HashMap<>();
        Sql.queryByKeys(connection, """
                select l.profile_id, r.normalized from {keys}
                join person_links l on l.profile_id = k.id
                join source_records r on r.source = l.source and r.stream = l.stream and r.record_id = l.record_id
                where r.deleted = false and r.normalized is not null
                order by l.profile_id, l.source, l.record_id
                """, profileIds, row -> Map.entry(row.getString(1), CanonicalJson.person(row.getString(2))))
                .forEach(e -> result.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return result;
    }

    /** Notes that something which can change these profiles' scores changed. */
    public void markChanged(Collection<String> profileIds, Instant now) {
        List<Object[]> rows = new ArrayList<>(profileIds.size());
        for (String profileId : profileIds) {
            rows.add(new Object[] {now, profileId});
        }
        Sql.batch(connection, "update profiles set needs_scoring = true, change_seq = change_seq + 1, updated_at = ?"
                + " where profile_id = ?", rows);
    }

    /** Profiles that need scoring, by id after the given one (null for the first page). */
    public List<ProfileChange> needingScore(String afterProfileId, int limit) {
        return Sql.query(connection, NEEDING_SCORE,
                row -> new ProfileChange(row.getString(1), row.getLong(2)),
                afterProfileId == null ? "" : afterProfileId, limit);
    }

    /**
     * A page of the profiles marked for scoring, in the order of their index ({@code profiles_needs_scoring}), so that
     * the database reads the page and no more. Ordered by {@code profile_id} alone, H2 read every marked profile after
     * the page's start and sorted them, for every page: a score stage of n profiles read n²/400 rows.
     */
    static final String NEEDING_SCORE = "select profile_id, change_seq from profiles where needs_scoring = true"
            + " and profile_id > ? order by needs_scoring, profile_id limit ?";

    /**
     * Clears the needs-scoring mark if nothing changed since {@code change}; returns false if the profile changed
     * meanwhile (it stays marked and is scored again).
     */
    public boolean markScored(ProfileChange change) {
        return Sql.update(connection, "update profiles set needs_scoring = false where profile_id = ?"
                + " and change_seq = ?", change.profileId(), change.changeSeq()) == 1;
    }

    /** {@link #markScored(ProfileChange)} for several profiles, in one batch. */
    public void markScored(Collection<ProfileChange> changes) {
        List<Object[]> rows = new ArrayList<>(changes.size());
        changes.forEach(change -> rows.add(new Object[] {change.profileId(), change.changeSeq()}));
        Sql.batch(connection, "update profiles set needs_scoring = false where profile_id = ? and change_seq = ?",
                rows);
    }

    /** Marks every profile as needing a score (after a model change). */
    public int markAllChanged(Instant now) {
        return Sql.update(connection, "update profiles set needs_scoring = true, change_seq = change_seq + 1,"
                + " updated_at = ?", now);
    }

    public long count() {
        return Sql.count(connection, "select count(*) from profiles");
    }

    /** Profile ids in order, after the given one (null for the first page): for walking every profile. */
    public List<String> ids(String afterProfileId, int limit) {
        return Sql.query(connection, "select profile_id from profiles where profile_id > ? order by profile_id limit ?",
                row -> row.getString(1), afterProfileId == null ? "" : afterProfileId, limit);
    }

    public long countNeedingScore() {
        return Sql.count(connection, "select count(*) from profiles where needs_scoring = true");
    }

    public long countLinks() {
        return Sql.count(connection, "select count(*) from person_links");
    }

    static PersonLink mapLink(ResultSet row) throws SQLException {
        return new PersonLink(new ExternalId(row.getString("source"), row.getString("record_id")),
                row.getString("stream"), row.getString("profile_id"), row.getString("email_norm"),
                row.getString("link_reason"), Sql.instant(row, "linked_at"), row.getBoolean("push_pending"));
    }
}
