package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.identity.IdentityRecord.Field;
import io.leadsync.identity.internal.BlockingKeys;
import io.leadsync.identity.internal.RecordFeatures;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The identity engine: decides which golden profile each person record joins, a page of records at a time,
 * incrementally against what the {@link IdentityStore} holds (never by re-clustering everything). The sync's pull
 * stage, {@code eval-identity} and the benchmark all resolve through {@link #resolve}.
 *
 * <p>For each record, strongest first:
 * <ol>
 *   <li>the profile it is already linked to (a record never changes profiles on its own; splits and merges are a
 *       person's decision);</li>
 *   <li>a profile holding a record whose id this one stores for another system, or that stores this one's id;</li>
 *   <li>a profile holding the same personal mailbox, when no holder's name conflicts with the record's and no
 *       other person uses it (a role inbox such as {@code sales@} never links; a household address shared by two
 *       first names does not either);</li>
 *   <li>a probable match: every profile holding a record that shares a blocking key is compared, record by record,
 *       in the Fellegi-Sunter model with the {@link MatchWeights} in service. A profile's evidence is its best
 *       record's, less each strong contradiction by its other records, so a record joins a profile on evidence
 *       against that profile's records, not through one weak link in a chain. The most probable profile at or above
 *       the match probability takes the record, unless it has reached its size bound (then the pair goes to the
 *       review queue); profiles in the review band go to the review queue;</li>
 *   <li>otherwise a new profile, whose id derives from the record ({@link ProfileIds#foundedBy}).</li>
 * </ol>
 * Records a person split apart are never linked again automatically.
 *
 * <p>Weights are those in the store, learned from its own records; until there are any, the built-in ones. When
 * {@link MatchSettings#learnWeights()} is on, the resolver re-estimates them before a page that brings the store to
 * twice its size at the last estimate (from 1,000 records to past 50,000, as estimates sample
 * {@value WeightEstimator#SAMPLE_RECORDS} records; then the schedule and requests take over). Until an estimate is
 * accepted, the built-in weights take the store's own term frequencies from {@value #MIN_RECORDS_TO_COUNT} records on
 * ({@link WeightEstimator#countedFrequencies}).
 * Thread-safe.
 */
public final class IdentityResolver {
    /** The fewest records weights are learned from automatically. */
    public static final int MIN_RECORDS_TO_LEARN = 1_000;
    /**
     * From this many records until weights are learned, the built-in weights use the store's own term frequencies
     * (a surname common in this store weighs as common, whatever the built-in name lists say).
     */
    public static final int MIN_RECORDS_TO_COUNT = 200;
    /**
     * Past this many records the store's growth no longer triggers estimates (its samples would barely change):
     * the schedule and requests re-estimate from then on.
     */
    public static final int MAX_RECORDS_TO_LEARN_BY_GROWTH = 50_000;
    /**
     * The prior counts at least this many records: in a store with fewer, a new record would otherwise be a likely
     * match of anyone who shares its name.
     */
    static final int MIN_POPULATION = 1_000;
    /** Bits of contradiction by a profile's other record that do not yet count against the profile. */
    private static final double CONTRADICTION_MARGIN = 4;
    /** Bits of evidence against a profile's record that no shared value makes up for. */
    private static final double STRONG_CONTRADICTION = 8;
    private static final Comparison[] COMPARISONS = Comparison.values();
    private static final int COMPARISON_COUNT = COMPARISONS.length;
    /** Key families strong enough that sharing one makes a candidate: email, local part, phone, birth date, address. */
    private static final String STRONG_KEYS = "elpba";
    /** Up to this many candidate profiles a record is compared with all of them. */
    private static final int FEW_CANDIDATES = 8;

    private final MatchSettings settings;
    private final RecordFeatures features;
    private final WeightEstimator estimator;
    private volatile CachedWeights cached = new CachedWeights(-1, MatchWeights.defaults());

    private record CachedWeights(long version, MatchWeights weights) {
    }

    /**
     * @param settings probable-match settings, or null to link deterministically only (ids and emails)
     * @param emails   how emails are normalized into mailboxes
     * @param phones   how phones are normalized
     */
    public IdentityResolver(MatchSettings settings, EmailNormalizer emails, PhoneNormalizer phones) {
        this.settings = settings;
        this.features = new RecordFeatures(Objects.requireNonNull(emails, "emails"),
                Objects.requireNonNull(phones, "phones"));
        this.estimator = new WeightEstimator();
    }

    /** The probable-match settings, or empty when matching is off. */
    public Optional<MatchSettings> settings() {
        return Optional.ofNullable(settings);
    }

    /** A blocking key held by more profiles than this is too common to find candidates by. */
    public int candidatesPerKey() {
        return (settings == null ? MatchSettings.defaults() : settings).candidatesPerKey();
    }

    /** A person as identity resolution compares it: normalized values and blocking keys, in no profile yet. */
    public IdentityRecord record(Person person) {
        return features.record(person);
    }

    /** The weights resolution would use now with this store. */
    public MatchWeights weights(IdentityStore store) {
        long version = store.weightsVersion();
        CachedWeights current = cached;
        if (current.version() != version) {
            current = new CachedWeights(version, store.weights().orElseGet(MatchWeights::defaults));
            cached = current;
        }
        return current.weights();
    }

    /**
     * Estimates weights from the store's records now (on demand, on the schedule) and keeps the estimate: in
     * service if it passes its checks, otherwise with its warnings beside the weights in service.
     */
    public WeightEstimator.Estimate estimate(IdentityStore store, String trigger) {
        return estimate(store, List.of(), trigger);
    }

    private WeightEstimator.Estimate estimate(IdentityStore store, List<IdentityRecord> page, String trigger) {
        MatchWeights current = weights(store);
        int perKey = candidatesPerKey();
        WeightEstimator.TrainingData data = WeightEstimator.TrainingData.collect(store, page, perKey);
        WeightEstimator.Estimate estimate = estimator.estimate(data, current);
        store.saveWeights(estimate, trigger);
        if (!estimate.accepted()) {
            saveCounted(store, data, current, trigger, "the estimate was refused");
        }
        return estimate;
    }

    /** Below {@link #MIN_RECORDS_TO_LEARN} records: the built-in weights with the store's own name counts. */
    private void countFrequencies(IdentityStore store, List<IdentityRecord> page) {
        int perKey = candidatesPerKey();
        saveCounted(store, WeightEstimator.TrainingData.collect(store, page, perKey), weights(store), "growth",
                "too few records to estimate");
    }

    private void saveCounted(IdentityStore store, WeightEstimator.TrainingData data, MatchWeights current,
                             String trigger, String why) {
        estimator.countedFrequencies(data, current).ifPresent(counted -> store.saveWeights(
                new WeightEstimator.Estimate(counted, true, List.of("built-in m and u (" + why + "), term"
                        + " frequencies counted on " + counted.records() + " records"), counted.records(), 0, 0),
                trigger + " (term frequencies)"));
    }

    /**
     * Resolves a page of person records: decides each one's profile, stores the records with their profiles and
     * keys, and puts possible matches in the review queue. Records of one page may join each other.
     */
    public List<LinkDecision> resolve(List<Person> persons, IdentityStore store) {
        List<IdentityRecord> records = new ArrayList<>(persons.size());
        Map<ExternalId, Set<ExternalId>> storedIds = new HashMap<>();
        for (Person person : persons) {
            records.add(features.record(person));
            if (!person.linkedIds().isEmpty()) {
                storedIds.put(person.id(), person.linkedIds());
            }
        }
        return resolveRecords(records, storedIds, store);
    }

    private List<LinkDecision> resolveRecords(List<IdentityRecord> records, Map<ExternalId, Set<ExternalId>> storedIds,
                                              IdentityStore store) {
        if (records.isEmpty()) {
            return List.of();
        }
        long stored = store.recordCount();
        if (settings != null && settings.learnWeights()) {
            long total = stored + records.size();
            long last = store.lastEstimateRecords();
            if (total >= MIN_RECORDS_TO_LEARN && total >= 2 * last && last < MAX_RECORDS_TO_LEARN_BY_GROWTH) {
                estimate(store, records, "growth");
            } else if (total >= MIN_RECORDS_TO_COUNT && total >= 2 * last && weights(store).builtInLevels()) {
                countFrequencies(store, records);
            }
        }
        Page page = new Page(records, storedIds, store, weights(store), stored);
        List<LinkDecision> decisions = new ArrayList<>(records.size());
        List<IdentityReview> reviews = new ArrayList<>();
        for (IdentityRecord record : records) {
            LinkDecision decision = page.resolve(record);
            decisions.add(decision);
            reviews.addAll(decision.reviews());
        }
        store.save(page.changed.values(), page.limit);
        if (!reviews.isEmpty()) {
            store.saveReviews(reviews);
        }
        return decisions;
    }

    /** One page's view of the store, with the page's own decisions laid over it. */
    private final class Page {
        private final IdentityStore store;
        private final MatchWeights weights;
        private final Map<ExternalId, IdentityRecord> linked;
        private final Map<Long, List<String>> holders;
        private final Map<String, List<IdentityRecord>> profiles;
        private final Map<ExternalId, Set<ExternalId>> apart;
        private final Map<ExternalId, Set<ExternalId>> storedIds;
        private final int limit;
        private final Map<ExternalId, IdentityRecord> changed = new LinkedHashMap<>();
        private long records;

        Page(List<IdentityRecord> page, Map<ExternalId, Set<ExternalId>> storedIds, IdentityStore store,
             MatchWeights weights, long records) {
            this.store = store;
            this.storedIds = storedIds;
            this.weights = weights;
            this.records = records;
            this.limit = candidatesPerKey();
            List<ExternalId> ids = new ArrayList<>(page.size());
            LinkedHashSet<Long> keys = new LinkedHashSet<>();
            for (IdentityRecord record : page) {
                ids.add(record.id());
                keys.add(RecordFeatures.idKey(record.id()));
                for (int k = 0; k < record.keyCount(); k++) {
                    long key = record.key(k);
                    if (settings != null || isDeterministic(key)) {
                        keys.add(key);
                    }
                }
            }
            List<ExternalId> lookup = new ArrayList<>(ids);
            storedIds.values().forEach(lookup::addAll);
            this.linked = new HashMap<>(store.records(lookup));
            this.holders = new HashMap<>(store.holders(toArray(keys), limit));
            Set<String> wanted = new LinkedHashSet<>();
            for (IdentityRecord record : page) {
                wanted.addAll(candidates(record));
                for (char family : new char[] {'e', 'p'}) {
                    List<String> holding = holdersOf(record, family);
                    if (holding.size() <= limit) {
                        wanted.addAll(holding);
                    }
                }
                for (int k = 0; k < record.keyCount(); k++) {
                    if (BlockingKeys.family(record.key(k)) == 'i') {
                        wanted.addAll(holders.getOrDefault(record.key(k), List.of()));
                    }
                }
                wanted.addAll(holders.getOrDefault(RecordFeatures.idKey(record.id()), List.of()));
            }
            for (IdentityRecord record : linked.values()) {
                wanted.add(record.profileId());
            }
            this.profiles = new HashMap<>();
            store.profileRecords(wanted).forEach((profile, members) -> profiles.put(profile, new ArrayList<>(members)));
            this.apart = store.keptApart(ids);
        }

        LinkDecision resolve(IdentityRecord record) {
            IdentityRecord before = linked.get(record.id());
            if (before != null) {
                place(record, before.profileId(), before);
                return new LinkDecision(record.id(), before.profileId(), false, false,
                        LinkDecision.Kind.ALREADY_LINKED, "already linked", List.of());
            }
            Set<ExternalId> keepApart = apart.getOrDefault(record.id(), Set.of());
            LinkDecision decision = storedId(record, keepApart);
            if (decision == null) {
                decision = sameEmail(record, keepApart);
            }
            if (decision != null && decision.kind() != LinkDecision.Kind.NEW_PROFILE) {
                decision = withMerges(record, decision, keepApart);
            }
            if (decision == null && settings != null) {
                decision = probable(record, keepApart);
            }
            if (decision == null) {
                decision = newProfile(record, "new profile", List.of());
            }
            records++;
            for (String absorbed : decision.merged()) {
                move(absorbed, decision.profileId());
            }
            place(record, decision.profileId(), null);
            return decision;
        }

        /**
         * A profile that holds a record this one stores the id of, or a record that stores this one's id or one of the
         * ids this one stores.
         */
        private LinkDecision storedId(IdentityRecord record, Set<ExternalId> keepApart) {
            for (ExternalId stored : storedIds.getOrDefault(record.id(), Set.of())) {
                IdentityRecord holder = linked.get(stored);
                if (holder != null && !isApart(holder.profileId(), keepApart)) {
                    return new LinkDecision(record.id(), holder.profileId(), false, true, LinkDecision.Kind.STORED_ID,
                            "stores the id of " + stored, List.of());
                }
            }
            List<Long> keys = new ArrayList<>();
            keys.add(RecordFeatures.idKey(record.id()));
            for (int k = 0; k < record.keyCount(); k++) {
                if (BlockingKeys.family(record.key(k)) == 'i') {
                    keys.add(record.key(k));
                }
            }
            for (long key : keys) {
                for (String profile : holders.getOrDefault(key, List.of())) {
                    if (!isApart(profile, keepApart)) {
                        return new LinkDecision(record.id(), profile, false, true, LinkDecision.Kind.STORED_ID,
                                "shares a stored id with a record of the profile", List.of());
                    }
                }
            }
            return null;
        }

        private LinkDecision sameEmail(IdentityRecord record, Set<ExternalId> keepApart) {
            String email = record.value(Field.EMAIL);
            if (email == null) {
                return null;
            }
            List<String> holding = holdersOf(record, 'e');
            if (holding.isEmpty() || holding.size() > limit) {
                return null;
            }
            List<IdentityRecord> withEmail = recordsWith(holding, Field.EMAIL, email);
            if (withEmail.isEmpty() || people(record, withEmail) > 1) {
                return null;
            }
            List<String> usable = new ArrayList<>();
            for (String profile : holding) {
                if (!isApart(profile, keepApart) && !profiles.getOrDefault(profile, List.of()).isEmpty()) {
                    usable.add(profile);
                }
            }
            if (usable.isEmpty()) {
                return null;
            }
            String home = usable.get(0);
            if (settings != null && contradicted(record, home)) {
                return null;
            }
            int bound = settings == null ? Integer.MAX_VALUE : settings.maxProfileRecords();
            if (size(home) >= bound) {
                return newProfile(record, "new profile: " + home + " has the same email but holds " + size(home)
                                + " records, the most a profile takes automatically",
                        List.of(new IdentityReview(record.id(), ProfileIds.foundedBy(record.id()), home, 1,
                                "same email", IdentityReview.Kind.LARGE_PROFILE)));
            }
            List<String> merged = new ArrayList<>();
            int total = size(home) + 1;
            for (String other : usable.subList(1, usable.size())) {
                if (total + size(other) <= bound) {
                    merged.add(other);
                    total += size(other);
                }
            }
            return new LinkDecision(record.id(), home, false, true, LinkDecision.Kind.SAME_EMAIL,
                    merged.isEmpty() ? "same email" : "same email; merged " + listed(merged)
                            + " holding it too", List.of(), merged);
        }

        /**
         * The profiles a record is compared with: every profile sharing one of its keys, or, when more than
         * {@value #FEW_CANDIDATES} do, those sharing one of its strong keys (an email, its local part, a phone, a date
         * of birth, an address) or at least two of its keys. A profile that shares only a name or a company key with
         * it has nothing else in common: were it the same person, more would agree. So the work per record stays
         * bounded as the store grows and common names find more namesakes.
         */
        private Set<String> candidates(IdentityRecord record) {
            Map<String, Integer> shared = new LinkedHashMap<>();
            Set<String> candidates = new LinkedHashSet<>();
            for (int k = 0; k < record.keyCount(); k++) {
                List<String> profileIds = holders.get(record.key(k));
                if (profileIds != null && profileIds.size() <= limit) {
                    candidates.addAll(profileIds);
                }
            }
            if (candidates.size() <= FEW_CANDIDATES) {
                return candidates;
            }
            candidates.clear();
            for (int k = 0; k < record.keyCount(); k++) {
                long key = record.key(k);
                List<String> profileIds = holders.get(key);
                if (profileIds == null || profileIds.size() > limit) {
                    continue;
                }
                boolean strong = STRONG_KEYS.indexOf(BlockingKeys.family(key)) >= 0;
                for (String profile : profileIds) {
                    if (strong || shared.merge(profile, 1, Integer::sum) >= 2) {
                        candidates.add(profile);
                    }
                }
            }
            return candidates;
        }

        /** Every candidate profile of a record with its probability, most probable first. */
        private List<Scored> score(IdentityRecord record, Set<ExternalId> keepApart) {
            Set<String> candidates = candidates(record);
            if (candidates.isEmpty()) {
                return List.of();
            }
            int emailHolders = record.has(Field.EMAIL) ? sharing(record, 'e', Field.EMAIL) : 1;
            int phoneHolders = record.has(Field.PHONE) ? sharing(record, 'p', Field.PHONE) : 1;
            double prior = MatchWeights.log2(weights.matchesPerRecord() / Math.max(records, MIN_POPULATION));
            List<Scored> scored = new ArrayList<>();
            for (String profile : candidates) {
                List<IdentityRecord> members = profiles.getOrDefault(profile, List.of());
                if (members.isEmpty() || isApart(profile, keepApart)) {
                    continue;
                }
                scored.add(score(record, profile, members, prior, emailHolders, phoneHolders));
            }
            scored.sort((x, y) -> Double.compare(y.probability(), x.probability()));
            return scored;
        }

        /**
         * A record against a profile's records: the evidence of its best record, or of the profile taken together
         * (each comparison at its closest agreement with any record) when that is more, less every strong
         * contradiction by the other records.
         */
        private Scored score(IdentityRecord record, String profile, List<IdentityRecord> members, double prior,
                             int emailHolders, int phoneHolders) {
            double best = Double.NEGATIVE_INFINITY;
            int[] bestLevels = null;
            IdentityRecord anchor = null;
            double[] strongest = new double[COMPARISON_COUNT];
            java.util.Arrays.fill(strongest, Double.NaN);
            int[] strongestLevels = new int[COMPARISON_COUNT];
            java.util.Arrays.fill(strongestLevels, PairComparison.MISSING);
            double[] bits = new double[members.size()];
            for (int i = 0; i < members.size(); i++) {
                IdentityRecord member = members.get(i);
                int[] levels = PairComparison.levels(record, member);
                double total = 0;
                for (int c = 0; c < COMPARISON_COUNT; c++) {
                    if (levels[c] == PairComparison.MISSING) {
                        continue;
                    }
                    double weight = PairComparison.weight(COMPARISONS[c], levels[c], record, weights, emailHolders,
                            phoneHolders, records);
                    total += weight;
                    if (Double.isNaN(strongest[c]) || weight > strongest[c]) {
                        strongest[c] = weight;
                        strongestLevels[c] = levels[c];
                    }
                }
                bits[i] = total;
                if (total > best) {
                    best = total;
                    bestLevels = levels;
                    anchor = member;
                }
            }
            double together = 0;
            for (double weight : strongest) {
                together += Double.isNaN(weight) ? 0 : weight;
            }
            double contradiction = 0;
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i) != anchor) {
                    contradiction += Math.min(0, bits[i] + CONTRADICTION_MARGIN);
                }
            }
            if (members.size() > 1 && together > best) {
                best = together;
                bestLevels = strongestLevels;
            }
            double logOdds = prior + best + contradiction;
            double probability = 1 / (1 + Math.pow(2, -logOdds));
            return new Scored(profile, probability, bestLevels, contradiction < 0, members.size(), anchor);
        }

        private LinkDecision probable(IdentityRecord record, Set<ExternalId> keepApart) {
            List<Scored> scored = score(record, keepApart);
            if (scored.isEmpty()) {
                return null;
            }
            Scored top = scored.get(0);
            String home = top.probability() >= settings.matchProbability() && top.size() < settings.maxProfileRecords()
                    ? top.profile() : ProfileIds.foundedBy(record.id());
            List<IdentityReview> reviews = new ArrayList<>();
            List<String> merged = home.equals(top.profile())
                    ? mergeable(record, scored.subList(1, scored.size()), top.anchor(), top.size() + 1, reviews)
                    : List.of();
            for (Scored candidate : scored) {
                boolean decided = candidate.profile().equals(home) || merged.contains(candidate.profile())
                        || reviews.stream().anyMatch(review -> review.candidateId().equals(candidate.profile()));
                if (!decided && candidate.probability() >= settings.reviewProbability()) {
                    reviews.add(review(record, home, candidate, candidate.probability() >= settings.matchProbability()
                            && candidate.size() >= settings.maxProfileRecords()));
                }
            }
            if (home.equals(top.profile())) {
                return new LinkDecision(record.id(), home, false, true, LinkDecision.Kind.PROBABLE_MATCH,
                        String.format(Locale.ROOT, "probable match p=%.3f: %s", top.probability(), top.evidence())
                                + (merged.isEmpty() ? "" : "; merged " + listed(merged)
                                + ", which it matches too"), reviews, merged);
            }
            if (reviews.stream().anyMatch(review -> review.kind() == IdentityReview.Kind.LARGE_PROFILE)) {
                return newProfile(record, "new profile: " + top.profile() + " matches but holds " + top.size()
                        + " records, the most a profile takes automatically", reviews);
            }
            return newProfile(record, "new profile", reviews);
        }

        /**
         * Other profiles a record joining {@code home} proves to be the same person: each matches the record at or
         * above the match probability, the record through which it matches agrees with the record through which
         * the home profile does, and together they stay within the size bound.
         */
        private List<String> mergeable(IdentityRecord record, List<Scored> others, IdentityRecord homeAnchor,
                                       int homeSize, List<IdentityReview> reviews) {
            List<String> merged = new ArrayList<>();
            int total = homeSize;
            for (Scored candidate : others) {
                if (candidate.probability() < settings.matchProbability()) {
                    continue;
                }
                if (total + candidate.size() <= settings.maxProfileRecords() && agree(homeAnchor, candidate.anchor())) {
                    merged.add(candidate.profile());
                    total += candidate.size();
                } else {
                    reviews.add(review(record, homeAnchor.profileId(), candidate,
                            total + candidate.size() > settings.maxProfileRecords()));
                }
            }
            return merged;
        }

        private IdentityReview review(IdentityRecord record, String home, Scored candidate, boolean large) {
            return new IdentityReview(record.id(), home, candidate.profile(), candidate.probability(),
                    candidate.evidence(), large ? IdentityReview.Kind.LARGE_PROFILE : IdentityReview.Kind.POSSIBLE_MATCH);
        }

        /** A deterministic link, and the other profiles the record proves to be the same person. */
        private LinkDecision withMerges(IdentityRecord record, LinkDecision decision, Set<ExternalId> keepApart) {
            if (settings == null) {
                return decision;
            }
            List<Scored> others = new ArrayList<>();
            for (Scored candidate : score(record, keepApart)) {
                if (!candidate.profile().equals(decision.profileId())) {
                    others.add(candidate);
                }
            }
            List<IdentityReview> reviews = new ArrayList<>(decision.reviews());
            List<String> merged = new ArrayList<>(decision.merged());
            merged.addAll(mergeable(record, others, record.withProfile(decision.profileId()),
                    size(decision.profileId()) + 1 + merged.stream().mapToInt(this::size).sum(), reviews));
            if (merged.equals(decision.merged()) && reviews.size() == decision.reviews().size()) {
                return decision;
            }
            return new LinkDecision(decision.record(), decision.profileId(), decision.newProfile(), decision.changed(),
                    decision.kind(), merged.size() == decision.merged().size() ? decision.reason()
                    : decision.reason() + "; merged " + listed(merged.subList(decision.merged().size(),
                    merged.size())) + ", which it matches too", reviews, merged);
        }

        private LinkDecision newProfile(IdentityRecord record, String reason, List<IdentityReview> reviews) {
            return new LinkDecision(record.id(), ProfileIds.foundedBy(record.id()), true, true,
                    LinkDecision.Kind.NEW_PROFILE, reason, reviews);
        }

        /**
         * Whether another record of a profile strongly contradicts the record (a different first name and birth
         * date, say): then sharing a value with one record of the profile is no link to all of it, and the record is
         * weighed against the whole profile as a probable match instead.
         */
        private boolean contradicted(IdentityRecord record, String profile) {
            for (IdentityRecord member : profiles.getOrDefault(profile, List.of())) {
                if (PairComparison.evidence(PairComparison.levels(record, member), record, weights, 1, 1, records)
                        < -STRONG_CONTRADICTION) {
                    return true;
                }
            }
            return false;
        }

        /** Distinct people among the records holding the record's value of an identifier, the record included. */
        private int sharing(IdentityRecord record, char family, Field field) {
            List<String> holding = holdersOf(record, family);
            if (holding.size() > limit) {
                return holding.size();
            }
            return people(record, recordsWith(holding, field, record.value(field)));
        }

        private List<String> holdersOf(IdentityRecord record, char family) {
            for (int k = 0; k < record.keyCount(); k++) {
                long key = record.key(k);
                if (BlockingKeys.family(key) == family) {
                    return holders.getOrDefault(key, List.of());
                }
            }
            return List.of();
        }

        private List<IdentityRecord> recordsWith(List<String> profileIds, Field field, String value) {
            List<IdentityRecord> found = new ArrayList<>();
            for (String profile : profileIds) {
                for (IdentityRecord member : profiles.getOrDefault(profile, List.of())) {
                    if (value.equals(member.value(field))) {
                        found.add(member);
                    }
                }
            }
            return found;
        }

        private int size(String profile) {
            return profiles.getOrDefault(profile, List.of()).size();
        }

        private boolean isApart(String profile, Set<ExternalId> keepApart) {
            if (keepApart.isEmpty()) {
                return false;
            }
            for (IdentityRecord member : profiles.getOrDefault(profile, List.of())) {
                if (keepApart.contains(member.id())) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether the records through which a new record matches two profiles agree with each other: no net evidence
         * against them being one person, so the record does not bridge two different people.
         */
        private boolean agree(IdentityRecord a, IdentityRecord b) {
            return PairComparison.evidence(PairComparison.levels(a, b), a, weights, 1, 1, records) >= 0;
        }

        /** Moves every record of a profile into another (a merge): in the page's view and to be stored. */
        private void move(String from, String into) {
            List<IdentityRecord> members = profiles.remove(from);
            if (members == null) {
                return;
            }
            List<IdentityRecord> target = profiles.computeIfAbsent(into, p -> new ArrayList<>());
            for (IdentityRecord member : members) {
                IdentityRecord moved = member.withProfile(into);
                target.add(moved);
                linked.put(moved.id(), moved);
                changed.put(moved.id(), moved);
            }
            for (List<String> profileIds : holders.values()) {
                int at = profileIds.indexOf(from);
                if (at >= 0) {
                    if (profileIds.contains(into)) {
                        profileIds.remove(at);
                    } else {
                        profileIds.set(at, into);
                    }
                }
            }
        }

        /** Adds a resolved record to the page's view: its keys now find its profile, the profile holds it. */
        private void place(IdentityRecord record, String profile, IdentityRecord before) {
            IdentityRecord placed = record.withProfile(profile);
            List<IdentityRecord> members = profiles.computeIfAbsent(profile, p -> new ArrayList<>());
            if (before != null) {
                members.removeIf(member -> member.id().equals(record.id()));
            }
            members.add(placed);
            for (int k = 0; k < record.keyCount(); k++) {
                List<String> profileIds = holders.computeIfAbsent(record.key(k), key -> new ArrayList<>(2));
                if (!profileIds.contains(profile)) {
                    profileIds.add(profile);
                }
            }
            linked.put(record.id(), placed);
            changed.put(record.id(), placed);
        }
    }

    /**
     * How many distinct people hold one value, the record included: records whose names conflict are different
     * people; a record without names belongs to any of them.
     */
    static int people(IdentityRecord record, List<IdentityRecord> holders) {
        List<IdentityRecord> named = new ArrayList<>();
        if ((record.has(Field.FIRST) || record.has(Field.LAST)) && !record.flag('e')) {
            named.add(record);
        }
        for (IdentityRecord holder : holders) {
            if ((holder.has(Field.FIRST) || holder.has(Field.LAST)) && !holder.flag('e')) {
                named.add(holder);
            }
        }
        List<List<IdentityRecord>> groups = new ArrayList<>();
        for (IdentityRecord one : named) {
            List<IdentityRecord> home = null;
            for (List<IdentityRecord> group : groups) {
                if (group.stream().allMatch(member -> compatibleNames(member, one))) {
                    home = group;
                    break;
                }
            }
            if (home == null) {
                groups.add(new ArrayList<>(List.of(one)));
            } else {
                home.add(one);
            }
        }
        return Math.max(1, groups.size());
    }

    private static boolean compatibleNames(IdentityRecord a, IdentityRecord b) {
        if (a.flag('e') || b.flag('e')) {
            return true;
        }
        boolean otherFirst = PairComparison.firstName(a.value(Field.FIRST), a.value(Field.FORMAL),
                a.value(Field.FIRST_CODE), b.value(Field.FIRST), b.value(Field.FORMAL), b.value(Field.FIRST_CODE)) == 3
                && PairComparison.clearlyDifferent(a.value(Field.FIRST), b.value(Field.FIRST));
        boolean otherLast = PairComparison.lastName(a.value(Field.LAST), a.value(Field.LAST_CODE), b.value(Field.LAST),
                b.value(Field.LAST_CODE)) == 3 && PairComparison.clearlyDifferent(a.value(Field.LAST), b.value(Field.LAST));
        return !otherFirst && !otherLast;
    }

    private record Scored(String profile, double probability, int[] levels, boolean contradicted, int size,
                          IdentityRecord anchor) {
        String evidence() {
            return PairComparison.describe(levels) + (contradicted ? "; contradicted by other records" : "");
        }
    }

    private static boolean isDeterministic(long key) {
        char family = BlockingKeys.family(key);
        return family == 'i' || family == 'e';
    }

    private static long[] toArray(Set<Long> keys) {
        long[] array = new long[keys.size()];
        int i = 0;
        for (long key : keys) {
            array[i++] = key;
        }
        return array;
    }

    @Override
    public String toString() {
        return "IdentityResolver" + (settings == null ? "[deterministic links only]" : settings.toString());
    }

    /**
     * Profile ids as a reason names them: at most three, then how many more (a record that joins many profiles at once
     * would otherwise write a reason longer than a link keeps; each move is kept in full with its record).
     */
    static String listed(List<String> profileIds) {
        if (profileIds.size() <= 3) {
            return String.join(", ", profileIds);
        }
        return String.join(", ", profileIds.subList(0, 3)) + " and " + (profileIds.size() - 3) + " more";
    }
}
