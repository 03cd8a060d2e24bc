package io.leadsync.store;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.PersonRef;
import io.leadsync.connector.ScoreReason;
import io.leadsync.connector.ScoreResult;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.store.ProfileRepository.ProfileChange;
import io.leadsync.store.internal.CanonicalJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the store guarantees, run unchanged against every database leadsync supports (H2 and PostgreSQL).
 */
abstract class StoreContract {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00.123Z");
    static final StreamId CONTACTS = new StreamId("hubspot-main", "contacts");
    static final StreamId EMAILS = new StreamId("hubspot-main", "emails");

    Store store;

    /** A store on a fresh, empty database. */
    abstract Store openFreshStore();

    @BeforeEach
    void openStore() {
        store = openFreshStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static Person person(String id, String email) {
        return Person.builder(new ExternalId("hubspot-main", id), T0)
                .email(email).firstName("Zoë").lastName("Müller").title("VP Engineering").company("Acme GmbH")
                .domain("acme.de").country("Germany").phone("+49 30 1234567").ownerId("77")
                .linkedIds(Set.of(new ExternalId("salesforce-main", "00Q5e00000AbCdEAAV")))
                .attributes(Map.of("industry", "COMPUTER_SOFTWARE", "numberofemployees", "250"))
                .build();
    }

    static SourceRecord row(StreamId stream, Person person, Instant modifiedAt) {
        return SourceRecord.of(stream, person, modifiedAt, "{\"id\":\"" + person.id().id() + "\"}");
    }

    static ScoreResult score(int value, String grade) {
        return new ScoreResult(value, grade, value >= 60 ? "MQL" : "lead", "default@3",
                List.of(new ScoreReason("Meeting held", "engagement", 30.0, "2 in 90 days"),
                        new ScoreReason("Senior decision maker", "fit", 20.0, "title \"VP Engineering\"")),
                "+30 Meeting held (2); +20 Senior decision maker");
    }

    /** Links a person record to a new profile of the same id prefix, with its source record stored. */
    void linkNewProfile(String profileId, Person person) {
        store.useTransaction(tx -> {
            tx.sourceRecords().upsert(List.of(row(CONTACTS, person, T0)), null, T0);
            tx.profiles().create(profileId, T0);
            tx.profiles().link(new PersonLink(person.id(), CONTACTS.stream(), profileId, person.email(), "new profile",
                    T0, true));
        });
    }

    @Test
    void aLinkReasonLongerThanItsColumnIsCutNotRefused() {
        Person person = person("201", "long@acme.de");
        String reason = "same email; merged " + "P0123456789abcdef0123, ".repeat(12) + "holding it too";
        store.useTransaction(tx -> {
            tx.sourceRecords().upsert(List.of(row(CONTACTS, person, T0)), null, T0);
            tx.profiles().create("P-long", T0);
            tx.profiles().link(new PersonLink(person.id(), CONTACTS.stream(), "P-long", person.email(), reason, T0,
                    true));
        });
        PersonLink stored = store.inTransaction(tx -> tx.profiles().link(person.id())).orElseThrow();
        assertThat(stored.profileId()).isEqualTo("P-long");
        assertThat(stored.reason()).hasSize(200).startsWith("same email; merged P0123456789abcdef0123").endsWith("\u2026");
    }

    @Test
    void changeInboxKeepsEachEventOnceWithTheWholeRecordItCarried() {
        StreamId events = new StreamId("segment", "events");
        Activity viewed = new Activity(new ExternalId("segment", "m-1"), "pricing_page_view", T0,
                PersonRef.ofEmail("zoe@acme.de"), Map.of("plan", "pro"));
        io.leadsync.connector.Change carried = io.leadsync.connector.Change.carrying("m-1",
                SourceRecord.of(events, viewed, T0, "{\"messageId\":\"m-1\"}"));
        io.leadsync.connector.Change named = io.leadsync.connector.Change.of("e-7", CONTACTS, "101",
                io.leadsync.connector.Change.Kind.UPSERTED, T0.plusSeconds(1));

        ChangeInboxRepository.Added first = store.inTransaction((StoreTransaction tx) -> tx.changeInbox().add(
                List.of(carried, named, named), T0.plusSeconds(2)));
        ChangeInboxRepository.Added again = store.inTransaction((StoreTransaction tx) -> tx.changeInbox().add(
                List.of(named, carried), T0.plusSeconds(3)));

        assertThat(first).isEqualTo(new ChangeInboxRepository.Added(2, 1));
        assertThat(again).as("a repeat delivery is recognised by stream and event id")
                .isEqualTo(new ChangeInboxRepository.Added(0, 2));
        List<ChangeInboxRepository.Entry> due = store.inTransaction((StoreTransaction tx) -> tx.changeInbox().due(T0.plusSeconds(4), 10));
        assertThat(due).extracting(entry -> entry.change()).containsExactly(carried, named);
        assertThat(due.get(0).change().record().rawPayload()).isEqualTo("{\"messageId\":\"m-1\"}");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.changeInbox().oldestDue(T0.plusSeconds(4)))).contains(T0.plusSeconds(2));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.changeInbox().pendingRecords(CONTACTS, List.of("101", "102"))))
                .containsExactly("101");

        store.useTransaction(tx -> tx.changeInbox().retryLater(List.of(due.get(1).id()), "HubSpot answered 503",
                T0.plusSeconds(60)));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.changeInbox().due(T0.plusSeconds(5), 10))).as("waits for its retry")
                .extracting(ChangeInboxRepository.Entry::id).containsExactly(due.get(0).id());
        store.useTransaction(tx -> tx.changeInbox().done(List.of(due.get(0).id()), 7L, T0.plusSeconds(5)));
        List<ChangeInboxRepository.Entry> retried = store.inTransaction((StoreTransaction tx) -> tx.changeInbox().due(T0.plusSeconds(60), 10));
        assertThat(retried).singleElement().satisfies(entry -> assertThat(entry.attempts()).isEqualTo(1));
        store.useTransaction(tx -> tx.changeInbox().failed(List.of(retried.get(0).id()), "gone", 8L, T0.plusSeconds(61)));
        store.useTransaction(tx -> {
            assertThat(tx.changeInbox().pending()).isZero();
            assertThat(tx.changeInbox().count(ChangeInboxRepository.DONE)).isEqualTo(1);
            assertThat(tx.changeInbox().count(ChangeInboxRepository.FAILED)).isEqualTo(1);
            assertThat(tx.changeInbox().firstReceived(CONTACTS)).contains(T0.plusSeconds(2));
            assertThat(tx.changeInbox().add(List.of(named), T0.plusSeconds(62)).duplicates())
                    .as("a finished event is still recognised").isEqualTo(1);
            assertThat(tx.changeInbox().prune(T0.plusSeconds(62))).isEqualTo(2);
        });
    }

    @Test
    void aFeedPositionIsSavedWithTheChangesItFollowsOrNotAtAll() {
        io.leadsync.connector.Change change = io.leadsync.connector.Change.of("11", CONTACTS, "101",
                io.leadsync.connector.Change.Kind.UPSERTED, T0);
        assertThatThrownBy(() -> store.useTransaction(tx -> {
            tx.changeInbox().add(List.of(change), T0);
            tx.changeInbox().saveFeedPosition("hubspot-main", "11", T0);
            throw new IllegalStateException("crash before commit");
        })).hasMessage("crash before commit");
        store.useTransaction(tx -> {
            assertThat(tx.changeInbox().feedPosition("hubspot-main")).isEmpty();
            assertThat(tx.changeInbox().pending()).isZero();
            tx.changeInbox().add(List.of(change), T0);
            tx.changeInbox().saveFeedPosition("hubspot-main", "11", T0);
        });
        store.useTransaction(tx -> tx.changeInbox().saveFeedPosition("hubspot-main", "12", T0.plusSeconds(1)));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.changeInbox().feedPosition("hubspot-main"))).contains("12");
    }

    @Test
    void migratesAnEmptyDatabaseAndReopensWithoutReapplying() {
        store.useTransaction(tx -> assertThat(tx.sourceRecords().count()).isZero());
    }

    @Test
    void storesRecordsAndReportsTheirVersionsForRecognisingRecordsSeenTwice() {
        Person first = person("101", "zoe@acme.de");
        store.useTransaction(tx -> tx.sourceRecords().upsert(List.of(row(CONTACTS, first, T0),
                row(CONTACTS, person("102", "b@acme.de"), T0)), null, T0));

        var versions = store.inTransaction(tx -> tx.sourceRecords().versions(CONTACTS, List.of("101", "102", "999")));
        assertThat(versions).containsOnlyKeys("101", "102");
        assertThat(versions.get("101").modifiedAt()).isEqualTo(T0);
        assertThat(versions.get("101").contentHash())
                .isEqualTo(SourceRecordRepository.contentHash(row(CONTACTS, first, T0)))
                .as("the modification time is not content")
                .isEqualTo(SourceRecordRepository.contentHash(row(CONTACTS, first.withUpdatedAt(T0.plusSeconds(9)), T0)))
                .isNotEqualTo(SourceRecordRepository.contentHash(row(CONTACTS, person("101", "other@acme.de"), T0)));

        Instant later = T0.plusSeconds(60);
        store.useTransaction(tx -> tx.sourceRecords().touch(CONTACTS,
                List.of(new SourceRecordRepository.Touch("101", later),
                        new SourceRecordRepository.Touch("102", T0.plusSeconds(30))), later));
        store.useTransaction(tx -> tx.sourceRecords().touch(CONTACTS,
                List.of(new SourceRecordRepository.Touch("101", T0), new SourceRecordRepository.Touch("102", later)),
                later));
        var touched = store.inTransaction(tx -> tx.sourceRecords().versions(CONTACTS, List.of("101", "102")));
        assertThat(touched.get("101").modifiedAt()).as("touch never moves a modification time backwards")
                .isEqualTo(later);
        assertThat(touched.get("102").modifiedAt()).as("each record of a batch gets its own time").isEqualTo(later);
    }

    @Test
    void replacesARecordOnUpsertKeepingOneRowPerId() {
        store.useTransaction(tx -> tx.sourceRecords().upsert(List.of(row(CONTACTS, person("101", "a@x.com"), T0)), null, T0));
        Person changed = person("101", "new@x.com");
        store.useTransaction(tx -> tx.sourceRecords().upsert(List.of(row(CONTACTS, changed, T0.plusSeconds(5))), 1L, T0));

        store.useTransaction(tx -> {
            assertThat(tx.sourceRecords().count(CONTACTS)).isEqualTo(1);
            assertThat(CanonicalJson.person(tx.sourceRecords().normalized(CONTACTS, "101").orElseThrow()))
                    .isEqualTo(changed);
        });
    }

    @Test
    void rollsBackEverythingATransactionDidWhenItThrows() {
        assertThatThrownBy(() -> store.useTransaction(tx -> {
            tx.sourceRecords().upsert(List.of(row(CONTACTS, person("101", "a@x.com"), T0)), null, T0);
            tx.cursors().save(new Cursor(CONTACTS, 1, "{\"since\":1}"), T0, null);
            throw new IllegalStateException("page failed half way");
        })).hasMessage("page failed half way");

        store.useTransaction(tx -> {
            assertThat(tx.sourceRecords().count()).isZero();
            assertThat(tx.cursors().load(CONTACTS)).isEmpty();
        });
    }

    @Test
    void savesCursorsWithTheirFormatVersionAndResetsThem() {
        store.useTransaction(tx -> tx.cursors().save(new Cursor(CONTACTS, 1, "a"), T0, null));
        store.useTransaction(tx -> tx.cursors().save(new Cursor(CONTACTS, 2, "b"), T0, 7L));

        assertThat(store.inTransaction((StoreTransaction tx) -> tx.cursors().load(CONTACTS))).contains(new Cursor(CONTACTS, 2, "b"));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.cursors().all())).hasSize(1);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.cursors().reset(CONTACTS))).isTrue();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.cursors().load(CONTACTS))).isEmpty();
    }

    @Test
    void linksPersonsToProfilesAndReturnsTheirCanonicalValues() {
        Person zoe = person("101", "zoe@acme.de");
        linkNewProfile("P1", zoe);

        store.useTransaction(tx -> {
            assertThat(tx.profiles().link(zoe.id())).get().extracting(PersonLink::profileId).isEqualTo("P1");
            assertThat(tx.profiles().profilesWithEmail("zoe@acme.de")).containsExactly("P1");
            assertThat(tx.profiles().persons("P1")).containsExactly(zoe);
            assertThat(tx.profiles().unlink(zoe.id())).contains("P1");
            assertThat(tx.profiles().links("P1")).isEmpty();
        });
    }

    @Test
    void createsAProfileOnlyOnce() {
        store.useTransaction(tx -> tx.profiles().create("P1", T0));
        store.useTransaction(tx -> tx.profiles().create("P1", T0.plusSeconds(1)));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.profiles().count())).isEqualTo(1);
    }

    @Test
    void keepsAProfileMarkedForScoringWhenItChangesWhileBeingScored() {
        store.useTransaction(tx -> {
            tx.profiles().create("P1", T0);
            tx.profiles().create("P2", T0);
        });
        List<ProfileChange> toScore = store.inTransaction(tx -> tx.profiles().needingScore(null, 10));
        assertThat(toScore).extracting(ProfileChange::profileId).containsExactly("P1", "P2");

        store.useTransaction(tx -> tx.profiles().markChanged(List.of("P2"), T0.plusSeconds(1)));
        store.useTransaction(tx -> {
            assertThat(tx.profiles().markScored(toScore.get(0))).isTrue();
            assertThat(tx.profiles().markScored(toScore.get(1))).as("P2 changed meanwhile").isFalse();
        });
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.profiles().needingScore(null, 10)))
                .extracting(ProfileChange::profileId).containsExactly("P2");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.profiles().needingScore("P2", 10))).isEmpty();
    }

    @Test
    void keepsActivitiesOfUnknownPersonsAndAttachesThemWhenThePersonArrives() {
        Activity byId = new Activity(new ExternalId("hubspot-main", "e1"), "email_reply", T0,
                PersonRef.of(new ExternalId("hubspot-main", "101")), Map.of("subject", "Re: pricing"));
        Activity byEmail = new Activity(new ExternalId("mixpanel-main", "ev1"), "pricing_page_view", T0.plusSeconds(1),
                PersonRef.ofEmail("zoe@acme.de"), Map.of("page_url", "https://acme.io/pricing"));
        store.useTransaction(tx -> tx.activities().upsert(List.of(
                new ActivityRepository.Row(EMAILS, byId, null, null),
                new ActivityRepository.Row(new StreamId("mixpanel-main", "events"), byEmail, "zoe@acme.de", null))));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().countUnlinked())).isEqualTo(2);

        Person zoe = person("101", "zoe@acme.de");
        linkNewProfile("P1", zoe);
        store.useTransaction(tx -> tx.activities().attach(zoe.id(), "zoe@acme.de", "P1"));

        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().forProfile("P1"))).containsExactly(byId, byEmail);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().countUnlinked())).isZero();
    }

    @Test
    void movesActivitiesToTheNewProfileAndNamesTheProfileThatLostThem() {
        Activity reply = new Activity(new ExternalId("hubspot-main", "e1"), "email_reply", T0,
                PersonRef.of(new ExternalId("hubspot-main", "101")), Map.of());
        store.useTransaction(tx -> {
            tx.profiles().create("P1", T0);
            tx.activities().upsert(List.of(new ActivityRepository.Row(EMAILS, reply, null, "P1")));
        });
        var lost = store.inTransaction(tx -> {
            tx.profiles().create("P2", T0);
            return tx.activities().attach(new ExternalId("hubspot-main", "101"), null, "P2");
        });
        assertThat(lost).containsExactly("P1");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().forProfile("P2"))).containsExactly(reply);
    }

    @Test
    void anActivityAttachedThroughItsEmailMovesToItsPersonsProfileWhenThePersonArrives() {
        Activity reply = new Activity(new ExternalId("hubspot-main", "e1"), "email_reply", T0,
                new PersonRef(new ExternalId("hubspot-main", "101"), "zoe@acme.de"), Map.of());
        Activity view = new Activity(new ExternalId("hubspot-main", "e2"), "page_view", T0.plusSeconds(1),
                PersonRef.of(new ExternalId("hubspot-main", "101")), Map.of());
        linkNewProfile("P1", person("100", "zoe@acme.de"));
        store.useTransaction(tx -> tx.activities().upsert(List.of(
                new ActivityRepository.Row(EMAILS, reply, "zoe@acme.de", "P1", false))));

        Person zoe = person("101", "zoe@acme.de");
        linkNewProfile("P2", zoe);
        store.useTransaction(tx -> tx.activities().upsert(List.of(
                new ActivityRepository.Row(EMAILS, view, null, "P2", true))));
        var lost = store.inTransaction(tx -> tx.activities().attach(zoe.id(), "zoe@acme.de", "P2"));

        assertThat(lost).containsExactly("P1");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().forProfile("P2")))
                .containsExactly(reply, view);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().forProfile("P1"))).isEmpty();
    }

    @Test
    void aPersonRecordTakesItsActivitiesAlongWhenItMovesAndLeavesThemWaitingWhenItLeaves() {
        Person zoe = person("101", "zoe@acme.de");
        Activity reply = new Activity(new ExternalId("hubspot-main", "e1"), "email_reply", T0,
                PersonRef.of(zoe.id()), Map.of());
        Activity other = new Activity(new ExternalId("hubspot-main", "e2"), "email_reply", T0.plusSeconds(1),
                PersonRef.of(new ExternalId("hubspot-main", "102")), Map.of());
        linkNewProfile("P1", zoe);
        store.useTransaction(tx -> tx.activities().upsert(List.of(new ActivityRepository.Row(EMAILS, reply, null,
                "P1", true), new ActivityRepository.Row(EMAILS, other, null, "P1", true))));

        var lost = store.inTransaction(tx -> {
            tx.profiles().create("P2", T0);
            return tx.activities().attach(zoe.id(), null, "P2", "P1");
        });
        assertThat(lost).containsExactly("P1");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().forProfile("P2"))).containsExactly(reply);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().forProfile("P1"))).containsExactly(other);

        store.useTransaction(tx -> tx.activities().detach(zoe.id(), "P2"));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().countUnlinked())).isEqualTo(1);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().attach(zoe.id(), null, "P3"))).isEmpty();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().forProfile("P3"))).containsExactly(reply);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().countUnlinked())).isZero();
    }

    @Test
    void attachesTheActivitiesOfSeveralPersonRecordsInOneGo() {
        Person zoe = person("101", "zoe@acme.de");
        Person ann = person("102", "ann@acme.de");
        Activity zoesReply = new Activity(new ExternalId("hubspot-main", "e1"), "email_reply", T0,
                PersonRef.of(zoe.id()), Map.of());
        Activity annsView = new Activity(new ExternalId("mixpanel-main", "ev1"), "page_view", T0.plusSeconds(1),
                PersonRef.ofEmail("ann@acme.de"), Map.of());
        Activity annsReply = new Activity(new ExternalId("hubspot-main", "e2"), "email_reply", T0.plusSeconds(2),
                PersonRef.of(ann.id()), Map.of());
        linkNewProfile("P1", zoe);
        store.useTransaction(tx -> tx.activities().upsert(List.of(
                new ActivityRepository.Row(EMAILS, zoesReply, null, "P1", true),
                new ActivityRepository.Row(new StreamId("mixpanel-main", "events"), annsView, "ann@acme.de", null),
                new ActivityRepository.Row(EMAILS, annsReply, null, null))));

        var lost = store.inTransaction(tx -> {
            tx.profiles().create(List.of("P2", "P3"), T0);
            return tx.activities().attach(List.of(
                    new ActivityRepository.Attachment(zoe.id(), "zoe@acme.de", "P2", "P1"),
                    new ActivityRepository.Attachment(ann.id(), "ann@acme.de", "P3", null)));
        });

        assertThat(lost).containsExactly("P1");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().forProfile("P2")))
                .containsExactly(zoesReply);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().forProfile("P3")))
                .containsExactly(annsView, annsReply);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.activities().countUnlinked())).isZero();
    }

    @Test
    void readsAndWritesABatchOfProfilesSetWiseAcrossMoreKeysThanOneStatementTakes() {
        int profiles = 1_203; // three statements of at most 500 keys
        List<String> ids = new ArrayList<>();
        store.useTransaction(tx -> {
            List<SourceRecord> rows = new ArrayList<>();
            List<ActivityRepository.Row> activities = new ArrayList<>();
            for (int i = 0; i < profiles; i++) {
                String id = "P" + String.format("%05d", i);
                ids.add(id);
                Person person = person("r" + i, "p" + i + "@acme.de");
                rows.add(row(CONTACTS, person, T0));
                tx.profiles().create(id, T0);
                tx.profiles().link(new PersonLink(person.id(), CONTACTS.stream(), id, person.email(), "new profile",
                        T0, false));
                if (i % 2 == 0) {
                    activities.add(new ActivityRepository.Row(EMAILS, new Activity(new ExternalId("hubspot-main",
                            "e" + i), "email_reply", T0.plusSeconds(i), PersonRef.of(person.id()), Map.of()), null, id));
                }
            }
            tx.sourceRecords().upsert(rows, null, T0);
            tx.activities().upsert(activities);
        });

        Map<String, List<Person>> persons = store.inTransaction(tx -> tx.profiles().persons(ids));
        assertThat(persons).hasSize(profiles);
        assertThat(persons.get("P01202")).extracting(Person::email).containsExactly("p1202@acme.de");
        Map<String, List<Activity>> activities = store.inTransaction(tx -> tx.activities().forProfiles(ids));
        assertThat(activities).hasSize(602).doesNotContainKey("P00001");
        assertThat(activities.get("P01202")).extracting(a -> a.id().id()).containsExactly("e1202");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.profiles().profilesOf("hubspot-main",
                List.of("r7", "r1100", "unknown")))).containsOnly(Map.entry("r7", "P00007"), Map.entry("r1100", "P01100"));

        List<ScoreRepository.NewScore> first = ids.stream().map(id -> new ScoreRepository.NewScore(id,
                score(40, "C"))).toList();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.scores().save(first, T0, 1L))).hasSize(profiles);
        List<ScoreRepository.NewScore> second = ids.stream().map(id -> new ScoreRepository.NewScore(id,
                id.endsWith("7") ? score(81, "A") : score(40, "C"))).toList();
        var changed = store.inTransaction((StoreTransaction tx) -> tx.scores().save(second, T0.plusSeconds(5), 2L));
        assertThat(changed).hasSize(120).allMatch(id -> id.endsWith("7"));
        Map<String, StoredScore> current = store.inTransaction(tx -> tx.scores().current(ids));
        assertThat(current).hasSize(profiles);
        assertThat(current.get("P00007").result().score()).isEqualTo(81);
        assertThat(current.get("P00008").scoredAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(current.get("P00008").changedAt()).isEqualTo(T0);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.scores().history("P00007")))
                .extracting(s -> s.result().score()).containsExactly(40, 81);
    }

    @Test
    void findsTheProfileOfAnEmailByItsOldestLink() {
        store.useTransaction(tx -> {
            tx.profiles().create("P1", T0);
            tx.profiles().create("P2", T0);
            tx.profiles().link(new PersonLink(new ExternalId("hubspot-main", "2"), "contacts", "P2", "zoe@acme.de",
                    "new profile", T0.plusSeconds(60), false));
            tx.profiles().link(new PersonLink(new ExternalId("salesforce-main", "1"), "leads", "P1", "zoe@acme.de",
                    "new profile", T0, false));
            tx.profiles().link(new PersonLink(new ExternalId("hubspot-main", "3"), "contacts", "P2", "max@acme.de",
                    "new profile", T0, false));
        });
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.profiles().firstProfilesWithEmail(
                List.of("zoe@acme.de", "max@acme.de", "nobody@acme.de"))))
                .containsOnly(Map.entry("zoe@acme.de", "P1"), Map.entry("max@acme.de", "P2"));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.profiles().profilesWithEmail("zoe@acme.de")))
                .containsExactly("P1", "P2");
    }

    @Test
    void appendsToTheScoreHistoryOnlyWhenWhatUsersSeeChanges() {
        store.useTransaction(tx -> tx.profiles().create("P1", T0));

        assertThat(store.inTransaction((StoreTransaction tx) -> tx.scores().save("P1", score(72, "B"), T0, 1L))).isTrue();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.scores().save("P1", score(72, "B"), T0.plusSeconds(1), 2L))).isFalse();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.scores().save("P1", score(81, "A"), T0.plusSeconds(2), 3L))).isTrue();

        StoredScore current = store.inTransaction(tx -> tx.scores().current("P1")).orElseThrow();
        assertThat(current.result()).isEqualTo(score(81, "A"));
        assertThat(current.changedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.scores().history("P1")))
                .extracting(s -> s.result().score()).containsExactly(72, 81);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.scores().gradeCounts())).containsEntry("A", 1L);
    }

    @Test
    void listsPendingPushesWithWhatWasLastWrittenAndClearsThem() {
        linkNewProfile("P1", person("101", "a@acme.de"));
        linkNewProfile("P2", person("102", "b@acme.de"));
        store.useTransaction(tx -> tx.scores().save("P1", score(72, "B"), T0, null));

        var pending = store.inTransaction(tx -> tx.pushLedger().pending("hubspot-main", null, 10));
        assertThat(pending).extracting(c -> c.target().id()).containsExactly("101", "102");
        assertThat(pending.get(0).score().result().score()).isEqualTo(72);
        assertThat(pending.get(1).score()).as("P2 not scored yet").isNull();

        store.useTransaction(tx -> {
            tx.pushLedger().recordWritten("hubspot-main", "101", Map.of("score", "72", "grade", "B"), T0, 1L);
            tx.pushLedger().clearPending("hubspot-main", List.of("101"));
        });
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.pushLedger().pending("hubspot-main", null, 10)))
                .extracting(c -> c.target().id()).containsExactly("102");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.pushLedger().pending("hubspot-main", "101", 10))).hasSize(1);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.pushLedger().pending("salesforce-main", null, 10))).isEmpty();

        store.useTransaction(tx -> tx.pushLedger().markProfilesPending(List.of("P1")));
        var again = store.inTransaction(tx -> tx.pushLedger().pending("hubspot-main", null, 1));
        assertThat(again).singleElement().satisfies(c -> {
            assertThat(c.target().id()).isEqualTo("101");
            assertThat(c.written()).containsEntry("score", "72").containsEntry("grade", "B");
        });
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.pushLedger().countWritten("hubspot-main"))).isEqualTo(1);
    }

    @Test
    void reservesAtMostOneTaskPerThresholdCrossing() {
        linkNewProfile("P1", person("101", "a@acme.de"));
        store.useTransaction(tx -> tx.scores().save("P1", score(81, "A"), T0, null));
        long crossing = store.inTransaction(tx -> tx.scores().recordCrossing("P1", 75, 81, "default@3", T0));

        var pending = store.inTransaction(tx -> tx.tasks().pending("hubspot-main", 10));
        assertThat(pending).singleElement().satisfies(p -> {
            assertThat(p.crossingId()).isEqualTo(crossing);
            assertThat(p.profileId()).isEqualTo("P1");
        });
        TaskRepository.Reservation reservation = new TaskRepository.Reservation(crossing, "101", "ls-0123456789ab",
                "{\"subject\":\"Hot lead\"}");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.tasks().reserve("hubspot-main",
                List.of(reservation), T0))).containsExactly(reservation);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.tasks().reserve("hubspot-main",
                List.of(reservation), T0))).as("a crossing is reserved once").isEmpty();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.tasks().pending("hubspot-main", 10))).isEmpty();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.tasks().outstanding("hubspot-main", 0, 10)))
                .singleElement().satisfies(task -> {
                    assertThat(task.key()).isEqualTo("ls-0123456789ab");
                    assertThat(task.payload()).isEqualTo("{\"subject\":\"Hot lead\"}");
                    assertThat(task.attempts()).as("reserved with its first attempt").isEqualTo(1);
                });
        store.useTransaction(tx -> tx.tasks().recordError("hubspot-main", List.of(crossing), "429 after 5 attempts", T0));
        store.useTransaction(tx -> tx.tasks().recordAttempt("hubspot-main", List.of(crossing), T0.plusSeconds(60)));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.tasks().outstanding("hubspot-main", 0, 10)))
                .singleElement().satisfies(task -> {
                    assertThat(task.attempts()).isEqualTo(2);
                    assertThat(task.lastError()).isEqualTo("429 after 5 attempts");
                });
        store.useTransaction(tx -> tx.tasks().markConfirmed("hubspot-main", crossing, "9001", T0));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.tasks().entries("hubspot-main"))).singleElement()
                .satisfies(e -> {
                    assertThat(e.taskId()).isEqualTo("9001");
                    assertThat(e.status()).isEqualTo("CONFIRMED");
                });
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.tasks().outstanding("hubspot-main", 0, 10))).isEmpty();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.tasks().pending("salesforce-main", 10)))
                .as("no record of that profile in salesforce-main").isEmpty();
    }

    @Test
    void walksPendingCrossingsAfterTheLastOneOfThePage() {
        linkNewProfile("P1", person("101", "a@acme.de"));
        linkNewProfile("P2", person("102", "b@acme.de"));
        linkNewProfile("P3", person("103", "c@acme.de"));
        List<Long> crossings = new java.util.ArrayList<>();
        for (String profile : List.of("P1", "P2", "P3")) {
            store.useTransaction(tx -> tx.scores().save(profile, score(81, "A"), T0, null));
            crossings.add(store.inTransaction(tx -> tx.scores().recordCrossing(profile, 75, 81, "default@3", T0)));
        }

        var first = store.inTransaction(tx -> tx.tasks().pending("hubspot-main", 0, 2));
        var next = store.inTransaction(tx -> tx.tasks().pending("hubspot-main", first.get(1).crossingId(), 2));

        assertThat(first).extracting(TaskRepository.PendingTask::crossingId).containsExactly(crossings.get(0),
                crossings.get(1));
        assertThat(next).as("not reserved, yet passed over: the page after the last one").extracting(
                TaskRepository.PendingTask::crossingId).containsExactly(crossings.get(2));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.tasks().pending("hubspot-main", 10)))
                .as("from the first crossing").hasSize(3);
    }

    @Test
    void createsNoTaskForALeadThatCooledDownBeforeThePush() {
        linkNewProfile("P1", person("101", "a@acme.de"));
        store.useTransaction(tx -> {
            tx.scores().recordCrossing("P1", 75, 81, "default@3", T0);
            tx.scores().save("P1", score(40, "C"), T0, null);
        });
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.tasks().pending("hubspot-main", 10))).isEmpty();
    }

    @Test
    void recordsRunsAndClosesThoseLeftRunningByAStoppedProcess() {
        long first = store.inTransaction(tx -> tx.runs().start("full-sync", "schedule", "node-a/1", T0));
        store.useTransaction(tx -> tx.runs().progress(first, "{\"pulled\":10}"));
        store.useTransaction(tx -> tx.runs().finish(first, RunStatus.SUCCEEDED, "ok", "{\"pulled\":12}",
                T0.plusSeconds(3)));
        long second = store.inTransaction(tx -> tx.runs().start("full-sync", "api", "node-b/2", T0.plusSeconds(10)));
        long skipped = store.inTransaction(tx -> tx.runs().recordSkipped("full-sync", "api", "run 2 under way",
                T0.plusSeconds(11)));

        assertThat(store.inTransaction((StoreTransaction tx) -> tx.runs().get(first))).get().satisfies(run -> {
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.statsJson()).isEqualTo("{\"pulled\":12}");
            assertThat(run.finishedAt()).isEqualTo(T0.plusSeconds(3));
        });
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.runs().abortRunning("full-sync", "node-a/9",
                "process stopped", T0))).as("only the named owner's runs").isZero();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.runs().abortRunning("full-sync", "node-b/2",
                "process stopped", T0))).isEqualTo(1);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.runs().finish(second, RunStatus.SUCCEEDED, "late",
                "{}", T0))).as("an aborted run keeps its status").isFalse();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.runs().recent("full-sync", 10)))
                .extracting(RunRecord::runId, RunRecord::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(skipped, RunStatus.SKIPPED),
                        org.assertj.core.groups.Tuple.tuple(second, RunStatus.ABORTED),
                        org.assertj.core.groups.Tuple.tuple(first, RunStatus.SUCCEEDED));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.runs().recent(null, 1))).hasSize(1);
    }

    @Test
    void keepsDeadLettersWithTheirReasonAndPayload() {
        long run = store.inTransaction(tx -> tx.runs().start("full-sync", "api", "node-a/3", T0));
        store.useTransaction(tx -> tx.deadLetters().add(run, "normalize", "hubspot-main", "contacts", "103",
                "properties.lastmodifieddate: 'yesterday' is not a date", "{\"id\":\"103\"}", T0));
        store.useTransaction(tx -> tx.deadLetters().add(null, "push", "hubspot-main", null, null, "batch refused",
                null, T0));

        assertThat(store.inTransaction((StoreTransaction tx) -> tx.deadLetters().forRun(run))).singleElement().satisfies(d -> {
            assertThat(d.reason()).contains("lastmodifieddate");
            assertThat(d.payload()).isEqualTo("{\"id\":\"103\"}");
            assertThat(d.runId()).isEqualTo(run);
        });
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.deadLetters().recent(10))).extracting(DeadLetter::runId)
                .containsExactly(null, run);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.deadLetters().count())).isEqualTo(2);
    }

    @Test
    void keepsAChallengersScoresApartFromTheChampionsAndRecordsActivations() {
        store.useTransaction(tx -> {
            tx.profiles().create("P1", T0);
            tx.scores().save("P1", score(72, "B"), T0, null);
            tx.models().saveChallengerScore("P1", new ScoreResult(55, "B", null, "challenger@2", List.of(), ""), T0);
            tx.models().saveChallengerScore("P1", new ScoreResult(58, "B", null, "challenger@2", List.of(), ""), T0);
        });
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.models().pairs("challenger@2")))
                .containsExactly(new ModelRepository.ScorePair("P1", 72, 58));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.models().challengerScore("P1", "challenger@2")))
                .get().extracting(s -> s.result().score()).isEqualTo(58);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.scores().current("P1"))).get()
                .extracting(s -> s.result().score()).as("the champion's score is untouched").isEqualTo(72);

        store.useTransaction(tx -> tx.models().recordActivation("default@4", "default@3", "config/m.yml", 1, T0));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.models().activations(5))).singleElement()
                .satisfies(a -> assertThat(a.previousVersion()).isEqualTo("default@3"));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.profiles().ids(null, 10))).containsExactly("P1");
    }

    private static JobLockRepository.Holder holder(String owner) {
        return new JobLockRepository.Holder(owner, "host-1", 4242, T0.minusSeconds(60));
    }

    @Test
    void keepsTheProcessOfALeaseAndLetsADeadHoldersLeaseBeTakenOver() {
        Duration ttl = Duration.ofMinutes(5);
        assertThat(store.tryAcquireJobLock("full-sync", holder("node-a/1"), T0, ttl)).isTrue();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.jobLocks().lease("full-sync"))).get()
                .satisfies(lease -> {
                    assertThat(lease.owner()).isEqualTo("node-a/1");
                    assertThat(lease.host()).isEqualTo("host-1");
                    assertThat(lease.pid()).isEqualTo(4242L);
                    assertThat(lease.processStartedAt()).isEqualTo(T0.minusSeconds(60));
                    assertThat(lease.expiredAt(T0.plusSeconds(10))).isFalse();
                });
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.jobLocks().takeOver("full-sync", "node-x/9",
                holder("node-b/1"), T0, ttl))).as("only from the holder named").isFalse();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.jobLocks().takeOver("full-sync", "node-a/1",
                holder("node-b/1"), T0.plusSeconds(5), ttl))).isTrue();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.jobLocks().refresh("full-sync", "node-a/1",
                T0.plusSeconds(6), ttl))).as("the dead holder's heartbeat finds it lost").isFalse();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.jobLocks().holder("full-sync", T0.plusSeconds(6))))
                .contains("node-b/1");
    }

    @Test
    void grantsAJobLeaseToOneOwnerUntilReleasedOrExpired() {
        Duration ttl = Duration.ofMinutes(5);
        assertThat(store.tryAcquireJobLock("full-sync", holder("node-a"), T0, ttl)).isTrue();
        assertThat(store.tryAcquireJobLock("full-sync", holder("node-b"), T0.plusSeconds(1), ttl)).isFalse();
        assertThat(store.tryAcquireJobLock("other-job", holder("node-b"), T0, ttl)).isTrue();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.jobLocks().holder("full-sync", T0))).contains("node-a");

        assertThat(store.inTransaction((StoreTransaction tx) -> tx.jobLocks().refresh("full-sync", "node-a", T0.plus(ttl), ttl))).isTrue();
        assertThat(store.tryAcquireJobLock("full-sync", holder("node-b"), T0.plus(ttl).plusSeconds(1), ttl))
                .as("refreshed lease still held").isFalse();
        assertThat(store.tryAcquireJobLock("full-sync", holder("node-b"), T0.plus(ttl.multipliedBy(3)), ttl))
                .as("expired lease taken over").isTrue();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.jobLocks().refresh("full-sync", "node-a", T0, ttl))).isFalse();

        store.useTransaction(tx -> tx.jobLocks().release("full-sync", "node-b"));
        assertThat(store.tryAcquireJobLock("full-sync", holder("node-a"), T0, ttl)).isTrue();
    }

    @Test
    void letsExactlyOneOfManyConcurrentOwnersTakeAFreeLease() throws Exception {
        int owners = 8;
        ExecutorService pool = Executors.newFixedThreadPool(owners);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < owners; i++) {
                String owner = "node-" + i;
                Callable<Boolean> attempt = () -> {
                    start.await();
                    return store.tryAcquireJobLock("full-sync", holder(owner), T0, Duration.ofMinutes(5));
                };
                results.add(pool.submit(attempt));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static final io.leadsync.identity.IdentityResolver RESOLVER =
            io.leadsync.identity.IdentitySettings.defaults().resolver();

    private static io.leadsync.identity.IdentityRecord identityRecord(String source, String id, String profile,
                                                                      String first, String last, String phone) {
        return RESOLVER.record(Person.builder(new ExternalId(source, id), T0).firstName(first).lastName(last)
                .phone(phone).build()).withProfile(profile);
    }

    private static long key(io.leadsync.identity.IdentityRecord record, char family) {
        return java.util.Arrays.stream(record.keys())
                .filter(key -> io.leadsync.identity.internal.BlockingKeys.family(key) == family)
                .findFirst().orElseThrow();
    }

    @Test
    void findsAPagesCandidatesByBlockingKeyInOneLookupAndReplacesAChangedRecordsKeys() {
        var ana = identityRecord("hubspot-main", "11", "P1", "Ana", "Silva", "+49 30 1234567");
        var ann = identityRecord("salesforce-main", "00Q1", "P2", "Ann", "Silva", null);
        store.useTransaction(tx -> tx.identity(T0).save(List.of(ana, ann), 25));

        long phoneKey = key(ana, 'p');
        long nameKey = key(ana, 'n');
        Map<Long, List<String>> holders = store.inTransaction((StoreTransaction tx) -> tx.identity()
                .holders(new long[] {nameKey, phoneKey, 42L}, 25));
        assertThat(holders.get(nameKey)).as("ana and ann share last name and initial").containsExactly("P1", "P2");
        assertThat(holders.get(phoneKey)).containsExactly("P1");
        assertThat(holders).doesNotContainKey(42L);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().holders(new long[] {nameKey}, 1)
                .get(nameKey))).as("one more than the limit tells the key is too common").hasSize(2);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().profileRecords(List.of("P1", "P9"))))
                .containsOnlyKeys("P1").extractingByKey("P1").asList().containsExactly(ana);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().records(List.of(ana.id(), ann.id(),
                new ExternalId("x", "y"))))).containsOnlyKeys(ana.id(), ann.id());

        var anaMoved = identityRecord("hubspot-main", "11", "P1", "Ana", "Costa", "+49 30 1234567");
        store.useTransaction(tx -> tx.identity(T0).save(List.of(anaMoved), 25));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().holders(new long[] {nameKey}, 25)
                .get(nameKey))).as("keys are replaced, not added").containsExactly("P2");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().recordCount())).isEqualTo(2);
        store.useTransaction(tx -> tx.identity().remove(ann.id()));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().holders(new long[] {nameKey}, 25)))
                .isEmpty();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().sample(10))).containsExactly(anaMoved);
    }

    @Test
    void queuesEachPossibleMatchOnceAndKeepsADecisionMade() {
        ExternalId ann = new ExternalId("salesforce-main", "00Q1");
        var possible = io.leadsync.identity.IdentityReview.Kind.POSSIBLE_MATCH;
        store.useTransaction(tx -> {
            tx.identity(T0).saveReviews(List.of(new io.leadsync.identity.IdentityReview(ann, "P2", "P1", 0.42,
                    "last name agrees", possible)));
            tx.identity(T0).saveReviews(List.of(new io.leadsync.identity.IdentityReview(ann, "P2", "P1", 0.55,
                    "last name, phone agree", possible)));
        });
        List<IdentityRepository.Review> open = store.inTransaction((StoreTransaction tx) -> tx.identity()
                .reviews("open", 10));
        assertThat(open).singleElement().satisfies(review -> {
            assertThat(review.item().probability()).isEqualTo(0.55);
            assertThat(review.item().evidence()).isEqualTo("last name, phone agree");
            assertThat(review.item().record()).isEqualTo(ann);
        });
        store.useTransaction(tx -> tx.identity(T0).decide(open.get(0).id(), "rejected", "kept apart"));
        store.useTransaction(tx -> tx.identity(T0).saveReviews(List.of(new io.leadsync.identity.IdentityReview(ann,
                "P2", "P1", 0.6, "again", possible))));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().reviews("open", 10))).isEmpty();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().review(open.get(0).id())))
                .get().satisfies(review -> {
                    assertThat(review.status()).isEqualTo("rejected");
                    assertThat(review.item().evidence()).isEqualTo("last name, phone agree");
                    assertThat(review.decidedAt()).isEqualTo(T0);
                });
    }

    @Test
    void keepsEveryEstimateAndServesTheNewestAcceptedWeights() {
        var weights = io.leadsync.identity.MatchWeights.defaults();
        store.useTransaction(tx -> tx.identity(T0).saveWeights(new io.leadsync.identity.WeightEstimator.Estimate(
                weights, true, List.of("pooled"), 1000, 500, 120.5), "growth"));
        store.useTransaction(tx -> tx.identity(T0).saveWeights(new io.leadsync.identity.WeightEstimator.Estimate(
                null, false, List.of("classes swapped"), 2000, 900, 0), "schedule"));

        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().weights())).contains(weights);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().weightsVersion())).isEqualTo(1);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().lastEstimateRecords())).isEqualTo(2000);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().estimates(10)))
                .extracting(IdentityRepository.StoredWeights::trigger, IdentityRepository.StoredWeights::accepted,
                        IdentityRepository.StoredWeights::warnings)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("schedule", false, List.of("classes swapped")),
                        org.assertj.core.groups.Tuple.tuple("growth", true, List.of("pooled")));
    }

    @Test
    void aKeyTakesNoHoldersBeyondTheLimitAndAHolderLeavingKeepsTheOthersFound() {
        List<io.leadsync.identity.IdentityRecord> silvas = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            silvas.add(identityRecord("hubspot-main", "s" + i, "P" + i, "Ana", "Silva", null));
        }
        long nameKey = key(silvas.get(0), 'n');
        // one page of six with a limit of 3: the key keeps four holders, enough to say it is too common
        store.useTransaction(tx -> tx.identity(T0).save(silvas, 3));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().holders(new long[] {nameKey}, 3)
                .get(nameKey))).as("limit + 1 holders: too common").hasSize(4);
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().holders(new long[] {nameKey}, 25)
                .get(nameKey))).as("not stored for more than limit + 1").containsExactly("P0", "P1", "P2", "P3");

        // a holder in the middle leaves: the last one takes its slot, so a lookup of the first n still finds all
        store.useTransaction(tx -> tx.identity(T0).save(List.of(identityRecord("hubspot-main", "s1", "P1", "Ana",
                "Costa", null)), 3));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().holders(new long[] {nameKey}, 2)
                .get(nameKey))).as("three holders left, all within slots 0 to 2")
                .containsExactlyInAnyOrder("P0", "P2", "P3");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().holders(new long[] {nameKey}, 1)
                .get(nameKey))).as("more than a limit of 1").hasSize(2);

        // with room again, a new holder is stored after the others
        store.useTransaction(tx -> tx.identity(T0).save(List.of(identityRecord("hubspot-main", "s6", "P6", "Ana",
                "Silva", null)), 3));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().holders(new long[] {nameKey}, 25)
                .get(nameKey))).containsExactly("P0", "P3", "P2", "P6");
        // and the profiles' own rows keep every record, whatever the keys hold
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().profileRecords(List.of("P5"))))
                .containsOnlyKeys("P5");
    }

    @Test
    void movesRecordsWithTheirLinksAndRemembersWhereTheyCameFrom() {
        var ana = identityRecord("hubspot-main", "11", "P1", "Ana", "Silva", null);
        var ann = identityRecord("salesforce-main", "00Q1", "P2", "Ann", "Silva", null);
        store.useTransaction(tx -> {
            tx.profiles().create("P1", T0);
            tx.profiles().create("P2", T0);
            tx.profiles().link(new PersonLink(ana.id(), "contacts", "P1", null, "new profile", T0, false));
            tx.profiles().link(new PersonLink(ann.id(), "leads", "P2", null, "new profile", T0, false));
            tx.identity(T0).save(List.of(ana, ann), 25);
        });
        store.useTransaction(tx -> tx.identity(T0).mergeProfile("P2", "P1", "confirmed review 7"));

        assertThat(store.inTransaction((StoreTransaction tx) -> tx.profiles().link(ann.id()))).get()
                .extracting(PersonLink::profileId).isEqualTo("P1");
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().members("P1")))
                .extracting(io.leadsync.identity.IdentityRecord::id).containsExactlyInAnyOrder(ana.id(), ann.id());
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().lastMove(ann.id()))).get()
                .satisfies(move -> {
                    assertThat(move.fromProfile()).isEqualTo("P2");
                    assertThat(move.toProfile()).isEqualTo("P1");
                    assertThat(move.reason()).isEqualTo("confirmed review 7");
                });
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.profiles().needingScore(null, 10)))
                .extracting(ProfileChange::profileId).contains("P1", "P2");

        store.useTransaction(tx -> tx.identity(T0).keepApart(List.of(ann.id()), List.of(ana.id())));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().keptApart(List.of(ana.id(), ann.id()))))
                .containsEntry(ana.id(), Set.of(ann.id())).containsEntry(ann.id(), Set.of(ana.id()));
        store.useTransaction(tx -> tx.identity(T0).forgetApart(List.of(ann.id()), List.of(ana.id())));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.identity().keptApart(List.of(ana.id())))).isEmpty();
    }

    @Test
    void aPersonStoredWithoutTheFieldsAddedLaterKeepsItsText() {
        Person person = Person.builder(new ExternalId("hubspot-main", "1"), T0).email("zoe@acme.de").build();
        assertThat(CanonicalJson.write(person)).doesNotContain("address", "city", "postalCode", "dateOfBirth");
        Person full = person.toBuilder().city("Berlin").dateOfBirth("1984-03-07").build();
        assertThat(CanonicalJson.person(CanonicalJson.write(full))).isEqualTo(full);
    }
}
