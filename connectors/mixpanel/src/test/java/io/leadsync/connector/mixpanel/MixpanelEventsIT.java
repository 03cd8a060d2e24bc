package io.leadsync.connector.mixpanel;

import io.leadsync.connector.Activity;
import io.leadsync.connector.ActivityTypes;
import io.leadsync.connector.ConfigException;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Page;
import io.leadsync.connector.Person;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.connector.http.MalformedResponseException;
import io.leadsync.sandbox.mixpanel.MixpanelSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mixpanel events: day windows, the cursor, late days, duplicates, malformed lines, event mapping, limits. */
class MixpanelEventsIT {
    private static final Instant NOW = Instant.parse("2026-11-24T15:00:00Z");
    private static final StreamId EVENTS = new StreamId("mixpanel-main", "events");
    private MixpanelFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MixpanelFixture(MixpanelSimulator.Options.defaults().withoutRateLimits()
                .withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private SourceConnector source() {
        Map<String, Object> settings = fixture.settings();
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) settings.get("read");
        read.put("start-date", "2026-11-20");
        return fixture.source(settings);
    }

    private static List<Page<SourceRecord>> read(SourceConnector source, Cursor from) {
        try (Stream<Page<SourceRecord>> pages = source.read(EVENTS, from)) {
            return pages.toList();
        }
    }

    private static List<SourceRecord> records(List<Page<SourceRecord>> pages) {
        return pages.stream().flatMap(p -> p.items().stream()).toList();
    }

    @Test
    void readsOneDayPerExportCallAndSavesTheLastCompleteDay() {
        fixture.simulator.generateDaily(120, 30, 5);

        List<Page<SourceRecord>> pages = read(source(), null);

        assertThat(fixture.simulator.requests()).filteredOn(r -> r.contains("/export"))
                .extracting(r -> r.replaceAll(".*from_date=([0-9-]+).*", "$1"))
                .containsExactly("2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24");
        assertThat(pages.get(pages.size() - 1).next().position())
                .as("today is never complete").startsWith("{\"completeThrough\":\"2026-11-23\",");
        assertThat(pages).allSatisfy(page -> assertThat(page.size()).isLessThanOrEqualTo(50));
        List<SourceRecord> events = records(pages);
        assertThat(events).isNotEmpty().allSatisfy(record -> {
            Activity activity = (Activity) record.value();
            assertThat(activity.type()).isIn(ActivityTypes.PRICING_PAGE_VIEW, ActivityTypes.PRODUCT_USAGE,
                    ActivityTypes.DEMO_REQUEST);
            assertThat(activity.person().id().id()).startsWith("u-");
            assertThat(activity.occurredAt()).isBefore(NOW);
        });
    }

    @Test
    void readsOnlyTheLateDaysAndTodayOnTheNextRun() {
        fixture.simulator.generateDaily(40, 10, 5);
        SourceConnector source = source();
        List<Page<SourceRecord>> first = read(source, null);
        int callsBefore = fixture.simulator.requests().size();

        read(source, first.get(first.size() - 1).next());

        assertThat(fixture.simulator.requests().subList(callsBefore, fixture.simulator.requests().size()))
                .extracting(r -> r.replaceAll(".*from_date=([0-9-]+).*", "$1"))
                .as("late-days 2: the last two complete days again, then today")
                .containsExactly("2026-11-22", "2026-11-23", "2026-11-24");
    }

    /**
     * A complete read leaves in its cursor the days it read and when it began: the next read leaves out of those days
     * the events Mixpanel processed over an hour (the export delay) before it, and reads the rest and the late ones.
     */
    @Test
    void leavesOutOfTheReReadDaysWhatTheLastCompleteReadHadButReadsLateEvents() throws Exception {
        fixture.simulator.generateDaily(600, 30, 5);
        SourceConnector source = source();
        List<Page<SourceRecord>> first = read(source, null);
        Cursor end = first.get(first.size() - 1).next();
        long before = NOW.minus(java.time.Duration.ofHours(1)).toEpochMilli();
        assertThat(com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(end.position()))
                .isEqualTo(com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(
                        "{\"completeThrough\":\"2026-11-23\",\"readFrom\":\"2026-11-20\",\"readThrough\":"
                                + "\"2026-11-24\",\"processedBefore\":\"" + before + "\"}"));
        // a late event: yesterday's, processed only now
        fixture.simulator.addEvent("Viewed Pricing", "u-1", Instant.parse("2026-11-23T10:00:00Z"), "late-1", Map.of());

        List<Page<SourceRecord>> second = read(source, end);

        Set<String> reread = new java.util.TreeSet<>();
        Set<String> daysAgain = new java.util.TreeSet<>();
        for (SourceRecord record : records(first)) {
            var line = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(record.rawPayload());
            if (!record.modifiedAt().isBefore(Instant.parse("2026-11-22T00:00:00Z"))) {
                daysAgain.add(record.id().id());
                if (line.path("properties").path("mp_processing_time_ms").asLong() >= before) {
                    reread.add(record.id().id());
                }
            }
        }
        reread.add("late-1");
        daysAgain.add("late-1");
        assertThat(daysAgain).as("the days read again hold many events").hasSizeGreaterThan(10 * reread.size());
        assertThat(records(second)).extracting(r -> r.id().id()).as("processed within the hour before the first"
                + " read began, or late").containsExactlyInAnyOrderElementsOf(reread);
        Cursor secondEnd = second.get(second.size() - 1).next();
        assertThat(source.count(EVENTS, end, secondEnd)).hasValueSatisfying(count -> assertThat(count.records()
                - count.skipped()).as("the lines of the days read, those left out too").isEqualTo(daysAgain.size()));
        assertThat(second.get(0).next().position()).as("a read cut short keeps what the last complete one read")
                .contains("\"readFrom\":\"2026-11-20\"");
        assertThat(secondEnd.position()).contains("\"readFrom\":\"2026-11-22\"");
    }

