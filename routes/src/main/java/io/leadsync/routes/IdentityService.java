package io.leadsync.routes;

import io.leadsync.connector.ExternalId;
import io.leadsync.identity.IdentityRecord;
import io.leadsync.identity.IdentityResolver;
import io.leadsync.identity.IdentitySettings;
import io.leadsync.identity.ProfileIds;
import io.leadsync.identity.WeightEstimator;
import io.leadsync.store.IdentityRepository;
import io.leadsync.store.Store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What people do with identity resolution, each in one transaction: re-estimate the weights from the store's
 * records (on demand and on a schedule), work the review queue (confirm: the record's profile merges into the
 * candidate; reject: the two are kept apart for good), and split records off a profile (they return to the profiles
 * they had before, the profiles are marked to be scored again, and the split is remembered: those records are never
 * linked with the rest again automatically). Called by the HTTP API and the command line; thread-safe.
 */
public final class IdentityService {
    private final Store store;
    private final Clock clock;
    private final IdentityResolver resolver;

    public IdentityService(Store store, Clock clock, IdentitySettings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.resolver = settings.resolver();
    }

    /** The outcome of a decision, for the person who made it. */
    public record Outcome(List<String> profilesChanged, String message) {
        public Outcome {
            profilesChanged = List.copyOf(profilesChanged);
        }
    }

    /** Estimates the weights from the store's records now; records linked before the engine kept them come first. */
    public synchronized WeightEstimator.Estimate estimate(String trigger) {
        backfill();
        return store.inTransaction(tx -> resolver.estimate(tx.identity(clock.instant()), trigger));
    }

    /**
     * Gives identity resolution the records linked before it kept its own (after an upgrade): their values and keys,
     * in their current profiles. Returns how many it added.
     */
    public synchronized int backfill() {
        int added = 0;
        ExternalId after = null;
        do {
            ExternalId from = after;
            IdentityRepository.UnresolvedLinks page = store.inTransaction(tx -> {
                IdentityRepository identity = tx.identity(clock.instant());
                IdentityRepository.UnresolvedLinks links = identity.unresolvedLinks(from, 1_000);
                List<IdentityRecord> records = new ArrayList<>();
                links.unresolved().forEach((link, person) ->
                        records.add(resolver.record(person).withProfile(link.profileId())));
                identity.save(records, resolver.candidatesPerKey());
                return links;
            });
            added += page.unresolved().size();
            after = page.last();
        } while (after != null);
        return added;
    }

    public List<IdentityRepository.StoredWeights> estimates(int limit) {
        return store.inTransaction(tx -> tx.identity().estimates(limit));
    }

    public List<IdentityRepository.Review> reviews(String status, int limit) {
        return store.inTransaction(tx -> tx.identity().reviews(status, limit));
    }

    /** Confirms a queued pair: the record's profile merges into the candidate, even past the size bound. */
    public synchronized Outcome confirm(long reviewId) {
        return store.inTransaction(tx -> {
            IdentityRepository identity = tx.identity(clock.instant());
            IdentityRepository.Review review = open(identity, reviewId);
            String from = identity.record(review.item().record()).map(IdentityRecord::profileId)
                    .orElse(review.item().profileId());
            String into = review.item().candidateId();
            if (from.equals(into)) {
                identity.decide(reviewId, "confirmed", "already one profile");
                return new Outcome(List.of(), "review " + reviewId + ": " + review.item().record() + " is already in "
                        + into);
            }
            List<ExternalId> moving = ids(identity.members(from));
            identity.forgetApart(moving, ids(identity.members(into)));
            identity.mergeProfile(from, into, "confirmed review " + reviewId);
            identity.decide(reviewId, "confirmed", "merged " + from + " into " + into);
            return new Outcome(List.of(from, into), "review " + reviewId + ": merged " + from + " (" + moving.size()
                    + " records) into " + into + "; both are scored again on the next run");
        });
    }

