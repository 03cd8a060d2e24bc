package io.leadsync.identity;

import io.leadsync.connector.ExternalId;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What identity resolution reads and writes, a page of records at a time: implemented by the store's identity
 * repository on the database (one query per kind of lookup per page, never one per record), and in memory by tests.
 * {@link IdentityResolver} calls it on the thread that resolves a page, inside that page's transaction; an
 * implementation need not be thread-safe.
 */
public interface IdentityStore {

    /** The stored records among these ids (records resolved before), by id. */
    Map<ExternalId, IdentityRecord> records(Collection<ExternalId> ids);

    /**
     * For each key, profiles holding a record with it: all of them when there are at most {@code limit}, otherwise
     * {@code limit + 1} of them (more than {@code limit} tells the key is too common to find candidates by, and which
     * profiles are then left out is not defined). Keys no record holds are absent.
     */
    Map<Long, List<String>> holders(long[] keys, int limit);

    /** The records of these profiles, by profile. */
    Map<String, List<IdentityRecord>> profileRecords(Collection<String> profileIds);

    /** For each of these records that a person split from others, the records it must never be linked with again. */
    Map<ExternalId, Set<ExternalId>> keptApart(Collection<ExternalId> ids);

    /**
     * How many records are stored: exact for a small store, and may be an estimate within a few percent for a large
     * one (it sets the prior and when the store's growth asks for new weights, asked for every page).
     */
    long recordCount();

    /**
     * Stores records (values, keys and profile), replacing earlier versions of the same ids. A key already held by
     * more than {@code limit} profiles is too common to find candidates by ({@link #holders}), and need not be stored
     * for more: its holders are then {@code limit + 1} of them.
     */
    void save(Collection<IdentityRecord> records, int limit);

    /** Puts items in the review queue (an item already there for the same record and candidate is updated). */
    void saveReviews(Collection<IdentityReview> reviews);

    /** The weights in service: the last estimate that passed its checks, if any. */
    Optional<MatchWeights> weights();

    /** A number that changes whenever the weights in service change (0 when there are none). */
    long weightsVersion();

    /** Records in the store when weights were last estimated, whether the estimate was accepted or not (0: never). */
    long lastEstimateRecords();

    /** Keeps an estimate: put in service if it passed its checks, otherwise kept with its warnings only. */
    void saveWeights(WeightEstimator.Estimate estimate, String trigger);

    /** Up to {@code limit} stored records picked at random. */
    List<IdentityRecord> sample(int limit);
}