    @Test
    void keepsOneEventPerInsertIdAndMapsItsDetails() {
        Instant at = Instant.parse("2026-11-23T10:00:00Z");
        fixture.simulator.addEvent("Viewed Pricing", "u-1", at, "ins-1",
                Map.of("$current_url", "https://acme.io/pricing", "utm_campaign", "fall-launch"));
        fixture.simulator.addEvent("Viewed Pricing", "u-1", at, "ins-1",
                Map.of("$current_url", "https://acme.io/pricing", "utm_campaign", "fall-launch"));
        fixture.simulator.addEvent("Viewed Blog", "u-2", at, "ins-2", Map.of());

        List<SourceRecord> events = records(read(source(), null));

        assertThat(events).singleElement().satisfies(record -> {
            Activity activity = (Activity) record.value();
            assertThat(activity.id()).isEqualTo(new ExternalId("mixpanel-main", "ins-1"));
            assertThat(activity.type()).isEqualTo(ActivityTypes.PRICING_PAGE_VIEW);
            assertThat(activity.occurredAt()).isEqualTo(at);
            assertThat(activity.properties()).containsEntry("page_url", "https://acme.io/pricing")
                    .containsEntry("campaign", "fall-launch").containsEntry("event", "Viewed Pricing");
        });
    }

    @Test
    void givesUnmappedEventsATypeWhenConfiguredInsteadOfSkippingThem() {
        fixture.simulator.addEvent("Viewed Blog", "u-2", Instant.parse("2026-11-23T10:00:00Z"), "ins-2", Map.of());
        Map<String, Object> settings = fixture.settings();
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) settings.get("read");
        read.put("start-date", "2026-11-20");
        read.put("unmapped", "page_view");

