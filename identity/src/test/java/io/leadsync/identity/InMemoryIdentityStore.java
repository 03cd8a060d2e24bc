package io.leadsync.identity;

import io.leadsync.connector.ExternalId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/** An {@link IdentityStore} in memory, for tests: what the database does, in maps. */
public final class InMemoryIdentityStore implements IdentityStore {
    private final Map<ExternalId, IdentityRecord> records = new LinkedHashMap<>();
    private final Map<Long, LinkedHashSet<ExternalId>> byKey = new HashMap<>();
    private final Map<String, LinkedHashSet<ExternalId>> byProfile = new HashMap<>();
    private final Map<ExternalId, Set<ExternalId>> apart = new HashMap<>();
    public final List<IdentityReview> reviews = new ArrayList<>();
    public final List<WeightEstimator.Estimate> estimates = new ArrayList<>();
    private MatchWeights weights;
    private long weightsVersion;

    @Override
    public Map<ExternalId, IdentityRecord> records(Collection<ExternalId> ids) {
        Map<ExternalId, IdentityRecord> found = new HashMap<>();
        for (ExternalId id : ids) {
            IdentityRecord record = records.get(id);
            if (record != null) {
                found.put(id, record);
            }
        }
        return found;
    }

    @Override
    public Map<Long, List<String>> holders(long[] keys, int limit) {
        Map<Long, List<String>> found = new HashMap<>();
        for (long key : keys) {
            LinkedHashSet<ExternalId> holding = byKey.get(key);
            if (holding == null) {
                continue;
            }
            LinkedHashSet<String> profiles = new LinkedHashSet<>();
            for (ExternalId id : holding) {
                profiles.add(records.get(id).profileId());
                if (profiles.size() > limit) {
                    break;
                }
            }
            found.put(key, new ArrayList<>(profiles));
        }
        return found;
    }

    @Override
    public Map<String, List<IdentityRecord>> profileRecords(Collection<String> profileIds) {
        Map<String, List<IdentityRecord>> found = new HashMap<>();
        for (String profile : profileIds) {
            LinkedHashSet<ExternalId> members = byProfile.get(profile);
            if (members != null && !members.isEmpty()) {
                found.put(profile, members.stream().map(records::get).toList());
            }
        }
        return found;
    }

    @Override
    public Map<ExternalId, Set<ExternalId>> keptApart(Collection<ExternalId> ids) {
        Map<ExternalId, Set<ExternalId>> found = new HashMap<>();
        for (ExternalId id : ids) {
            if (apart.containsKey(id)) {
                found.put(id, apart.get(id));
            }
        }
        return found;
    }

    /** Notes that two records must never be linked again (what a split remembers). */
    public void keepApart(ExternalId a, ExternalId b) {
        apart.computeIfAbsent(a, k -> new LinkedHashSet<>()).add(b);
        apart.computeIfAbsent(b, k -> new LinkedHashSet<>()).add(a);
    }

    @Override
    public long recordCount() {
        return records.size();
    }

    @Override
    public void save(Collection<IdentityRecord> saved, int limit) {
        for (IdentityRecord record : saved) {
            IdentityRecord before = records.put(record.id(), record);
            if (before != null) {
                for (long key : before.keys()) {
                    byKey.get(key).remove(record.id());
                }
                byProfile.get(before.profileId()).remove(record.id());
            }
            for (long key : record.keys()) {
                byKey.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(record.id());
            }
            byProfile.computeIfAbsent(record.profileId(), k -> new LinkedHashSet<>()).add(record.id());
        }
    }

    @Override
    public void saveReviews(Collection<IdentityReview> saved) {
        reviews.addAll(saved);
    }

    @Override
    public Optional<MatchWeights> weights() {
        return Optional.ofNullable(weights);
    }

    @Override
    public long weightsVersion() {
        return weightsVersion;
    }

    @Override
    public long lastEstimateRecords() {
        return estimates.isEmpty() ? 0 : estimates.get(estimates.size() - 1).records();
    }

    @Override
    public void saveWeights(WeightEstimator.Estimate estimate, String trigger) {
        estimates.add(estimate);
        if (estimate.accepted()) {
            weights = estimate.weights();
            weightsVersion++;
        }
    }

    @Override
    public List<IdentityRecord> sample(int limit) {
        List<IdentityRecord> all = new ArrayList<>(records.values());
        SplittableRandom random = new SplittableRandom(all.size());
        for (int i = all.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            IdentityRecord swap = all.get(i);
            all.set(i, all.get(j));
            all.set(j, swap);
        }
        return all.subList(0, Math.min(limit, all.size()));
    }

    /** The profile of a record, if stored. */
    public Optional<String> profileOf(ExternalId id) {
        return Optional.ofNullable(records.get(id)).map(IdentityRecord::profileId);
    }
}