    /** Rejects a queued pair: the record and the candidate's records are kept apart from now on. */
    public synchronized Outcome reject(long reviewId) {
        return store.inTransaction(tx -> {
            IdentityRepository identity = tx.identity(clock.instant());
            IdentityRepository.Review review = open(identity, reviewId);
            List<ExternalId> candidates = ids(identity.members(review.item().candidateId()));
            identity.keepApart(List.of(review.item().record()), candidates);
            identity.decide(reviewId, "rejected", "kept apart from " + candidates.size() + " records of "
                    + review.item().candidateId());
            return new Outcome(List.of(), "review " + reviewId + ": " + review.item().record()
                    + " is kept apart from " + review.item().candidateId() + " from now on");
        });
    }

    /**
     * Splits records off a profile. Each returns to the profile it had before it moved into this one (a merge), or,
     * if it never moved, to a profile of its own; the split records are kept apart from those that stay, and every
     * profile involved is marked to be scored again.
     *
     * @throws IllegalArgumentException if a record is not in the profile, or every record would leave
     */
    public synchronized Outcome split(String profileId, Collection<ExternalId> records) {
        return store.inTransaction(tx -> {
            IdentityRepository identity = tx.identity(clock.instant());
            List<ExternalId> members = ids(identity.members(profileId));
            if (members.isEmpty()) {
                throw new IllegalArgumentException("no profile " + profileId + " holds records");
            }
            Set<ExternalId> leaving = new LinkedHashSet<>(records);
            for (ExternalId record : leaving) {
                if (!members.contains(record)) {
                    throw new IllegalArgumentException(record + " is not in profile " + profileId);
                }
            }
            if (leaving.isEmpty() || leaving.size() == members.size()) {
                throw new IllegalArgumentException("a split names some, not all, of the " + members.size()
                        + " records of " + profileId);
            }
            Map<String, List<ExternalId>> targets = new LinkedHashMap<>();
            for (ExternalId record : leaving) {
                targets.computeIfAbsent(earlierProfile(identity, record, profileId), p -> new ArrayList<>())
                        .add(record);
            }
            List<ExternalId> staying = new ArrayList<>(members);
            staying.removeAll(leaving);
            List<String> changed = new ArrayList<>(List.of(profileId));
            targets.forEach((target, moving) -> {
                identity.move(moving, profileId, target, "split from " + profileId);
                changed.add(target);
            });
            identity.keepApart(leaving, staying);
            return new Outcome(changed, "split " + leaving.size() + " records off " + profileId + " into "
                    + String.join(", ", targets.keySet()) + "; they are kept apart from its " + staying.size()
                    + " other records, and every profile involved is scored again on the next run");
        });
    }

    /** Where a record goes when split off: the profile it came from, else its own (a new id if it founded this one). */
    private static String earlierProfile(IdentityRepository identity, ExternalId record,
                                         String profileId) {
        Optional<IdentityRepository.Move> move = identity.lastMove(record);
        if (move.isPresent() && move.get().toProfile().equals(profileId)
                && !move.get().fromProfile().equals(profileId)
                && identity.members(move.get().fromProfile()).isEmpty()) {
            return move.get().fromProfile();
        }
        String own = ProfileIds.foundedBy(record);
        for (int times = 1; own.equals(profileId) || !identity.members(own).isEmpty(); times++) {
            own = ProfileIds.splitOff(record, times);
        }
        return own;
    }

    private static IdentityRepository.Review open(IdentityRepository identity, long reviewId) {
        IdentityRepository.Review review = identity.review(reviewId)
                .orElseThrow(() -> new IllegalArgumentException("no review " + reviewId));
        if (!review.status().equals("open")) {
            throw new IllegalStateException("review " + reviewId + " was " + review.status() + " already");
        }
        return review;
    }

    private static List<ExternalId> ids(List<IdentityRecord> records) {
        return records.stream().map(IdentityRecord::id).toList();
    }
}
