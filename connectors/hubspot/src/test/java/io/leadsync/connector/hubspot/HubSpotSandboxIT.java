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

        List<Page<SourceRecord>> pages = readAll(fixture.source(settings), CONTACTS, null);

        Set<String> read = pages.stream().flatMap(p -> p.items().stream()).map(r -> r.id().id()).collect(Collectors.toSet());
        assertThat(read).hasSize(200);
        assertThat(fixture.simulator.requests()).as("never asked past the cap")
                .noneMatch(request -> request.status() == 400);
    }

    @Test
    void waitsOutA429AndGoesOn() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 30);
        fixture.simulator.rateLimitNext(1);

        List<Page<SourceRecord>> pages = readAll(fixture.source(fixture.settings()), CONTACTS, null);

        assertThat(pages.stream().mapToInt(p -> p.items().size()).sum()).isEqualTo(30);
        assertThat(fixture.simulator.requests()).extracting(HubSpotSimulator.RecordedRequest::status).contains(429);
    }

    @Test
    void keepsWithinTheSearchLimitOfFiveRequestsPerSecondByWaiting() {
        fixture = new SandboxFixture(HubSpotSimulator.Options.defaults(), 200);

        List<Page<SourceRecord>> pages = readAll(fixture.source(fixture.settings()), CONTACTS, null);

        assertThat(pages).hasSize(8);
        assertThat(pages.stream().mapToInt(p -> p.items().size()).sum()).isEqualTo(200);
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
        String indexed = fixture.simulator.contacts().get(3).id();
        clock.advance(Duration.ofMinutes(10));
        fixture.simulator.updateContact(indexed, Map.of("jobtitle", "VP Engineering"));
        String notYetIndexed = fixture.simulator.contacts().get(5).id();
        clock.advance(Duration.ofSeconds(20));
        fixture.simulator.updateContact(notYetIndexed, Map.of("jobtitle", "CTO"));
        clock.advance(Duration.ofSeconds(15));

        List<Page<SourceRecord>> first = readAll(source, CONTACTS, null);
        Cursor saved = first.get(first.size() - 1).next();
        assertThat(first.stream().flatMap(p -> p.items().stream()).map(r -> r.id().id()))
                .as("modified 35 s ago: indexed").contains(indexed)
                .as("modified 15 s ago: not indexed yet").doesNotContain(notYetIndexed);

        clock.advance(Duration.ofMinutes(1));
        List<SourceRecord> next = readAll(source, CONTACTS, saved).stream().flatMap(p -> p.items().stream()).toList();

        assertThat(next).extracting(r -> r.id().id()).contains(notYetIndexed);
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
