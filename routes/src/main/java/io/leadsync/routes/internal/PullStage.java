package io.leadsync.routes.internal;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Page;
import io.leadsync.connector.Person;
import io.leadsync.connector.RejectedRecord;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.identity.EmailNormalizer;
import io.leadsync.identity.IdentityResolver;
import io.leadsync.identity.IdentitySettings;
import io.leadsync.identity.LinkDecision;
import io.leadsync.identity.Normalized;
import io.leadsync.routes.RunStats;
import io.leadsync.store.ActivityRepository;
import io.leadsync.store.PersonLink;
import io.leadsync.store.SourceRecordRepository;
import io.leadsync.store.SourceRecordRepository.StoredVersion;
import io.leadsync.store.Store;
import io.leadsync.store.StoreTransaction;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Pull: reads a stream from its saved cursor and stores each page, with the cursor that ends it, in one
 * transaction. A cursor therefore never gets ahead of what is stored; a restart resumes from the last stored page.
 *
 * <p>Records are recognised by id and modification time: one already stored with the same or a later time is
 * "re-seen" (the overlap of incremental reads) and skipped; one with a later time but equal content (such as the
 * echo of leadsync's own write-back) is "unchanged": its time is noted, nothing is re-scored. Person records are
 * linked to golden profiles; activities to their person's profile; rejected records go to the dead-letter store.
 */
public final class PullStage {
    public static final String STAGE = "pull";

    private final Store store;
    private final Clock clock;
    private final Duration leaseTtl;
    private final EmailNormalizer emails;
    private final IdentityResolver resolver;
    private final java.util.function.Predicate<StreamId> eventsOn;
    /**
     * Orders identity work within the process: a page with persons (or deletions) is stored alone, pages of
     * activities beside each other (streams pulled beside each other, runs of other jobs). Fair, so a page of persons
     * does not wait behind an endless line of activity pages. Across the processes of a cluster the database's
     * advisory lock does the same ({@code RunWorkRepository#lockIdentity}).
     */
    private final java.util.concurrent.locks.ReadWriteLock identityOrder =
            new java.util.concurrent.locks.ReentrantReadWriteLock(true);

    public PullStage(Store store, Clock clock, Duration leaseTtl, IdentitySettings identity) {
        this(store, clock, leaseTtl, identity, stream -> false);
    }

    /**
     * @param eventsOn whether change events are switched on for a stream's source: a scheduled read of such a stream
     *                 counts the records it finds new or changed that the events missed (the safety net)
     */
    public PullStage(Store store, Clock clock, Duration leaseTtl, IdentitySettings identity,
                     java.util.function.Predicate<StreamId> eventsOn) {
        this.eventsOn = eventsOn;
        this.store = store;
        this.clock = clock;
        this.leaseTtl = leaseTtl;
        this.resolver = identity.resolver();
        this.emails = identity.emails();
    }

    /** Opens the read of a stream from its saved cursor (checking the cursor's format version). */
    public Stream<Page<SourceRecord>> open(SourceConnector source, StreamId stream) {
        Optional<Cursor> saved = store.inTransaction(tx -> tx.cursors().load(stream));
        Cursor from = saved.map(source::upgrade).orElse(null);
        return source.read(stream, from);
    }

    /** Stores one page and its cursor, atomically. */
    public void store(RunContext run, StreamId stream, Page<SourceRecord> page) {
        store(run, stream, List.of(page));
    }

    /**
     * Stores consecutive pages of a stream and the last one's cursor, atomically: after a crash the stream is read
     * again from the cursor before the first of them.
     */
    public void store(RunContext run, StreamId stream, List<Page<SourceRecord>> pages) {
        if (pages.size() == 1) {
            Page<SourceRecord> page = pages.get(0);
            store(run, stream, page.items(), page.rejected(), page.next(), pages.size(), tx -> { });
            return;
        }
        List<SourceRecord> items = new ArrayList<>();
        List<RejectedRecord> rejected = new ArrayList<>();
        for (Page<SourceRecord> page : pages) {
            items.addAll(page.items());
            rejected.addAll(page.rejected());
        }
        store(run, stream, items, rejected, pages.get(pages.size() - 1).next(), pages.size(), tx -> { });
    }

    /**
     * Stores records read by id or carried by change events, without moving the stream's cursor; {@code also} runs in
     * the same transaction (the event run marks its changes done there).
     */
    public void storeRecords(RunContext run, StreamId stream, List<SourceRecord> items, List<RejectedRecord> rejected,
                             java.util.function.Consumer<StoreTransaction> also) {
        store(run, stream, items, rejected, null, 0, also);
    }

    private void store(RunContext run, StreamId stream, List<SourceRecord> items, List<RejectedRecord> rejectedRecords,
                       Cursor next, int pages, java.util.function.Consumer<StoreTransaction> also) {
        RunStats stats = run.stats();
        String scope = stream.toString();
        boolean persons = items.stream().anyMatch(r -> r.deleted() || r.value() instanceof Person);
        // identity work in order: a page with persons stores alone, pages of activities beside each other
        java.util.concurrent.locks.Lock order = persons ? identityOrder.writeLock() : identityOrder.readLock();
        order.lock();
        try {
            storeInOrder(run, stream, items, rejectedRecords, next, pages, also, clock.instant(), stats, scope,
                    persons);
        } finally {
            order.unlock();
        }
    }

    private void storeInOrder(RunContext run, StreamId stream, List<SourceRecord> items,
                              List<RejectedRecord> rejectedRecords, Cursor next, int pages,
                              java.util.function.Consumer<StoreTransaction> also, Instant now, RunStats stats,
                              String scope, boolean persons) {
        store.useTransaction(tx -> {
            // a dry run's transactions are never committed: its lease is kept by the heartbeat alone, or the row
            // lock would hold the heartbeat back until the run ends
            // a helper (another instance's run) checks the owner's lease, and leaves its renewal to the owner
            // so do the pages of streams pulled beside each other (each renewing it would wait for the others' commits)
            boolean held = run.helper() || run.parallel() ? tx.jobLocks().holder(run.job().name(), now)
                    .filter(run.leaseOwner()::equals).isPresent() : run.dryRun() || tx.jobLocks().refresh(
                    run.job().name(), run.leaseOwner(), now, leaseTtl);
            if (!held) {
                throw new IllegalStateException("run " + run.runId() + " lost the lease of job " + run.job().name()
                        + " (it expired and another process took it); stopping without storing this page");
            }
            if (run.shared()) {
                tx.runWork().lockIdentity(persons);
            }
            Map<ExternalId, SourceRecord> latest = new LinkedHashMap<>();
            for (SourceRecord record : items) {
                latest.merge(record.id(), record, (a, b) -> b.modifiedAt().isBefore(a.modifiedAt()) ? a : b);
            }
            Map<String, StoredVersion> versions = tx.sourceRecords().versions(stream,
                    latest.keySet().stream().map(ExternalId::id).toList());
            List<SourceRecord> changed = new ArrayList<>();
            List<SourceRecordRepository.Touch> touched = new ArrayList<>();
            for (SourceRecord record : latest.values()) {
                StoredVersion stored = versions.get(record.id().id());
                if (stored != null && !record.modifiedAt().isAfter(stored.modifiedAt())) {
                    stats.add(STAGE, scope, "reseen", 1);
                } else if (stored != null && stored.deleted() == record.deleted()
                        && stored.contentHash().equals(SourceRecordRepository.contentHash(record))) {
                    touched.add(new SourceRecordRepository.Touch(record.id().id(), record.modifiedAt()));
                    stats.add(STAGE, scope, "unchanged", 1);
                } else {
                    changed.add(record);
                }
            }
            tx.sourceRecords().touch(stream, touched, now);
            tx.sourceRecords().upsert(changed, run.runId(), now);
            Map<ExternalId, LinkDecision> decisions = resolve(tx, changed, now);
            Links links = new Links(linkedBefore(tx, decisions.values()));
            Set<String> dirty = new TreeSet<>();
            List<Activity> activities = new ArrayList<>();
            for (SourceRecord record : changed) {
                if (record.deleted()) {
                    links.write(tx, dirty, now);
                    removeDeleted(tx, stream, record.id(), dirty);
                    stats.add(STAGE, scope, "deleted", 1);
                } else if (record.value() instanceof Person person) {
                    link(tx, run, stream, person, decisions.get(person.id()), links, dirty, now);
                } else {
                    activities.add((Activity) record.value());
                }
            }
            links.write(tx, dirty, now);
            tx.activities().upsert(activityRows(tx, run, stream, activities, dirty));
            tx.profiles().markChanged(dirty, now);
            for (RejectedRecord rejected : rejectedRecords) {
                tx.deadLetters().add(run.runId(), STAGE, stream.source(), stream.stream(), rejected.recordId(),
                        rejected.reason(), rejected.rawPayload(), now);
            }
            if (next != null) {
                tx.cursors().save(next, now, run.runId());
                stats.add(STAGE, scope, "pages", pages);
                countMissedByEvents(tx, run, stream, changed);
            }
            also.accept(tx);
            stats.add(STAGE, scope, "received", items.size() + rejectedRecords.size());
            stats.add(STAGE, scope, "stored", changed.size());
            stats.add(STAGE, scope, "rejected", rejectedRecords.size());
        });
    }

    /**
     * The safety net: of the records an incremental scheduled read found new or changed on a stream whose source sends
     * change events (switched on, and the inbox has received changes of the stream), those modified since the first
     * change received and named by no change still waiting are counted as missed by the events (expected 0). A first
     * load counts nothing.
     */
    private void countMissedByEvents(StoreTransaction tx, RunContext run, StreamId stream, List<SourceRecord> changed) {
        if (!eventsOn.test(stream) || run.readFrom(stream).isEmpty()) {
            return;
        }
        Optional<Instant> first = tx.changeInbox().firstReceived(stream);
        if (first.isEmpty()) {
            return;
        }
        String scope = stream.toString();
        run.stats().state("events/" + scope, "covered", "true");
        run.stats().add(EventStage.STAGE, scope, "missed", 0);
        if (changed.isEmpty()) {
            return;
        }
        Set<String> waiting = tx.changeInbox().pendingRecords(stream, changed.stream().map(r -> r.id().id()).toList());
        long missed = changed.stream().filter(record -> !record.modifiedAt().isBefore(first.get())
                && !waiting.contains(record.id().id())).count();
        run.stats().add(EventStage.STAGE, scope, "missed", missed);
    }

    /** Resolves the page's person records in one go, as the identity engine does a page (see IdentityResolver). */
    private Map<ExternalId, LinkDecision> resolve(StoreTransaction tx, List<SourceRecord> changed, Instant now) {
        List<Person> persons = new ArrayList<>();
        for (SourceRecord record : changed) {
            if (!record.deleted() && record.value() instanceof Person person) {
                persons.add(person);
            }
        }
        Map<ExternalId, LinkDecision> decisions = new LinkedHashMap<>();
        for (LinkDecision decision : resolver.resolve(persons, tx.identity(now))) {
            decisions.put(decision.record(), decision);
        }
        return decisions;
    }

    /**
     * The page's links: the profiles its person records that link anew were linked to before it (read in one query
     * per source), the profiles merged into others while the page is stored (a record's activities are where its
     * profile went), and the link writes gathered to be written in a few batches ({@link #write}): before a merge or a
     * deletion, which read the links, and once the page's persons are linked.
     */
    private record Links(Map<ExternalId, String> before, Map<String, String> mergedInto, List<String> created,
                         List<PersonLink> linked, Map<ExternalId, String> emails,
                         List<ActivityRepository.Attachment> attachments) {
        Links(Map<ExternalId, String> before) {
            this(before, new java.util.HashMap<>(), new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>(),
                    new ArrayList<>());
        }

        String before(ExternalId person) {
            String profile = before.get(person);
            while (profile != null && mergedInto.containsKey(profile)) {
                profile = mergedInto.get(profile);
            }
            return profile;
        }

        void write(StoreTransaction tx, Set<String> dirty, Instant now) {
            tx.profiles().create(created, now);
            tx.profiles().link(linked);
            tx.profiles().updateEmails(emails);
            dirty.addAll(tx.activities().attach(attachments));
            created.clear();
            linked.clear();
            emails.clear();
            attachments.clear();
        }
    }

    private static Map<ExternalId, String> linkedBefore(StoreTransaction tx, java.util.Collection<LinkDecision> decisions) {
        Map<String, Set<String>> ids = new LinkedHashMap<>();
        for (LinkDecision decision : decisions) {
            if (decision.changed()) {
                ids.computeIfAbsent(decision.record().source(), k -> new TreeSet<>()).add(decision.record().id());
            }
        }
        Map<ExternalId, String> before = new java.util.HashMap<>();
        ids.forEach((source, records) -> tx.profiles().profilesOf(source, records)
                .forEach((id, profile) -> before.put(new ExternalId(source, id), profile)));
        return before;
    }

    private void link(StoreTransaction tx, RunContext run, StreamId stream, Person person, LinkDecision decision,
                      Links links, Set<String> dirty, Instant now) {
        Normalized<String> email = emails.mailbox(person.email());
        if (email.problem().isPresent()) {
            run.stats().add(STAGE, stream.toString(), "invalidEmails", 1);
        }
        String emailNorm = email.orNull();
        run.stats().add("identity", "all", "possibleMatches", decision.reviews().size());
        if (decision.kind() == LinkDecision.Kind.PROBABLE_MATCH) {
            run.stats().add("identity", "all", "probableMatches", 1);
        }
        if (decision.newProfile()) {
            links.created().add(decision.profileId());
            run.stats().add("identity", "all", "profilesCreated", 1);
        }
        if (!decision.merged().isEmpty()) {
            links.write(tx, dirty, now);   // a merge moves the links of the profiles it absorbs: written first
        }
        for (String absorbed : decision.merged()) {
            tx.identity(now).mergeProfile(absorbed, decision.profileId(), "merged: " + person.id() + " matches both");
            links.mergedInto().put(absorbed, decision.profileId());
            dirty.add(absorbed);
            run.stats().add("identity", "all", "profilesMerged", 1);
        }
        // a record linked elsewhere before takes its activities there along
        String previous = decision.changed() ? links.before(person.id()) : null;
        if (decision.changed()) {
            links.linked().add(new PersonLink(person.id(), stream.stream(), decision.profileId(), emailNorm,
                    decision.reason(), now, true));
            if (!decision.newProfile()) {
                run.stats().add("identity", "all", "linkedToExisting", 1);
            }
        } else {
            links.emails().put(person.id(), emailNorm);
        }
        dirty.add(decision.profileId());
        links.attachments().add(new ActivityRepository.Attachment(person.id(), emailNorm, decision.profileId(),
                previous));
    }

    /**
     * The page's activities with their profiles: found through their person's link, or else through the oldest
     * link of their person's email, in one query each for the whole page.
     */
    private List<ActivityRepository.Row> activityRows(StoreTransaction tx, RunContext run, StreamId stream,
                                                      List<Activity> activities, Set<String> dirty) {
        Map<String, Set<String>> personIds = new LinkedHashMap<>();
        Map<Activity, String> emailOf = new java.util.IdentityHashMap<>();
        for (Activity activity : activities) {
            ExternalId person = activity.person().id();
            if (person != null) {
                personIds.computeIfAbsent(person.source(), k -> new TreeSet<>()).add(person.id());
            }
            if (activity.person().email() != null) {
                String emailNorm = emails.mailbox(activity.person().email()).orNull();
                if (emailNorm != null) {
                    emailOf.put(activity, emailNorm);
                }
            }
        }
        Map<ExternalId, String> linked = new java.util.HashMap<>();
        personIds.forEach((source, ids) -> tx.profiles().profilesOf(source, ids)
                .forEach((id, profile) -> linked.put(new ExternalId(source, id), profile)));
        Map<String, String> byEmail = tx.profiles().firstProfilesWithEmail(new TreeSet<>(emailOf.values()));
        List<ActivityRepository.Row> rows = new ArrayList<>(activities.size());
        for (Activity activity : activities) {
            String emailNorm = emailOf.get(activity);
            ExternalId person = activity.person().id();
            String profile = person == null ? null : linked.get(person);
            boolean personLinked = profile != null;
            if (profile == null && emailNorm != null) {
                profile = byEmail.get(emailNorm);
            }
            if (profile != null) {
                dirty.add(profile);
            } else {
                run.stats().add(STAGE, stream.toString(), "activitiesAwaitingPerson", 1);
            }
            rows.add(new ActivityRepository.Row(stream, activity, emailNorm, profile, personLinked));
        }
        return rows;
    }

    private static void removeDeleted(StoreTransaction tx, StreamId stream, ExternalId id, Set<String> dirty) {
        tx.identity().remove(id);
        tx.profiles().unlink(id).ifPresent(profile -> {
            dirty.add(profile);
            tx.activities().detach(id, profile);
        });
        tx.activities().delete(stream, id.id()).ifPresent(dirty::add);
    }
}
