package io.leadsync.connector.salesforce;

import io.leadsync.connector.Activity;
import io.leadsync.connector.CheckResult;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.FollowUpTask;
import io.leadsync.connector.Page;
import io.leadsync.connector.Person;
import io.leadsync.connector.QuotaExhaustedException;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.WriteField;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Salesforce connector against the simulator: reads, deletions, bulk loads, writes, tasks, auth and limits. */
class SalesforceSandboxIT {
    private static final StreamId LEADS = new StreamId(SalesforceFixture.NAME, "leads");
    private static final StreamId CONTACTS = new StreamId(SalesforceFixture.NAME, "contacts");
    private SalesforceFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static List<Page<SourceRecord>> pages(SourceConnector source, StreamId stream, Cursor from) {
        try (Stream<Page<SourceRecord>> pages = source.read(stream, from)) {
            return pages.toList();
        }
    }

    private static List<SourceRecord> records(SourceConnector source, StreamId stream, Cursor from) {
        return pages(source, stream, from).stream().flatMap(page -> page.items().stream()).toList();
    }

    private static Cursor last(List<Page<SourceRecord>> pages) {
        return pages.get(pages.size() - 1).next();
    }

    @Test
    void recordsSharingATimestampAcrossAPageBoundaryAreNeitherSkippedNorRepeated() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults().withPageSize(10), 0);
        Instant same = Instant.parse("2026-11-20T10:15:30.250Z");
        for (int i = 0; i < 35; i++) {
            fixture.simulator.insert("Lead", Map.of("LastName", "Tie " + i, "Company", "Acme"), same, same);
        }
        SourceConnector source = fixture.source(fixture.settings());
        Page<SourceRecord> first;
        try (Stream<Page<SourceRecord>> pages = source.read(LEADS, null)) {
            first = pages.findFirst().orElseThrow();
        }
        assertThat(first.items()).hasSize(10);

        List<SourceRecord> rest = records(source, LEADS, first.next());

        Set<String> seen = new java.util.HashSet<>();
        first.items().forEach(record -> seen.add(record.id().id()));
        assertThat(rest).hasSize(25).allSatisfy(record -> assertThat(seen.add(record.id().id())).isTrue());
        assertThat(seen).hasSize(35);
    }

    @Test
    void deletedMergedAndConvertedLeadsComeBackAsDeletionsOnTheNextRead() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 60);
        SourceConnector source = fixture.source(fixture.settings());
        Cursor saved = last(pages(source, LEADS, null));
        List<String> leads = fixture.seeded.leadIds();
        fixture.simulator.delete("Lead", leads.get(0));
        fixture.simulator.merge("Lead", leads.get(1), leads.get(2));
        fixture.simulator.update("Lead", leads.get(3), Map.of("IsConverted", true));
        fixture.simulator.update("Lead", leads.get(4), Map.of("Title", "VP Revenue Operations"));

        List<SourceRecord> changed = records(source, LEADS, saved);

        Map<String, SourceRecord> byId = changed.stream().collect(Collectors.toMap(r -> r.id().id(), r -> r));
        assertThat(byId).containsOnlyKeys(leads.get(0), leads.get(1), leads.get(2), leads.get(3), leads.get(4));
        assertThat(byId.get(leads.get(0)).deleted()).isTrue();
        assertThat(byId.get(leads.get(2)).deleted()).as("merged away").isTrue();
        assertThat(byId.get(leads.get(2)).rawPayload()).contains("MasterRecordId").contains(leads.get(1));
        assertThat(byId.get(leads.get(1)).deleted()).as("the merge survivor").isFalse();
        assertThat(byId.get(leads.get(3)).deleted()).as("converted: lives on as a contact").isTrue();
        assertThat(((Person) byId.get(leads.get(4)).value()).title()).isEqualTo("VP Revenue Operations");
        assertThat(fixture.simulator.requests()).anySatisfy(request -> assertThat(request.path()).endsWith("/queryAll"));
    }

    @Test
    void aDeletedActivityComesBackAsADeletionSoItStopsCounting() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 30);
        SourceConnector source = fixture.source(fixture.settings());
        StreamId events = new StreamId(SalesforceFixture.NAME, "events");
        List<Page<SourceRecord>> first = pages(source, events, null);
        String meeting = first.get(0).items().get(0).id().id();

        fixture.simulator.delete("Event", meeting);

        assertThat(records(source, events, last(first))).singleElement().satisfies(record -> {
            assertThat(record.id().id()).isEqualTo(meeting);
            assertThat(record.deleted()).isTrue();
        });
    }

    @Test
    void contactsCarryTheirAccountsFirmographicsThroughRelationshipFields() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 30);
        List<SourceRecord> contacts = records(fixture.source(fixture.settings()), CONTACTS, null);

        assertThat(contacts).hasSize(fixture.seeded.contactIds().size());
        Person person = (Person) contacts.get(0).value();
        String accountId = person.attributes().get("AccountId");
        Map<String, Object> account = fixture.simulator.record("Account", accountId).orElseThrow();
        assertThat(person.company()).isEqualTo(account.get("Name"));
        assertThat(person.attributes()).containsEntry("industry", String.valueOf(account.get("Industry")))
                .containsEntry("numberofemployees", String.valueOf(account.get("NumberOfEmployees")))
                .containsEntry("salesforce_object", "Contact");
        assertThat(person.ownerId()).startsWith("005");
    }

    @Test
    void activitiesMapToCanonicalTypesLinkedToTheirPerson() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 80);
        SourceConnector source = fixture.source(fixture.settings());
        String open = fixture.simulator.create("Task", Map.of("WhoId", fixture.seeded.leadIds().get(0), "Subject",
                "Call back", "Status", "Not Started", "Priority", "High", "TaskSubtype", "Call"));

        List<SourceRecord> tasks = records(source, new StreamId(SalesforceFixture.NAME, "tasks"), null);
        List<SourceRecord> events = records(source, new StreamId(SalesforceFixture.NAME, "events"), null);
        List<SourceRecord> members = records(source, new StreamId(SalesforceFixture.NAME, "campaign_members"), null);
        List<SourceRecord> deals = records(source, new StreamId(SalesforceFixture.NAME, "opportunities"), null);

        assertThat(tasks).as("completed tasks only: an open task is a to-do, not something that happened")
                .isNotEmpty().noneSatisfy(record -> assertThat(record.id().id()).isEqualTo(open));
        assertThat(tasks).extracting(record -> ((Activity) record.value()).type())
                .containsOnly("call", "email_sent").contains("call", "email_sent");
        assertThat(events).isNotEmpty().allSatisfy(record -> assertThat(((Activity) record.value()).type())
                .isEqualTo("meeting"));
        assertThat(members).extracting(record -> ((Activity) record.value()).type())
                .contains("webinar", "campaign_member", "campaign_response");
        assertThat(members).anySatisfy(record -> assertThat(((Activity) record.value()).properties())
                .containsEntry("campaign", "Webinar: Lead scoring sales trusts"));
        assertThat(deals).extracting(record -> ((Activity) record.value()).type())
                .contains("opportunity_won", "opportunity_lost");
        Set<String> people = Stream.concat(fixture.seeded.leadIds().stream(), fixture.seeded.contactIds().stream())
                .collect(Collectors.toSet());
        assertThat(Stream.of(tasks, events, members, deals).flatMap(List::stream))
                .allSatisfy(record -> assertThat(people).contains(((Activity) record.value()).person().id().id()));
    }

    @Test
    void aRecordThatCannotBeMappedIsRejectedWithItsFieldAndTheReadGoesOn() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 20);
        String bad = fixture.simulator.create("Lead", Map.of("LastName", "Broken", "Company", "Acme", "Email",
                "not-an-address"));

        List<Page<SourceRecord>> pages = pages(fixture.source(fixture.settings()), LEADS, null);

        assertThat(pages.stream().flatMap(page -> page.rejected().stream()))
                .singleElement().satisfies(rejected -> {
                    assertThat(rejected.recordId()).isEqualTo(bad);
                    assertThat(rejected.reason()).contains("leads " + bad).contains("Email 'not-an-address'");
                });
        assertThat(pages.stream().mapToInt(page -> page.items().size()).sum())
                .isEqualTo(fixture.seeded.leadIds().size());
    }

    @Test
    void aLargeFirstLoadRunsAsABulkQueryJobAndResumesFromItsLocator() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 0);
        Instant base = Instant.parse("2026-10-01T00:00:00Z");
        for (int i = 0; i < 450; i++) {
            Instant at = base.plusSeconds(i * 60L);
            fixture.simulator.insert("Lead", Map.of("LastName", "Bulk " + i, "Company", "Acme, Inc.", "Email",
                    "bulk" + i + "@acme.example", "Title", i % 7 == 0 ? "Head of \"Growth\"\nEMEA" : "Analyst"), at, at);
        }
        Map<String, Object> settings = fixture.settings();
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) settings.get("read");
        read.put("bulk", Map.of("threshold", "100", "page-size", "100", "poll-interval", "10ms"));
        SourceConnector source = fixture.source(settings);

        List<Page<SourceRecord>> pages = pages(source, LEADS, null);

        assertThat(pages).hasSize(5);
        List<SourceRecord> all = pages.stream().flatMap(page -> page.items().stream()).toList();
        assertThat(all).hasSize(450).extracting(record -> record.id().id()).doesNotHaveDuplicates();
        assertThat(all).anySatisfy(record -> assertThat(((Person) record.value()).title())
                .isEqualTo("Head of \"Growth\"\nEMEA"));
        assertThat(((Person) all.get(0).value()).company()).isEqualTo("Acme, Inc.");
        assertThat(fixture.simulator.requests()).anySatisfy(request -> assertThat(request.path())
                .endsWith("/jobs/query"));
        assertThat(pages.get(1).next().position()).contains("bulkJob").contains("locator");
        assertThat(last(pages).position()).doesNotContain("bulkJob").contains("2026-10-01T07:29:00Z");

        List<SourceRecord> resumed = records(source, LEADS, pages.get(1).next());
        assertThat(resumed).hasSize(250).extracting(record -> record.id())
                .containsExactlyElementsOf(all.subList(200, 450).stream().map(SourceRecord::id).toList());
        assertThat(records(source, LEADS, last(pages))).as("nothing changed since the load").isEmpty();
    }

    @Test
    void whatAPushWritesIsWhatTheNextQueryReturns() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 20);
        Map<String, Object> settings = fixture.settings();
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) settings.get("read");
        read.put("lead-fields", List.of("Lead_Score__c", "Lead_Grade__c"));
        SourceConnector source = fixture.source(settings);
        Cursor saved = last(pages(source, LEADS, null));
        ExternalId lead = new ExternalId(SalesforceFixture.NAME, fixture.seeded.leadIds().get(0));

        List<RecordResult> results = fixture.sink(settings).write(List.of(new FieldChange(lead, Map.of(
                WriteField.SCORE, "87", WriteField.GRADE, "A", WriteField.REASONS, "+20 Senior", WriteField.MODEL_VERSION,
                "default@4"))));

        assertThat(results).singleElement().satisfies(result -> assertThat(result.success()).isTrue());
        assertThat(records(source, LEADS, saved)).singleElement().satisfies(record ->
                assertThat(((Person) record.value()).attributes()).containsEntry("Lead_Score__c", "87")
                        .containsEntry("Lead_Grade__c", "A"));
    }

    @Test
    void reasonsAreCutAtAReasonBoundaryToFitTheField() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 10);
        ExternalId lead = new ExternalId(SalesforceFixture.NAME, fixture.seeded.leadIds().get(0));
        StringBuilder reasons = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            reasons.append(i == 0 ? "" : "; ").append("+").append(i).append(" Criterion number ").append(i);
        }

        List<RecordResult> results = fixture.sink(fixture.settings()).write(List.of(new FieldChange(lead,
                Map.of(WriteField.REASONS, reasons.toString()))));

        assertThat(results.get(0).success()).as(String.valueOf(results.get(0).message())).isTrue();
        String written = (String) fixture.simulator.record("Lead", lead.id()).orElseThrow().get("Score_Reasons__c");
        assertThat(written).hasSizeLessThanOrEqualTo(255).startsWith("+0 Criterion number 0; +1").endsWith("…");
        assertThat(written.substring(0, written.length() - 1)).matches(".*Criterion number \\d+");
    }

    @Test
    void tenThousandChangedScoresArePushedInFiftyCalls() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults().withDailyLimit(0), 0);
        List<FieldChange> changes = new ArrayList<>();
        Instant at = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 10_000; i++) {
            String id = fixture.simulator.insert(i % 2 == 0 ? "Lead" : "Contact", Map.of("LastName", "P" + i), at, at);
            changes.add(new FieldChange(new ExternalId(SalesforceFixture.NAME, id), Map.of(WriteField.SCORE,
                    Integer.toString(i % 100), WriteField.GRADE, "B")));
        }
        SinkConnector sink = fixture.sink(fixture.settings());

        List<RecordResult> results = sink.write(changes);

        assertThat(results).hasSize(10_000).allSatisfy(result -> assertThat(result.success()).isTrue());
        assertThat(fixture.simulator.collectionCalls()).isEqualTo(50);
        assertThat(sink.requestCount()).hasValue(50);
        assertThat(results.get(1).target()).isEqualTo(changes.get(1).target());
    }

    @Test
    void followUpTasksGoToTheRecordOwnerWithPriorityStatusAndDueDate() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 12);
        String leadId = fixture.seeded.leadIds().get(0);
        String owner = (String) fixture.simulator.record("Lead", leadId).orElseThrow().get("OwnerId");
        String queued = fixture.seeded.leadIds().get(1);
        Instant due = Instant.parse("2026-11-26T09:00:00Z");
        SinkConnector sink = fixture.sink(fixture.settings());

        List<RecordResult> results = sink.createTasks(List.of(
                new FollowUpTask(new ExternalId(SalesforceFixture.NAME, leadId), "Hot lead: call today",
                        "Score 87 (A): +20 Senior", FollowUpTask.Priority.HIGH, due, owner),
                new FollowUpTask(new ExternalId(SalesforceFixture.NAME, queued), "Hot lead: call today", "",
                        FollowUpTask.Priority.MEDIUM, due, "00G5g000001QueueAAA"),
                new FollowUpTask(new ExternalId(SalesforceFixture.NAME, "00Q5g00000ZZZZZZZZ"), "Nobody", "",
                        FollowUpTask.Priority.LOW, due, null)));

        assertThat(results.get(0).success()).isTrue();
        Map<String, Object> task = fixture.simulator.record("Task", results.get(0).createdId()).orElseThrow();
        assertThat(task).containsEntry("WhoId", leadId).containsEntry("OwnerId", owner)
                .containsEntry("Priority", "High").containsEntry("Status", "Not Started")
                .containsEntry("ActivityDate", "2026-11-26").containsEntry("Subject", "Hot lead: call today");
        assertThat(fixture.simulator.record("Task", results.get(1).createdId()).orElseThrow())
                .as("a queue cannot own a task").doesNotContainKey("OwnerId").containsEntry("Priority", "Normal");
        assertThat(results.get(2).success()).isFalse();
        assertThat(results.get(2).errorCode()).isEqualTo("INVALID_CROSS_REFERENCE_KEY");
    }

    @Test
    void findsTasksAnEarlierAttemptCreatedByTheKeyInTheirDescriptionDeletedOnesToo() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 12);
        String first = fixture.seeded.leadIds().get(0);
        String second = fixture.seeded.leadIds().get(1);
        Instant due = Instant.parse("2026-11-26T09:00:00Z");
        SinkConnector sink = fixture.sink(fixture.settings());
        FollowUpTask created = new FollowUpTask(new ExternalId(SalesforceFixture.NAME, first), "Hot lead: call today",
                "Why: +20 Senior\n\nleadsync ref: ls-0123456789ab", FollowUpTask.Priority.HIGH, due, null,
                "ls-0123456789ab");
        FollowUpTask deleted = new FollowUpTask(new ExternalId(SalesforceFixture.NAME, second), "Hot lead: call",
                "Why: +25 Demo\n\nleadsync ref: ls-00000000cafe", FollowUpTask.Priority.HIGH, due, null,
                "ls-00000000cafe");
        FollowUpTask neverSent = new FollowUpTask(new ExternalId(SalesforceFixture.NAME, first), "Hot lead: again",
                "Why\n\nleadsync ref: ls-ffffffffffff", FollowUpTask.Priority.HIGH, due, null, "ls-ffffffffffff");
        List<RecordResult> results = sink.createTasks(List.of(created, deleted));
        fixture.simulator.delete("Task", results.get(1).createdId());

        Map<String, String> found = sink.findTasks(List.of(created, deleted, neverSent));

        assertThat(found).containsOnly(Map.entry("ls-0123456789ab", results.get(0).createdId()),
                Map.entry("ls-00000000cafe", results.get(1).createdId()));
        assertThat(sink.canFindTasks()).isTrue();
    }

    @Test
    void retriesTheTransientConcurrentRequestLimitButStopsOnTheDailyOne() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 20);
        SourceConnector source = fixture.source(fixture.settings());
        int all = records(source, LEADS, null).size();
        fixture.simulator.faults().add(FaultRule.rateLimit().withParam("policy", "concurrent").withCount(1)
                .on("GET", "/services/data/*/query"));

        assertThat(records(source, LEADS, null)).as("ConcurrentPerOrgLongTxn is retried").hasSize(all);
        assertThat(source.callStats().orElseThrow().rateLimited()).isEqualTo(1);

        fixture.simulator.faults().clear();
        fixture.simulator.faults().add(FaultRule.rateLimit().withParam("policy", "daily")
                .on("GET", "/services/data/*/query"));
        assertThatThrownBy(() -> records(source, LEADS, null)).isInstanceOf(QuotaExhaustedException.class)
                .hasMessageContaining("REQUEST_LIMIT_EXCEEDED");
    }

    @Test
    void anExpiredSessionLogsInAgainOnceAndTheReadGoesOn() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 20);
        SourceConnector source = fixture.source(fixture.settings());
        int before = records(source, LEADS, null).size();

        fixture.simulator.faults().add(FaultRule.expireToken().withCount(1));
        List<SourceRecord> again = records(source, LEADS, null);

        assertThat(again).hasSize(before);
        List<Integer> statuses = fixture.simulator.requests().stream()
                .map(SalesforceSimulator.RecordedRequest::status).toList();
        assertThat(statuses).containsOnlyOnce(401);
        assertThat(fixture.simulator.requests().stream().filter(r -> r.path().equals("/services/oauth2/token")))
                .hasSize(2);
    }

    @Test
    void theJobStopsCleanlyAtTheConfiguredShareOfTheDailyBudget() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults().withDailyLimit(1_000), 20);
        Map<String, Object> settings = fixture.settings();
        settings.put("limits", Map.of("max-daily-percent", "80"));
        SourceConnector source = fixture.source(settings);
        fixture.simulator.setApiCalls(799);

        assertThat(records(source, LEADS, null)).isNotEmpty();
        // the next call is not made; one cheap call asks whether the rolling window has freed requests
        assertThatThrownBy(() -> records(source, CONTACTS, null)).isInstanceOf(QuotaExhaustedException.class)
                .hasMessageContaining("has used 801 of the org's 1000 daily API requests, the 80%")
                .hasMessageContaining("limits.max-daily-percent");
        assertThatThrownBy(() -> records(source, CONTACTS, null)).as("no second recheck within the interval")
                .isInstanceOf(QuotaExhaustedException.class);
        assertThat(fixture.simulator.apiCalls()).isEqualTo(801);
        assertThat(fixture.simulator.requests()).noneSatisfy(request -> assertThat(request.query())
                .contains("FROM%20Contact"));
    }

    @Test
    void requestLimitExceededPausesWithoutRetrying() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults().withDailyLimit(500), 10);
        Map<String, Object> settings = fixture.settings();
        settings.put("limits", Map.of("max-daily-percent", "100"));
        settings.put("retry", Map.of("max-attempts", "5"));
        SinkConnector sink = fixture.sink(settings);
        fixture.simulator.setApiCalls(500);
        ExternalId lead = new ExternalId(SalesforceFixture.NAME, fixture.seeded.leadIds().get(0));

        assertThatThrownBy(() -> sink.write(List.of(new FieldChange(lead, Map.of(WriteField.SCORE, "50")))))
                .isInstanceOf(QuotaExhaustedException.class).hasMessageContaining("REQUEST_LIMIT_EXCEEDED")
                .hasMessageContaining("pauses");
        assertThat(fixture.simulator.requests().stream().filter(r -> r.status() == 403)).hasSize(1);
    }

    @Test
    void everyOAuthFlowLogsIn(@TempDir Path dir) throws Exception {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 5);
        SalesforceSimulator.Options options = fixture.simulator.options();
        Path keystore = keystore(dir, "leadsync-jwt.p12");
        // the connected app holds the certificate: the simulator then checks each assertion's RS256 signature
        fixture.simulator.trustJwtKey(publicKey(keystore));
        Map<String, Map<String, Object>> flows = new LinkedHashMap<>();
        flows.put("refresh-token", Map.of("flow", "refresh-token", "client-id", options.clientId(), "client-secret",
                options.clientSecret(), "refresh-token", fixture.simulator.issueRefreshToken()));
        flows.put("client-credentials", Map.of("flow", "client-credentials", "client-id", options.clientId(),
                "client-secret", options.clientSecret()));
        flows.put("jwt", Map.of("flow", "jwt", "client-id", options.clientId(), "username", options.username(),
                "keystore", Map.of("path", keystore.toString(), "password", "changeit")));
        for (Map.Entry<String, Map<String, Object>> flow : flows.entrySet()) {
            Map<String, Object> settings = fixture.settings();
            settings.put("auth", new HashMap<>(flow.getValue()));
            // one component per connector instance: a fresh Camel context per flow
            try (SalesforceFixture.Isolated isolated = fixture.isolated()) {
                SourceConnector source = isolated.source(settings);
                CheckResult check = source.check();
                assertThat(check.ok()).as(flow.getKey() + ": " + check.message()).isTrue();
                assertThat(records(source, LEADS, null)).as(flow.getKey()).hasSize(fixture.seeded.leadIds().size());
            }
        }
    }

    @Test
    void aJwtSignedWithAKeyTheConnectedAppDoesNotKnowIsRefused(@TempDir Path dir) throws Exception {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 5);
        fixture.simulator.trustJwtKey(publicKey(keystore(dir, "trusted.p12")));
        Path other = keystore(dir, "other.p12");
        Map<String, Object> settings = fixture.settings();
        settings.put("auth", Map.of("flow", "jwt", "client-id", fixture.simulator.options().clientId(), "username",
                fixture.simulator.options().username(), "keystore", Map.of("path", other.toString(), "password",
                        "changeit")));

        CheckResult check = fixture.source(settings).check();

        assertThat(check.ok()).isFalse();
        assertThat(check.message()).contains("invalid_grant").contains("auth.keystore");
    }

    /** A PKCS12 keystore with a fresh RSA key pair and its self-signed certificate, made by the JDK's keytool. */
    private static Path keystore(Path dir, String name) throws Exception {
        Path keystore = dir.resolve(name);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "leadsync", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=leadsync",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        return keystore;
    }

    private static java.security.PublicKey publicKey(Path keystore) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        return store.getCertificate("leadsync").getPublicKey();
    }

    @Test
    void secretsNeverReachMessages() {
        fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 5);
        CheckResult check = fixture.source(fixture.settings("wrong-password-s3cr3t", fixture.simulator.baseUrl()
                .toString())).check();
        assertThat(check.ok()).isFalse();
        assertThat(check.message()).contains("password").doesNotContain("wrong-password-s3cr3t")
                .doesNotContain(fixture.simulator.options().clientSecret());
    }
}