        assertThat(records(read(fixture.source(settings), null))).singleElement()
                .satisfies(r -> assertThat(((Activity) r.value()).type()).isEqualTo(ActivityTypes.PAGE_VIEW));
    }

    @Test
    void rejectsMalformedLinesNamingTheDayAndLineAndReadsTheRest() {
        Instant day = Instant.parse("2026-11-22T08:00:00Z");
        fixture.simulator.addEvent("API Call", "u-3", day, "ins-3", Map.of());
        fixture.simulator.addRawLine("{\"event\":\"API Call\",\"properties\":{\"time\":", day);
        fixture.simulator.addRawLine("{\"event\":\"API Call\",\"properties\":{\"time\":1764000000,\"$insert_id\":\"x\"}}", day);

        List<Page<SourceRecord>> pages = read(source(), null);

        assertThat(records(pages)).hasSize(1);
        List<String> reasons = pages.stream().flatMap(p -> p.rejected().stream()).map(r -> r.reason()).toList();
        assertThat(reasons).hasSize(2);
        assertThat(reasons.get(0)).startsWith("export of 2026-11-22, line 2: not JSON (Unexpected end-of-input");
        assertThat(reasons.get(1)).isEqualTo("export of 2026-11-22, line 3: properties.distinct_id: missing (an event"
                + " without a person cannot be scored)");
    }

    @Test
    void readsAnExportCutShortAgainFromWhereItBrokeOffLosingAndRepeatingNothing() {
        fixture.simulator.generateDaily(200, 30, 5);
        List<String> whole = records(read(source(), null)).stream().map(r -> r.id().id()).toList();
        fixture.simulator.faults().add(FaultRule.truncated().on("GET", "/api/2.0/export").withSkip(1).withCount(2),
                FaultRule.truncated().on("GET", "/api/2.0/export").withParam("cut", "connection").withCount(1));

        List<Page<SourceRecord>> pages = read(source(), null);

        assertThat(records(pages)).extracting(r -> r.id().id()).containsExactlyElementsOf(whole);
        assertThat(pages).allSatisfy(page -> assertThat(page.rejected()).isEmpty());
        assertThat(fixture.simulator.faults().stats().injected(io.leadsync.sandbox.faults.FaultKind.TRUNCATED))
                .isEqualTo(3);
    }

    @Test
    void failsTheStreamWhenTheExportIsCutShortEveryTime() {
        fixture.simulator.generateDaily(200, 30, 5);
        fixture.simulator.faults().add(FaultRule.truncated().on("GET", "/api/2.0/export"));

        assertThatThrownBy(() -> read(source(), null)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("Mixpanel answered the export of 2026-11-20 (mixpanel-main) with a body that")
                .hasMessageContaining("(the answer was cut short)");
    }

    @Test
    void waitsOutA429() {
        fixture.simulator.addEvent("API Call", "u-3", Instant.parse("2026-11-23T08:00:00Z"), "ins-3", Map.of());
        fixture.simulator.faults().add(FaultRule.rateLimit().withCount(1));

        assertThat(records(read(source(), null))).hasSize(1);
    }

    @Test
    void readsProfilesThatLinkDistinctIdsToEmails() {
        fixture.simulator.addProfile("u-7", "zoe@acme.de", "Zoë", "Müller", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-11-23T10:00:00Z"));
        List<SourceRecord> profiles;
        try (Stream<Page<SourceRecord>> pages = source().read(new StreamId("mixpanel-main", "profiles"), null)) {
            profiles = pages.flatMap(p -> p.items().stream()).toList();
        }
        assertThat(profiles).singleElement().satisfies(record -> {
            Person person = (Person) record.value();
            assertThat(person.id()).isEqualTo(new ExternalId("mixpanel-main", "u-7"));
            assertThat(person.email()).isEqualTo("zoe@acme.de");
            assertThat(person.firstName()).isEqualTo("Zoë");
            assertThat(person.updatedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        });
    }

    @Test
    void namesConfigurationErrorsByKey() {
        Map<String, Object> settings = fixture.settings();
        settings.put("project-id", "my-project");
        assertThatThrownBy(() -> fixture.source(settings)).isInstanceOf(ConfigException.class)
                .hasMessage("sync.connectors.mixpanel-main.project-id must be the numeric project id but was 'my-project'");
        Map<String, Object> other = fixture.settings();
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) other.get("read");
        read.put("events", List.of(Map.of("name", "Viewed Pricing", "type", "Pricing View")));
        assertThatThrownBy(() -> fixture.source(other)).isInstanceOf(ConfigException.class)
                .hasMessage("sync.connectors.mixpanel-main.read.events[0].type 'Pricing View' is not a snake_case"
                        + " activity type");
        for (Map.Entry<String, String> bad : Map.of(
                "late-days", "sync.connectors.mixpanel-main.read.late-days must be between 0 and 30 but was 31",
                "export-delay", "sync.connectors.mixpanel-main.read.export-delay must not be negative",
                "start-date", "sync.connectors.mixpanel-main.read.start-date must be a date such as 2026-10-01 but was"
                        + " '1 Oct'",
                "streams", "sync.connectors.mixpanel-main.read.streams has unknown value 'funnels'; expected some of"
                        + " [events, profiles]",
                "unmapped", "sync.connectors.mixpanel-main.read.unmapped must be skip or a snake_case activity type"
                        + " but was 'Other'").entrySet()) {
            Map<String, Object> wrong = fixture.settings();
            @SuppressWarnings("unchecked")
            Map<String, Object> block = (Map<String, Object>) wrong.get("read");
            block.put(bad.getKey(), switch (bad.getKey()) {
                case "late-days" -> "31";
                case "export-delay" -> "PT-1H";
                case "start-date" -> "1 Oct";
                case "streams" -> List.of("events", "funnels");
                default -> "Other";
            });
            assertThatThrownBy(() -> fixture.source(wrong)).as(bad.getKey()).isInstanceOf(ConfigException.class)
                    .hasMessage(bad.getValue());
        }
        Map<String, Object> noSecret = fixture.settings();
        noSecret.remove("service-account-secret");
        assertThatThrownBy(() -> fixture.source(noSecret)).isInstanceOf(ConfigException.class)
                .hasMessage("sync.connectors.mixpanel-main.service-account-secret is required (set MIXPANEL_SA_SECRET,"
                        + " which the example config reads as ${MIXPANEL_SA_SECRET})");
    }

    @Test
    void neverRepeatsAnEventWithinOnePageEvenWhenTheExportDoes() {
        fixture.simulator.generateDaily(2000, 50, 8);
        List<Page<SourceRecord>> pages = read(source(), null);
        for (Page<SourceRecord> page : pages) {
            Set<ExternalId> ids = page.items().stream().map(SourceRecord::id).collect(Collectors.toSet());
            assertThat(ids).hasSize(page.items().size());
        }
    }

    @Test
    void countsTheExportLinesOfTheDaysReadAndWhatItSkipsByDesign() {
        Instant at = Instant.parse("2026-11-23T10:00:00Z");
        fixture.simulator.addEvent("Viewed Pricing", "u-1", at, "ins-1", Map.of());
        fixture.simulator.addEvent("Viewed Pricing", "u-1", at, "ins-1", Map.of());        // a repeat
        fixture.simulator.addEvent("Viewed Blog", "u-2", at, "ins-2", Map.of());           // mapped to no type
        fixture.simulator.addEvent("Requested Demo", "u-3", Instant.parse("2026-11-20T08:00:00Z"), "ins-3", Map.of());
        fixture.simulator.addRawLine("{\"event\":\"API Call\",\"properties\":{\"time\":", at);  // rejected
        SourceConnector source = source();

        assertThat(source.count(EVENTS, null, null)).as("no read, no count: an export is counted by reading it")
                .isEmpty();
        List<Page<SourceRecord>> pages = read(source, null);
        Cursor end = pages.get(pages.size() - 1).next();

        assertThat(source.count(EVENTS, null, end)).hasValueSatisfying(count -> {
            assertThat(count.records()).as("five lines").isEqualTo(5);
            assertThat(count.skipped()).as("the repeat and the unmapped event").isEqualTo(2);
            assertThat(count.from()).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
            assertThat(count.to()).isEqualTo(Instant.parse("2026-11-25T00:00:00Z").minusNanos(1));
            assertThat(count.readCalls()).as("a call a day, 20 to 24 November").isEqualTo(5);
            assertThat(count.method()).isEqualTo("Mixpanel export lines");
        });
        assertThat(records(pages)).hasSize(2);
        assertThat(pages.stream().mapToInt(p -> p.rejected().size()).sum()).isEqualTo(1);
        assertThat(source.count(EVENTS, end, end)).as("a window no read of this source covered").isEmpty();
    }

    @Test
    void aGeneratedExportsLinesLessWhatItSkipsAreTheDistinctEventsRead() {
        fixture.simulator.generateDaily(3000, 80, 4);
        SourceConnector source = source();
        List<Page<SourceRecord>> pages = read(source, null);
        long distinct = records(pages).stream().map(SourceRecord::id).distinct().count();

        var count = source.count(EVENTS, null, pages.get(pages.size() - 1).next()).orElseThrow();
        assertThat(count.records()).as("the generator's days up to now").isGreaterThan(4 * 3000);
        assertThat(count.skipped()).as("unmapped events and the export's repeats").isPositive();
        assertThat(count.records() - count.skipped()).isEqualTo(distinct);
    }

    @Test
    void countsProfilesWithEngagesTotalBetweenTheWindowsEnds() {
        StreamId profiles = new StreamId("mixpanel-main", "profiles");
        fixture.simulator.addProfile("u-1", "a@acme.de", "A", "One", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-11-20T10:00:00Z"));
        fixture.simulator.addProfile("u-2", "b@acme.de", "B", "Two", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-11-22T10:00:00Z"));
        fixture.simulator.addProfile("u-3", "c@acme.de", "C", "Three", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-11-23T10:00:00Z"));
        SourceConnector source = source();
        Cursor from = new Cursor(profiles, 1, "{\"lastSeenSince\":\"2026-11-22T10:30:00\"}");
        Cursor to = new Cursor(profiles, 1, "{\"lastSeenSince\":\"2026-11-22T10:00:00\"}");

        assertThat(source.count(profiles, null, to)).hasValueSatisfying(count -> {
            assertThat(count.records()).as("seen until the end cursor's time").isEqualTo(2);
            assertThat(count.from()).isNull();
            assertThat(count.to()).isEqualTo(Instant.parse("2026-11-22T10:00:01Z").minusNanos(1));
            assertThat(count.method()).isEqualTo("Mixpanel engage total");
        });
        assertThat(source.count(profiles, from, null)).as("from the cursor less the hour of overlap, until now")
                .hasValueSatisfying(count -> {
                    assertThat(count.records()).isEqualTo(2);
                    assertThat(count.from()).isEqualTo(Instant.parse("2026-11-22T09:30:00Z"));
                });
    }
}
