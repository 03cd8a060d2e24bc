package io.leadsync.store;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.identity.IdentityRecord;
import io.leadsync.identity.IdentityReview;
import io.leadsync.identity.IdentityStore;
import io.leadsync.identity.MatchWeights;
import io.leadsync.identity.WeightEstimator;
import io.leadsync.store.internal.CanonicalJson;
import io.leadsync.store.internal.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Identity resolution's state in the database: each resolved record's profile; each profile with its records' values
 * and keys; which profiles hold each blocking key; the review queue, records kept apart, moves between profiles and
 * the learned weights. It is the identity engine's {@link IdentityStore}. A page's lookups are one query per kind
 * (the page's values bound as one array, {@link #HASHES}, joined to the table), never one per record, and every lookup
 * reads rows by
 * their primary key: a key's holders are the rows of its hash in {@code identity_keys}, a profile is one row of
 * {@code identity_profiles}, a record one row of {@code identity_records}. So resolution stays set-based and its cost
 * per record flat as the store grows.
 *
 * <p>An instance belongs to one transaction and remembers what it read, so that saving a page does not read it again.
 */
public final class IdentityRepository implements IdentityStore {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityRepository.class);
    /** Low bits of a key that give way to a slot number for each profile holding it. */
    static final int SLOT_BITS = 6;
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    /** Records in a slice of the hash space enough to estimate the number of records from. */
    static final int COUNTED_SLICE = 1_000;
    /**
     * The page's values as rows, to join a table's primary key with: both databases walk the key once per value.
     * ({@code column = any(?)} also reads through the key on H2, but then checks each row found against the whole
     * array again: quadratic in the page.)
     */
    static final String HASHES = "unnest(cast(? as bigint array)) as v(hash)";
    private static final char FIELD = '\u001d';
    private static final char LINE = '\u001e';

    private final Connection connection;
    private final Instant now;
    /** Records read in this transaction, by id (null: not stored). */
    private final Map<ExternalId, IdentityRecord> recordsRead = new HashMap<>();
    /** Profiles read in this transaction, with their records (empty: no such profile). */
    private final Map<String, List<IdentityRecord>> profilesRead = new HashMap<>();
    /**
     * Key rows read in this transaction, by key prefix: slot to profile. A key's slots are numbered from 0 without
     * gaps, so its first {@code n} rows are those of slots below {@code n}.
     */
    private final Map<Long, java.util.TreeMap<Integer, String>> keysRead = new HashMap<>();
    /** The highest slot read of each key in {@link #keysRead} ({@link #SLOT_MASK}: all of them). */
    private final Map<Long, Integer> keysReadThrough = new HashMap<>();

    IdentityRepository(Connection connection, Instant now) {
        this.connection = connection;
        this.now = now;
    }

    /**
     * An item of the review queue.
     *
     * @param id          its number
     * @param item        the record, profiles, probability, evidence and kind
     * @param status      {@code open}, {@code confirmed} or {@code rejected}
     * @param createdAt   when it was queued
     * @param decidedAt   when a person decided, or null
     * @param note        what the decision did, or null
     */
    public record Review(long id, IdentityReview item, String status, Instant createdAt, Instant decidedAt,
                         String note) {
    }

    /**
     * An estimate of the weights as stored.
     *
     * @param version   its number (the newest accepted one is in service)
     * @param createdAt when it was made
     * @param trigger   what asked for it: {@code growth}, {@code schedule}, {@code on-demand}
     * @param accepted  whether it passed its checks (else the weights in service stayed)
     * @param records   records in the store
     * @param pairs     candidate pairs it was made from
     * @param matches   expected matches among them
     * @param weights   the weights, or null when none could be estimated
     * @param warnings  what its guards found
     */
    public record StoredWeights(long version, Instant createdAt, String trigger, boolean accepted, long records,
                                long pairs, double matches, MatchWeights weights, List<String> warnings) {
    }

    /** A move of a record between profiles. */
    public record Move(ExternalId record, String fromProfile, String toProfile, String reason, Instant movedAt) {
    }

    // ---- the identity engine's store -------------------------------------------------------------------------

    @Override
    public Map<ExternalId, IdentityRecord> records(Collection<ExternalId> ids) {
        List<ExternalId> unknown = new ArrayList<>();
        for (ExternalId id : ids) {
            if (!recordsRead.containsKey(id)) {
                unknown.add(id);
            }
        }
        Map<ExternalId, String> profileOf = new HashMap<>();
        long[] hashes = new long[unknown.size()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = recordHash(unknown.get(i));
        }
        if (hashes.length > 0) {
            Sql.forEach(connection, "select r.source, r.record_id, r.profile_id from " + HASHES
                    + " join identity_records r on r.record_hash = v.hash", row -> {
                        try {
                            profileOf.put(new ExternalId(row.getString(1), row.getString(2)), row.getString(3));
                        } catch (SQLException e) {
                            throw new StoreException("cannot read an identity record: " + e.getMessage(), e);
                        }
                    }, new Sql.Bigints(hashes));
        }
        profileRecords(profileOf.values());
        for (ExternalId id : unknown) {
            String profile = profileOf.get(id);
            IdentityRecord found = null;
            for (IdentityRecord member : profile == null ? List.<IdentityRecord>of()
                    : profilesRead.getOrDefault(profile, List.of())) {
                if (member.id().equals(id)) {
                    found = member;
                }
            }
            recordsRead.put(id, found);
        }
        Map<ExternalId, IdentityRecord> found = new HashMap<>();
        for (ExternalId id : ids) {
            IdentityRecord record = recordsRead.get(id);
            if (record != null) {
                found.put(id, record);
            }
        }
        return found;
    }

    /**
     * For each key, the profiles holding it: the rows of slots 0 to {@code limit} of its hash, so a lookup reads at
     * most {@code limit + 1} rows per key whatever the store's size (a key is never stored for more than
     * {@value #SLOT_BITS}-bit slots' worth of profiles, nor by {@link #save} for more than {@code limit + 1}).
     */
    @Override
    public Map<Long, List<String>> holders(long[] keys, int limit) {
        int through = (int) Math.min(Math.max(limit, 0), SLOT_MASK);
        Set<Long> prefixes = new LinkedHashSet<>();
        for (long key : keys) {
            prefixes.add(key & ~SLOT_MASK);
        }
        readKeys(prefixes, through);
        Map<Long, List<String>> found = new HashMap<>();
        for (long key : keys) {
            java.util.TreeMap<Integer, String> rows = keysRead.get(key & ~SLOT_MASK);
            if (rows != null && !rows.isEmpty()) {
                List<String> profiles = new ArrayList<>(rows.headMap(through, true).values());
                found.put(key, profiles);
            }
        }
        return found;
    }

    /** Reads the rows of these keys' slots 0 to {@code through} that this transaction has not read yet. */
    private void readKeys(Collection<Long> prefixes, int through) {
        List<Long> unread = new ArrayList<>();
        for (long prefix : prefixes) {
            Integer read = keysReadThrough.get(prefix);
            if (read == null || read < through && keysRead.get(prefix).size() > read) {
                unread.add(prefix);   // not read, or read in part and it has more rows than were read
            }
        }
        if (unread.isEmpty()) {
            return;
        }
        long[] hashes = new long[unread.size()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = unread.get(i);
            keysRead.put(unread.get(i), new java.util.TreeMap<>());
            keysReadThrough.put(unread.get(i), through);
        }
        Sql.forEach(connection, "select k.key_hash, k.slot, k.profile_id from " + HASHES
                + " join identity_keys k on k.key_hash = v.hash and k.slot <= ?", row -> {
            try {
                keysRead.get(row.getLong(1)).put(row.getInt(2), row.getString(3));
            } catch (SQLException e) {
                throw new StoreException("cannot read a blocking key: " + e.getMessage(), e);
            }
        }, new Sql.Bigints(hashes), through);
    }

    @Override
    public Map<String, List<IdentityRecord>> profileRecords(Collection<String> profileIds) {
        List<String> unknown = new ArrayList<>();
        for (String profile : new LinkedHashSet<>(profileIds)) {
            if (!profilesRead.containsKey(profile)) {
                unknown.add(profile);
                profilesRead.put(profile, List.of());
            }
        }
        if (!unknown.isEmpty()) {
            long[] numbers = new long[unknown.size()];
            for (int i = 0; i < numbers.length; i++) {
                numbers[i] = profileNumber(unknown.get(i));
            }
            Sql.forEach(connection, "select p.profile_id, p.members from " + HASHES
                    + " join identity_profiles p on p.profile_no = v.hash",
                    row -> {
                        try {
                            String profile = row.getString(1);
                            if (profilesRead.containsKey(profile)) {
                                profilesRead.put(profile, decodeMembers(profile, row.getString(2)));
                            }
                        } catch (SQLException e) {
                            throw new StoreException("cannot read an identity profile: " + e.getMessage(), e);
                        }
                    }, new Sql.Bigints(numbers));
        }
        Map<String, List<IdentityRecord>> found = new HashMap<>();
        for (String profile : profileIds) {
            List<IdentityRecord> members = profilesRead.get(profile);
            if (members != null && !members.isEmpty()) {
                found.put(profile, members);
            }
        }
        return found;
    }

    @Override
    public Map<ExternalId, Set<ExternalId>> keptApart(Collection<ExternalId> ids) {
        Map<ExternalId, Set<ExternalId>> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        long[] hashes = ids.stream().mapToLong(IdentityRepository::recordHash).toArray();
        Sql.forEach(connection, "select a.source, a.record_id, a.other_source, a.other_record_id from "
                + HASHES + " join identity_kept_apart a on a.record_hash = v.hash", row -> {
                    try {
                        found.computeIfAbsent(new ExternalId(row.getString(1), row.getString(2)),
                                id -> new LinkedHashSet<>()).add(new ExternalId(row.getString(3), row.getString(4)));
                    } catch (SQLException e) {
                        throw new StoreException("cannot read records kept apart: " + e.getMessage(), e);
                    }
                }, new Sql.Bigints(hashes));
        found.keySet().retainAll(new HashSet<>(ids));
        return found;
    }

    /**
     * Exact up to some 64,000 records; past that, estimated from the records whose hashes fall in a slice of the hash
     * space (1/1,024 or 1/64 of it, holding at least {@value #COUNTED_SLICE} records: within about 3%), as hashes
     * spread evenly. So a page's count reads a bounded part of the index, not every record.
     */
    @Override
    public long recordCount() {
        for (int bits : new int[] {10, 6}) {
            long below = Long.MIN_VALUE + (1L << (Long.SIZE - bits));
            long slice = Sql.count(connection, "select count(*) from identity_records where record_hash < ?", below);
            if (slice >= COUNTED_SLICE) {
                return slice << bits;
            }
        }
        return Sql.count(connection, "select count(*) from identity_records");
    }

    /**
     * Stores records in their profiles: each profile's row gets its new member list, the profiles' key rows follow
     * their members' keys (a key is added for a profile that now holds it, removed from one that no longer does), and
     * each record's row names its profile. Profiles left without records are deleted.
     */
    @Override
    public void save(Collection<IdentityRecord> records, int limit) {
        if (records.isEmpty()) {
            return;
        }
        Map<ExternalId, IdentityRecord> before = records(records.stream().map(IdentityRecord::id).toList());
        Set<String> affected = new LinkedHashSet<>();
        for (IdentityRecord record : records) {
            affected.add(record.profileId());
            IdentityRecord previous = before.get(record.id());
            if (previous != null) {
                affected.add(previous.profileId());
            }
        }
        profileRecords(affected);
        Map<String, List<IdentityRecord>> oldMembers = new HashMap<>();
        Map<String, List<IdentityRecord>> newMembers = new LinkedHashMap<>();
        for (String profile : affected) {
            List<IdentityRecord> members = profilesRead.getOrDefault(profile, List.of());
            oldMembers.put(profile, members);
            newMembers.put(profile, new ArrayList<>(members));
        }
        Set<ExternalId> saved = new HashSet<>();
        for (IdentityRecord record : records) {
            saved.add(record.id());
        }
        for (List<IdentityRecord> members : newMembers.values()) {
            members.removeIf(member -> saved.contains(member.id()));
        }
        for (IdentityRecord record : records) {
            newMembers.get(record.profileId()).add(record);
        }
        writeProfiles(oldMembers, newMembers, limit);
        List<Object[]> inserted = new ArrayList<>();
        List<Object[]> updated = new ArrayList<>();
        for (IdentityRecord record : records) {
            IdentityRecord previous = before.get(record.id());
            if (previous == null) {
                inserted.add(new Object[] {recordHash(record.id()), record.id().source(), record.id().id(),
                    record.profileId(), now});
            } else if (!previous.profileId().equals(record.profileId())) {
                updated.add(new Object[] {record.profileId(), recordHash(record.id())});
            }
            recordsRead.put(record.id(), record);
        }
        Sql.batch(connection, "insert into identity_records (record_hash, source, record_id, profile_id, resolved_at)"
                + " values (?, ?, ?, ?, ?)", inserted);
        Sql.batch(connection, "update identity_records set profile_id = ? where record_hash = ?", updated);
    }

    /**
     * Writes changed profiles: their rows and the key rows that follow from their members. A key already held by more
     * than {@code limit} profiles takes no more; a profile that leaves a key gives its slot to the key's last row, so
     * that the slots stay numbered without gaps.
     */
    private void writeProfiles(Map<String, List<IdentityRecord>> oldMembers,
                               Map<String, List<IdentityRecord>> newMembers, int limit) {
        int through = (int) Math.min(Math.max(limit, 0), SLOT_MASK);
        Map<String, Set<Long>> oldKeys = new HashMap<>();
        Map<String, Set<Long>> newKeys = new HashMap<>();
        Set<Long> added = new LinkedHashSet<>();
        Set<Long> removed = new LinkedHashSet<>();
        for (String profile : newMembers.keySet()) {
            oldKeys.put(profile, prefixes(oldMembers.get(profile)));
            newKeys.put(profile, prefixes(newMembers.get(profile)));
            for (long prefix : oldKeys.get(profile)) {
                if (!newKeys.get(profile).contains(prefix)) {
                    removed.add(prefix);
                }
            }
            for (long prefix : newKeys.get(profile)) {
                if (!oldKeys.get(profile).contains(prefix)) {
                    added.add(prefix);
                }
            }
        }
        readKeys(removed, (int) SLOT_MASK);   // a row leaving moves the last row: all of them
        readKeys(added, through);
        Map<Long, Map<Integer, String>> before = new HashMap<>();
        for (long prefix : removed) {
            before.put(prefix, new HashMap<>(keysRead.get(prefix)));
        }
        for (long prefix : added) {
            before.computeIfAbsent(prefix, p -> new HashMap<>(keysRead.get(p)));
        }
        for (String profile : newMembers.keySet()) {
            for (long prefix : oldKeys.get(profile)) {
                if (!newKeys.get(profile).contains(prefix)) {
                    java.util.TreeMap<Integer, String> rows = keysRead.get(prefix);
                    Integer slot = null;
                    for (Map.Entry<Integer, String> row : rows.entrySet()) {
                        if (row.getValue().equals(profile)) {
                            slot = row.getKey();
                        }
                    }
                    if (slot != null) {
                        String last = rows.remove(rows.lastKey());
                        if (!last.equals(profile)) {
                            rows.put(slot, last);
                        }
                    }
                }
            }
            for (long prefix : newKeys.get(profile)) {
                if (oldKeys.get(profile).contains(prefix)) {
                    continue;
                }
                java.util.TreeMap<Integer, String> rows = keysRead.get(prefix);
                // more than the limit: too common to find candidates by, whoever else holds it
                if (rows.size() > through || rows.containsValue(profile)) {
                    continue;
                }
                rows.put(rows.size(), profile);
            }
        }
        List<Object[]> removedKeys = new ArrayList<>();
        List<Object[]> addedKeys = new ArrayList<>();
        before.forEach((prefix, was) -> {
            Map<Integer, String> after = keysRead.get(prefix);
            Set<Integer> slots = new HashSet<>(was.keySet());
            slots.addAll(after.keySet());
            for (int slot : slots) {
                String old = was.get(slot);
                String current = after.get(slot);
                if (old != null && !old.equals(current)) {
                    removedKeys.add(new Object[] {prefix, slot});
                }
                if (current != null && !current.equals(old)) {
                    addedKeys.add(new Object[] {prefix, slot, current});
                }
            }
        });
        Sql.batch(connection, "delete from identity_keys where key_hash = ? and slot = ?", removedKeys);
        Sql.batch(connection, "insert into identity_keys (key_hash, slot, profile_id) values (?, ?, ?)", addedKeys);

        List<Object[]> insertedProfiles = new ArrayList<>();
        List<Object[]> updatedProfiles = new ArrayList<>();
        List<Object[]> deletedProfiles = new ArrayList<>();
        for (Map.Entry<String, List<IdentityRecord>> entry : newMembers.entrySet()) {
            String profile = entry.getKey();
            List<IdentityRecord> members = entry.getValue();
            if (members.isEmpty()) {
                if (!oldMembers.get(profile).isEmpty()) {
                    deletedProfiles.add(new Object[] {profileNumber(profile)});
                }
            } else if (oldMembers.get(profile).isEmpty()) {
                insertedProfiles.add(new Object[] {profileNumber(profile), profile, members.size(),
                    encodeMembers(members), now});
            } else {
                updatedProfiles.add(new Object[] {members.size(), encodeMembers(members), now,
                    profileNumber(profile)});
            }
            profilesRead.put(profile, List.copyOf(members));
        }
        Sql.batch(connection, "delete from identity_profiles where profile_no = ?", deletedProfiles);
        Sql.batch(connection, "insert into identity_profiles (profile_no, profile_id, records, members, updated_at)"
                + " values (?, ?, ?, ?, ?)", insertedProfiles);
        Sql.batch(connection, "update identity_profiles set records = ?, members = ?, updated_at = ?"
                + " where profile_no = ?", updatedProfiles);
    }

    private static Set<Long> prefixes(List<IdentityRecord> members) {
        Set<Long> prefixes = new LinkedHashSet<>();
        for (IdentityRecord member : members) {
            for (long key : member.keys()) {
                prefixes.add(key & ~SLOT_MASK);
            }
        }
        return prefixes;
    }

    @Override
    public void saveReviews(Collection<IdentityReview> reviews) {
        List<Object[]> rows = new ArrayList<>(reviews.size());
        for (IdentityReview review : reviews) {
            rows.add(new Object[] {review.record().source(), review.record().id(), review.profileId(),
                review.candidateId(), review.probability(), abbreviate(review.evidence()), review.kind().key(), now});
        }
        Sql.batch(connection, """
                merge into identity_review_queue t
                using (values (cast(? as varchar(100)), cast(? as varchar(255)), cast(? as varchar(40)),
                    cast(? as varchar(40)), cast(? as double precision), cast(? as varchar(500)),
                    cast(? as varchar(20)), cast(? as timestamp with time zone)))
                    as s(source, record_id, profile_id, candidate_id, probability, evidence, kind, created_at)
                on t.source = s.source and t.record_id = s.record_id and t.candidate_id = s.candidate_id
                when matched and t.status = 'open' then update set profile_id = s.profile_id,
                    probability = s.probability, evidence = s.evidence, kind = s.kind
                when not matched then insert (source, record_id, profile_id, candidate_id, probability, evidence,
                    kind, status, created_at)
                    values (s.source, s.record_id, s.profile_id, s.candidate_id, s.probability, s.evidence, s.kind,
                    'open', s.created_at)
                """, rows);
    }

    @Override
    public Optional<MatchWeights> weights() {
        return Sql.one(connection, "select weights from identity_weights where accepted = true and version ="
                        + " (select max(version) from identity_weights where accepted = true)",
                row -> MatchWeights.parse(row.getString(1)));
    }

    @Override
    public long weightsVersion() {
        return Sql.count(connection, "select coalesce(max(version), 0) from identity_weights where accepted = true");
    }

    @Override
    public long lastEstimateRecords() {
        return Sql.count(connection, "select coalesce(max(records), 0) from identity_weights");
    }

    @Override
    public void saveWeights(WeightEstimator.Estimate estimate, String trigger) {
        Sql.update(connection, "insert into identity_weights (created_at, trigger_name, accepted, records, pairs,"
                        + " matches, weights, warnings) values (?, ?, ?, ?, ?, ?, ?, ?)", now, trigger,
                estimate.accepted(), estimate.records(), estimate.pairs(), estimate.matches(),
                Sql.text(estimate.weights() == null ? null : estimate.weights().toText()),
                String.join("\n", estimate.warnings()));
        if (!estimate.accepted()) {
            LOG.warn("Identity weights not changed ({} estimate from {} records): {}", trigger, estimate.records(),
                    String.join("; ", estimate.warnings()));
        } else {
            LOG.info("Identity weights re-estimated ({}) from {} candidate pairs of {} records{}", trigger,
                    estimate.pairs(), estimate.records(), estimate.warnings().isEmpty() ? ""
                            : "; " + String.join("; ", estimate.warnings()));
        }
    }

    /** Up to {@code limit} records of profiles from a random point of the profiles' order (their ids' hashes). */
    @Override
    public List<IdentityRecord> sample(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        long start = new SplittableRandom(recordCount()).nextLong();
        List<IdentityRecord> sample = new ArrayList<>();
        for (String where : new String[] {"profile_no >= ?", "profile_no < ?"}) {
            if (sample.size() >= limit) {
                break;
            }
            Sql.forEach(connection, "select profile_id, members, records from identity_profiles where " + where
                    + " order by profile_no limit ?", row -> {
                        try {
                            if (sample.size() < limit) {
                                sample.addAll(decodeMembers(row.getString(1), row.getString(2)));
                            }
                        } catch (SQLException e) {
                            throw new StoreException("cannot read an identity profile: " + e.getMessage(), e);
                        }
                    }, start, limit - sample.size());
        }
        return sample.size() > limit ? sample.subList(0, limit) : sample;
    }

    // ---- maintenance, review and splits ------------------------------------------------------------------------

    /** The identity record of one person record, if resolved. */
    public Optional<IdentityRecord> record(ExternalId id) {
        return Optional.ofNullable(records(List.of(id)).get(id));
    }

    /** Forgets a record (deleted at its source): its place in its profile, and the keys only it gave the profile. */
    public void remove(ExternalId id) {
        record(id).ifPresent(record -> {
            String profile = record.profileId();
            List<IdentityRecord> members = new ArrayList<>(profilesRead.getOrDefault(profile, List.of()));
            members.removeIf(member -> member.id().equals(id));
            writeProfiles(Map.of(profile, profilesRead.getOrDefault(profile, List.of())), Map.of(profile, members),
                    (int) SLOT_MASK);
            Sql.update(connection, "delete from identity_records where record_hash = ?", recordHash(id));
            recordsRead.put(id, null);
        });
    }

    /**
     * Linked person records that identity resolution holds no record of (linked before it kept its own), from a
     * page of links after the given one (null for the first), with their canonical persons as last stored. Returns
     * the page's last link too, to go on from.
     *
     * @param unresolved the records to resolve, with their persons
     * @param last       the page's last link, or null when there are no more
     */
    public record UnresolvedLinks(Map<PersonLink, Person> unresolved, ExternalId last) {
    }

    public UnresolvedLinks unresolvedLinks(ExternalId after, int limit) {
        Map<PersonLink, Person> page = new LinkedHashMap<>();
        Sql.forEach(connection, """
                select l.*, s.normalized from person_links l
                left join source_records s on s.source = l.source and s.stream = l.stream and s.record_id = l.record_id
                where l.source > ? or (l.source = ? and l.record_id > ?)
                order by l.source, l.record_id limit ?
                """, row -> {
                    try {
                        PersonLink link = ProfileRepository.mapLink(row);
                        String json = row.getString("normalized");
                        page.put(link, json == null ? Person.builder(link.person(), Instant.EPOCH).build()
                                : CanonicalJson.person(json));
                    } catch (SQLException e) {
                        throw new StoreException("cannot read a person link: " + e.getMessage(), e);
                    }
                }, after == null ? "" : after.source(), after == null ? "" : after.source(),
                after == null ? "" : after.id(), limit);
        ExternalId last = null;
        for (PersonLink link : page.keySet()) {
            last = link.person();
        }
        Map<ExternalId, IdentityRecord> known = records(page.keySet().stream().map(PersonLink::person).toList());
        page.keySet().removeIf(link -> known.containsKey(link.person()));
        return new UnresolvedLinks(page, page.size() + known.size() < limit ? null : last);
    }

    /** Every record the review queue holds with this status ({@code open}, ...), most probable first. */
    public List<Review> reviews(String status, int limit) {
        return Sql.query(connection, "select * from identity_review_queue where status = ?"
                + " order by probability desc, review_id limit ?", IdentityRepository::mapReview, status, limit);
    }

    public Optional<Review> review(long id) {
        return Sql.one(connection, "select * from identity_review_queue where review_id = ?",
                IdentityRepository::mapReview, id);
    }

    /** Records a person's decision on a queued item. */
    public void decide(long id, String status, String note) {
        Sql.update(connection, "update identity_review_queue set status = ?, decided_at = ?, note = ?"
                + " where review_id = ?", status, now, abbreviate(note), id);
    }

    /** The records of one profile as identity resolution holds them. */
    public List<IdentityRecord> members(String profileId) {
        return profileRecords(List.of(profileId)).getOrDefault(profileId, List.of());
    }

    /**
     * Moves records into another profile: their identity records, person links (written values re-pushed) and
     * activities; both profiles are marked to be scored again; each move is logged.
     */
    public void move(Collection<ExternalId> records, String fromProfile, String toProfile, String reason) {
        if (records.isEmpty() || fromProfile.equals(toProfile)) {
            return;
        }
        new ProfileRepository(connection).create(toProfile, now);
        List<IdentityRecord> moved = new ArrayList<>();
        for (IdentityRecord record : records(records).values()) {
            moved.add(record.withProfile(toProfile));
        }
        save(moved, (int) SLOT_MASK);
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> activities = new ArrayList<>();
        List<Object[]> moves = new ArrayList<>();
        for (ExternalId record : records) {
            rows.add(new Object[] {toProfile, record.source(), record.id()});
            activities.add(new Object[] {toProfile, fromProfile, record.source(), record.id()});
            moves.add(new Object[] {record.source(), record.id(), fromProfile, toProfile, abbreviate(reason, 200), now});
        }
        Sql.batch(connection, "update person_links set profile_id = ?, push_pending = true where source = ?"
                + " and record_id = ?", rows);
        // an activity attached through its person's link is on that person's profile (ActivityRepository)
        Sql.batch(connection, "update activities set profile_id = ? where profile_id = ? and person_source = ?"
                + " and person_record_id = ?", activities);
        Sql.batch(connection, "insert into identity_moves (source, record_id, from_profile, to_profile, reason,"
                + " moved_at) values (?, ?, ?, ?, ?, ?)", moves);
        new ProfileRepository(connection).markChanged(List.of(fromProfile, toProfile), now);
    }

    /**
     * Every record of a profile into another (a merge): the records the pipeline links to it and those identity
     * resolution holds in it, and its activities.
     */
    public void mergeProfile(String fromProfile, String toProfile, String reason) {
        Set<ExternalId> records = new LinkedHashSet<>(Sql.query(connection, "select source, record_id from person_links"
                + " where profile_id = ?", row -> new ExternalId(row.getString(1), row.getString(2)), fromProfile));
        members(fromProfile).forEach(member -> records.add(member.id()));
        move(records, fromProfile, toProfile, reason);
        Sql.update(connection, "update activities set profile_id = ? where profile_id = ?", toProfile, fromProfile);
    }

    /** The profile a record was in before it last moved into its current one, if it ever moved. */
    public Optional<Move> lastMove(ExternalId record) {
        return Sql.one(connection, "select * from identity_moves where source = ? and record_id = ? and move_id ="
                        + " (select max(move_id) from identity_moves where source = ? and record_id = ?)",
                row -> new Move(new ExternalId(row.getString("source"), row.getString("record_id")),
                        row.getString("from_profile"), row.getString("to_profile"), row.getString("reason"),
                        Sql.instant(row, "moved_at")), record.source(), record.id(), record.source(), record.id());
    }

    /** Remembers that two groups of records are different people: never linked again automatically. */
    public void keepApart(Collection<ExternalId> these, Collection<ExternalId> those) {
        List<Object[]> rows = new ArrayList<>();
        for (ExternalId a : these) {
            for (ExternalId b : those) {
                if (!a.equals(b)) {
                    rows.add(new Object[] {recordHash(a), a.source(), a.id(), b.source(), b.id(), now});
                    rows.add(new Object[] {recordHash(b), b.source(), b.id(), a.source(), a.id(), now});
                }
            }
        }
        Sql.batch(connection, """
                merge into identity_kept_apart t
                using (values (cast(? as bigint), cast(? as varchar(100)), cast(? as varchar(255)),
                    cast(? as varchar(100)), cast(? as varchar(255)), cast(? as timestamp with time zone)))
                    as s(record_hash, source, record_id, other_source, other_record_id, created_at)
                on t.source = s.source and t.record_id = s.record_id and t.other_source = s.other_source
                    and t.other_record_id = s.other_record_id
                when not matched then insert (record_hash, source, record_id, other_source, other_record_id,
                    created_at)
                    values (s.record_hash, s.source, s.record_id, s.other_source, s.other_record_id, s.created_at)
                """, rows);
    }

    /** Forgets that records were kept apart (a person confirmed they are one). */
    public void forgetApart(Collection<ExternalId> these, Collection<ExternalId> those) {
        List<Object[]> rows = new ArrayList<>();
        for (ExternalId a : these) {
            for (ExternalId b : those) {
                rows.add(new Object[] {a.source(), a.id(), b.source(), b.id()});
                rows.add(new Object[] {b.source(), b.id(), a.source(), a.id()});
            }
        }
        Sql.batch(connection, "delete from identity_kept_apart where source = ? and record_id = ? and other_source = ?"
                + " and other_record_id = ?", rows);
    }

    /** The estimates of the weights, newest first. */
    public List<StoredWeights> estimates(int limit) {
        return Sql.query(connection, "select * from identity_weights order by version desc limit ?", row ->
                new StoredWeights(row.getLong("version"), Sql.instant(row, "created_at"), row.getString("trigger_name"),
                        row.getBoolean("accepted"), row.getLong("records"), row.getLong("pairs"),
                        row.getDouble("matches"), row.getString("weights") == null ? null
                        : MatchWeights.parse(row.getString("weights")), row.getString("warnings").isEmpty() ? List.of()
                        : List.of(row.getString("warnings").split("\n"))), limit);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** A record's 64-bit id hash, its row key (a collision would merge two records' rows: about 1 in 10^7 at 10^6). */
    static long recordHash(ExternalId id) {
        return hash(id.source() + "\u0000" + id.id());
    }

    /** A profile's row key: a 64-bit hash of its id. */
    static long profileNumber(String profileId) {
        return hash(profileId);
    }

    private static long hash(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 31;
        hash *= 0x7fb5d329728ea185L;
        hash ^= hash >>> 27;
        return hash;
    }

    /** A profile's records as one text: a line per record (source, id, values, keys in base 36). */
    private static String encodeMembers(List<IdentityRecord> members) {
        StringBuilder text = new StringBuilder(members.size() * 160);
        for (IdentityRecord member : members) {
            if (text.length() > 0) {
                text.append(LINE);
            }
            text.append(member.id().source()).append(FIELD).append(member.id().id()).append(FIELD)
                    .append(member.encode()).append(FIELD);
            long[] keys = member.keys();
            for (int i = 0; i < keys.length; i++) {
                if (i > 0) {
                    text.append(' ');
                }
                text.append(Long.toString(keys[i], 36));
            }
        }
        return text.toString();
    }

    private static List<IdentityRecord> decodeMembers(String profile, String text) {
        List<IdentityRecord> members = new ArrayList<>(2);
        int start = 0;
        while (!text.isEmpty() && start <= text.length()) {
            int end = text.indexOf(LINE, start);
            if (end < 0) {
                end = text.length();
            }
            int first = text.indexOf(FIELD, start);
            int second = text.indexOf(FIELD, first + 1);
            int third = text.indexOf(FIELD, second + 1);
            String keys = text.substring(third + 1, end);
            String[] parts = keys.isEmpty() ? new String[0] : keys.split(" ");
            long[] values = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                values[i] = Long.parseLong(parts[i], 36);
            }
            members.add(IdentityRecord.decode(new ExternalId(text.substring(start, first),
                    text.substring(first + 1, second)), profile, text.substring(second + 1, third), values));
            start = end + 1;
        }
        return members;
    }

    private static Review mapReview(ResultSet row) throws SQLException {
        IdentityReview item = new IdentityReview(new ExternalId(row.getString("source"), row.getString("record_id")),
                row.getString("profile_id"), row.getString("candidate_id"), row.getDouble("probability"),
                row.getString("evidence"), IdentityReview.Kind.parse(row.getString("kind")));
        return new Review(row.getLong("review_id"), item, row.getString("status"), Sql.instant(row, "created_at"),
                Sql.instant(row, "decided_at"), row.getString("note"));
    }

    private static String abbreviate(String text) {
        return abbreviate(text, 500);
    }

    private static String abbreviate(String text, int length) {
        return Sql.abbreviate(text, length);
    }
}
