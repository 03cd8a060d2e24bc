package io.leadsync.connector.hubspot;

import io.leadsync.connector.Activity;
import io.leadsync.connector.ActivityTypes;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.FollowUpTask;
import io.leadsync.connector.Page;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The HubSpot connector against the simulator's limits, caps, associations and eventual consistency. */
class HubSpotSandboxIT {
    private static final StreamId CONTACTS = new StreamId("hubspot-main", "contacts");
    private SandboxFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static List<Page<SourceRecord>> readAll(SourceConnector source, StreamId stream, Cursor from) {
        try (Stream<Page<SourceRecord>> pages = source.read(stream, from)) {
            return pages.toList();
        }
    }

    @Test
    void restartsItsSearchBeforeTheResultCapAndReadsEveryContact() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits().withSearchResultCap(60),
                200);
        Map<String, Object> settings = fixture.settings();
        ((Map<String, Object>) settings.get("read")).put("search-result-cap", "60");
        Cursor longAgo = new Cursor(CONTACTS, 1, "{\"modifiedSince\":\"2000-01-01T00:00:00Z\"}");

        List<Page<SourceRecord>> pages = readAll(fixture.source(settings), CONTACTS, longAgo);

        Set<String> read = pages.stream().flatMap(p -> p.items().stream()).map(r -> r.id().id()).collect(Collectors.toSet());
        assertThat(read).hasSize(200);
        assertThat(fixture.simulator.requests()).as("never asked past the cap")
                .noneMatch(request -> request.status() == 400);
    }

    @Test
    void readsContactsById100ACallAndTellsThoseHubSpotNoLongerHasAsDeleted() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 150);
        SourceConnector source = fixture.source(fixture.settings());
        List<String> ids = fixture.simulator.contacts().stream().map(HubSpotSimulator.SimulatedObject::id).toList();
        fixture.simulator.updateContact(ids.get(0), Map.of("jobtitle", "Chief Revenue Officer"));
        fixture.simulator.archiveContact(ids.get(1));
        List<String> wanted = new java.util.ArrayList<>(ids);
        wanted.add("999999999");
        fixture.simulator.clearRequests();

        io.leadsync.connector.Fetched fetched = source.fetch(CONTACTS, wanted);

        // the simulator records a request once its answer is written: the last one may land a moment after fetch returns
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(fixture.simulator.requestCount("POST", "/crm/v3/objects/contacts/batch/read"))
                        .as("151 ids in calls of at most 100").isEqualTo(2));
        assertThat(fetched.items()).hasSize(151);
        Map<String, SourceRecord> byId = fetched.items().stream()
                .collect(Collectors.toMap(record -> record.id().id(), record -> record));
        assertThat(byId.get(ids.get(0)).deleted()).isFalse();
        assertThat(((io.leadsync.connector.Person) byId.get(ids.get(0)).value()).title())
                .as("mapped as a read maps it").isEqualTo("Chief Revenue Officer");
        assertThat(byId.get(ids.get(1)).deleted()).as("archived").isTrue();
        assertThat(byId.get("999999999").deleted()).as("never there").isTrue();
        List<SourceRecord> read = readAll(source, CONTACTS, null).stream().flatMap(p -> p.items().stream()).toList();
        SourceRecord listed = read.stream().filter(r -> r.id().id().equals(ids.get(2))).findFirst().orElseThrow();
        assertThat(byId.get(ids.get(2)).value()).as("the same canonical value as the list read")
                .isEqualTo(listed.value());
    }

    @Test
    void waitsOutA429AndGoesOn() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 30);
        fixture.simulator.faults().add(FaultRule.rateLimit().withCount(1));

        List<Page<SourceRecord>> pages = readAll(fixture.source(fixture.settings()), CONTACTS, null);
        assertThat(fixture.simulator.requests().get(0).path()).as("a first read lists contacts")
                .isEqualTo("/crm/v3/objects/contacts");

        assertThat(pages.stream().mapToInt(p -> p.items().size()).sum()).isEqualTo(30);
        assertThat(fixture.simulator.requests()).extracting(HubSpotSimulator.RecordedRequest::status).contains(429);
    }

    @Test
    void keepsUnderTheSearchLimitSoHubSpotNeverHasToRefuse() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults(), 200);
        SourceConnector source = fixture.source(fixture.settings());
        List<Page<SourceRecord>> first = readAll(source, CONTACTS, null);
        for (String id : fixture.simulator.contacts().stream().limit(150).map(HubSpotSimulator.SimulatedObject::id).toList()) {
            fixture.simulator.updateContact(id, Map.of("jobtitle", "Head of Data"));
        }

        List<Page<SourceRecord>> next = readAll(source, CONTACTS, first.get(first.size() - 1).next());

        assertThat(next.stream().mapToInt(p -> p.items().size()).sum()).isGreaterThanOrEqualTo(150);
        assertThat(fixture.simulator.requestCount("POST", "/crm/v3/objects/contacts/search")).isGreaterThan(5);
        assertThat(fixture.simulator.requests()).extracting(HubSpotSimulator.RecordedRequest::status)
                .as("the 4-per-second limiter keeps under HubSpot's 5").doesNotContain(429);
    }

    @Test
    void readsAFirstLoadThroughTheListEndpointAndSavesTheCursorOnlyAtItsEnd() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 230);

        List<Page<SourceRecord>> pages = readAll(fixture.source(fixture.settings()), CONTACTS, null);

        assertThat(pages).as("pages of the configured 25").hasSize(10);
        assertThat(pages.stream().mapToInt(p -> p.items().size()).sum()).isEqualTo(230);
        assertThat(fixture.simulator.requestCount("POST", "/crm/v3/objects/contacts/search")).isZero();
        assertThat(pages.get(0).next().position()).as("the list is ordered by id, not time").isEqualTo("{}");
        assertThat(pages.get(9).next().position()).startsWith("{\"modifiedSince\":");
    }

    @Test
    void unlinksContactsArchivedOrMergedAwaySinceTheLastRead() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 40);
        SourceConnector source = fixture.source(fixture.settings());
        List<Page<SourceRecord>> first = readAll(source, CONTACTS, null);
        List<String> ids = fixture.simulator.contacts().stream().map(HubSpotSimulator.SimulatedObject::id).toList();
        fixture.simulator.archiveContact(ids.get(3));
        fixture.simulator.mergeContacts(ids.get(5), ids.get(6));

        List<SourceRecord> next = readAll(source, CONTACTS, first.get(first.size() - 1).next()).stream()
                .flatMap(p -> p.items().stream()).toList();

        assertThat(next).filteredOn(SourceRecord::deleted).extracting(r -> r.id().id())
                .containsExactlyInAnyOrder(ids.get(3), ids.get(6));
        assertThat(next).filteredOn(r -> !r.deleted() && r.id().id().equals(ids.get(5))).singleElement()
                .satisfies(r -> assertThat(((io.leadsync.connector.Person) r.value()).linkedIds())
                        .contains(new ExternalId("hubspot-main", ids.get(6))));
    }

    @Test
    void linksEngagementsToTheirContactsAndMapsTheirTypes() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 60);
        SourceConnector source = fixture.source(fixture.settings());

        List<SourceRecord> emails = readAll(source, new StreamId("hubspot-main", "emails"), null).stream()
                .flatMap(p -> p.items().stream()).toList();

        assertThat(emails).isNotEmpty().allSatisfy(record -> {
            Activity activity = (Activity) record.value();
            String engagementId = record.id().id().split("/")[0];
            String contactId = activity.person().id().id();
            assertThat(fixture.simulator.associatedContactIds("emails", engagementId)).contains(contactId);
            assertThat(activity.type()).isIn(ActivityTypes.EMAIL_SENT, ActivityTypes.EMAIL_REPLY,
                    ActivityTypes.EMAIL_BOUNCE);
        });
        assertThat(emails.stream().map(r -> ((Activity) r.value()).type()).collect(Collectors.toSet()))
                .contains(ActivityTypes.EMAIL_SENT, ActivityTypes.EMAIL_REPLY);
    }

    @Test
    void readsOnTheNextReadAContactTheSearchIndexHadNotCaughtUpWith() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits().withClock(clock)
                .withSearchIndexLag(Duration.ofSeconds(30)), 20);
        SourceConnector source = fixture.source(fixture.settings());
        List<Page<SourceRecord>> initial = readAll(source, CONTACTS, null);
        Cursor afterInitial = initial.get(initial.size() - 1).next();
        String indexed = fixture.simulator.contacts().get(3).id();
        clock.advance(Duration.ofMinutes(10));
        fixture.simulator.updateContact(indexed, Map.of("jobtitle", "VP Engineering"));
        String notYetIndexed = fixture.simulator.contacts().get(5).id();
        clock.advance(Duration.ofSeconds(20));
        fixture.simulator.updateContact(notYetIndexed, Map.of("jobtitle", "CTO"));
        clock.advance(Duration.ofSeconds(15));

        List<Page<SourceRecord>> first = readAll(source, CONTACTS, afterInitial);
        Cursor saved = first.get(first.size() - 1).next();
        assertThat(first.stream().flatMap(p -> p.items().stream()).map(r -> r.id().id()))
                .as("modified 35 s ago: indexed").contains(indexed)
                .as("modified 15 s ago: not indexed yet").doesNotContain(notYetIndexed);

        clock.advance(Duration.ofMinutes(1));
        List<SourceRecord> next = readAll(source, CONTACTS, saved).stream().flatMap(p -> p.items().stream()).toList();

        assertThat(next).extracting(r -> r.id().id()).contains(notYetIndexed);
    }

    @Test
    void readsEmailOpensClicksBouncesAndUnsubscribesByRecipient() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 150);
        StreamId emailEvents = new StreamId("hubspot-main", "email_events");
        SourceConnector source = fixture.source(fixture.settings());

        List<Page<SourceRecord>> first = readAll(source, emailEvents, null);

        List<Activity> activities = first.stream().flatMap(p -> p.items().stream()).map(r -> (Activity) r.value()).toList();
        assertThat(activities).isNotEmpty().allSatisfy(a -> assertThat(a.person().email()).contains("@"));
        assertThat(activities.stream().map(Activity::type).collect(Collectors.toSet()))
                .contains(ActivityTypes.EMAIL_OPEN, ActivityTypes.EMAIL_CLICK, ActivityTypes.UNSUBSCRIBE);
        String recipient = fixture.simulator.contacts().get(0).properties().get("email");
        Instant now = Instant.now();
        fixture.simulator.addEmailEvent("CLICK", recipient, now, Map.of("url", "https://www.example.com/pricing"));

        List<SourceRecord> next = readAll(source, emailEvents, first.get(first.size() - 1).next()).stream()
                .flatMap(p -> p.items().stream()).toList();

        assertThat(next).extracting(r -> ((Activity) r.value()).person().email()).contains(recipient);
        assertThat(next.size()).as("only events since the cursor's overlap").isLessThan(activities.size());
    }

    @Test
    void writesAndReportsA207PartialFailurePerRecord() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 10);
        SinkConnector sink = fixture.sink(fixture.settings());
        sink.prepare();
        List<String> ids = fixture.simulator.contacts().stream().map(HubSpotSimulator.SimulatedObject::id).toList();
        List<FieldChange> changes = List.of(
                new FieldChange(new ExternalId("hubspot-main", ids.get(0)), Map.of("score", "81", "grade", "A")),
                new FieldChange(new ExternalId("hubspot-main", "424242"), Map.of("score", "10", "grade", "D")),
                new FieldChange(new ExternalId("hubspot-main", ids.get(1)), Map.of("score", "35", "grade", "C")));

        List<RecordResult> results = sink.write(changes);

        assertThat(results).extracting(RecordResult::success).containsExactly(true, false, true);
        assertThat(results.get(1).errorCode()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(fixture.simulator.contact(ids.get(1)).orElseThrow().properties())
                .containsEntry("leadsync_score", "35").containsEntry("leadsync_grade", "C");
    }

    @Test
    void createsATaskTheSimulatorLinksToTheContact() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 5);
        String contactId = fixture.simulator.contacts().get(0).id();
        SinkConnector sink = fixture.sink(fixture.settings());

        RecordResult result = sink.createTasks(List.of(new FollowUpTask(new ExternalId("hubspot-main", contactId),
                "Hot lead: test", "Why: +30 Meeting held", FollowUpTask.Priority.HIGH,
                Instant.parse("2026-11-25T09:00:00Z"), "61000001"))).get(0);

        assertThat(result.success()).isTrue();
        assertThat(fixture.simulator.associatedContactIds("tasks", result.createdId())).containsExactly(contactId);
        assertThat(fixture.simulator.object("tasks", result.createdId()).orElseThrow().properties())
                .containsEntry("hs_task_subject", "Hot lead: test").containsEntry("hs_task_status", "NOT_STARTED")
                .containsEntry("hubspot_owner_id", "61000001");
    }

    @Test
    void createsTasksInBatchesOfAHundredAndFindsThemAgainByTheKeyInTheirBody() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 150);
        SinkConnector sink = fixture.sink(fixture.settings());
        List<FollowUpTask> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String key = String.format("ls-%012x", i);
            tasks.add(new FollowUpTask(new ExternalId("hubspot-main", fixture.simulator.contacts().get(i).id()),
                    "Hot lead " + i, "Why: +30 Meeting held\n\nleadsync ref: " + key, FollowUpTask.Priority.HIGH,
                    Instant.parse("2026-11-25T09:00:00Z"), null, key));
        }
        fixture.simulator.clearRequests();

        List<RecordResult> results = sink.createTasks(tasks);

        assertThat(results).hasSize(150).allSatisfy(result -> assertThat(result.success()).isTrue());
        assertThat(fixture.simulator.requestCount("POST", "/crm/v3/objects/tasks/batch/create")).isEqualTo(2);
        for (int i = 0; i < 150; i += 37) {
            assertThat(fixture.simulator.associatedContactIds("tasks", results.get(i).createdId()))
                    .containsExactly(tasks.get(i).person().id());
        }
        FollowUpTask neverSent = new FollowUpTask(tasks.get(3).person(), "Hot lead again", "Why\n\nleadsync ref:"
                + " ls-ffffffffffff", FollowUpTask.Priority.HIGH, Instant.parse("2026-11-25T09:00:00Z"), null,
                "ls-ffffffffffff");
        java.util.Map<String, String> found = sink.findTasks(List.of(tasks.get(3), tasks.get(120), neverSent));
        assertThat(found).containsOnly(java.util.Map.entry(tasks.get(3).key(), results.get(3).createdId()),
                java.util.Map.entry(tasks.get(120).key(), results.get(120).createdId()));
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
