package io.leadsync.bench.faults;

import io.leadsync.bench.ServiceProcess;
import io.leadsync.connector.FollowUpTask;
import io.leadsync.sandbox.Sandbox;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.store.DatabaseSettings;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold after a trial, checked against the simulators' state (what the CRMs hold) and the service's
 * database (read once the service has stopped): every CRM record carries the score of its profile, every hot lead has
 * exactly one task, nothing is left PENDING or RUNNING, the bad records are dead letters with their reasons.
 */
final class Invariants {
    static final List<String> SINKS = List.of("hubspot-main", "salesforce-main");

    /** A CRM's state: score and grade per record ({@code source/id}), and the leadsync tasks by key. */
    record CrmState(Map<String, String> scores, Map<String, Integer> tasksByKey, int tasks) {
    }

    /**
     * What a trial ended with.
     *
     * @param records        CRM records linked to a profile
     * @param lost           of them, records whose CRM value is not their profile's score (and not refused)
     * @param refused        records the vendor refused, each a dead letter with the vendor's reason
     * @param unread         vendor records the service never stored: HubSpot contacts, emails, meetings and calls,
 *                       Salesforce leads and contacts, Mixpanel events of complete days
     * @param tasksExpected  crossings that need a task in a CRM
     * @param tasksInCrm     leadsync tasks in the CRMs
     * @param duplicateTasks tasks beyond one per key, and tasks with no ledger entry
     * @param lostTasks      crossings with no task in the CRM
     * @param pendingLeft    task ledger entries still PENDING
     * @param runningLeft    runs still RUNNING
     * @param badRecords     injected bad records found in the dead letters with a reason naming what was wrong
     */
    record Result(int records, int lost, int refused, int unread, int tasksExpected, int tasksInCrm,
                  int duplicateTasks, int lostTasks, long pendingLeft, long runningLeft, int badRecords,
                  List<String> problems) {
        boolean holds(int expectedBadRecords) {
            return lost == 0 && duplicateTasks == 0 && lostTasks == 0 && pendingLeft == 0 && runningLeft == 0
                    && unread == 0 && badRecords == expectedBadRecords && records > 0;
        }
    }

    private Invariants() {
    }

    static CrmState crm(Sandbox sandbox) {
        Map<String, String> scores = new HashMap<>();
        Map<String, Integer> tasksByKey = new HashMap<>();
        int tasks = 0;
        for (HubSpotSimulator.SimulatedObject contact : sandbox.hubspot().contacts()) {
            String score = contact.properties().get("leadsync_score");
            if (score != null) {
                scores.put("hubspot-main/" + contact.id(), score + "/" + contact.properties().get("leadsync_grade"));
            }
        }
        for (HubSpotSimulator.SimulatedObject task : sandbox.hubspot().objects("tasks")) {
            for (String key : FollowUpTask.keysIn(task.properties().get("hs_task_body"))) {
                tasksByKey.merge(key, 1, Integer::sum);
                tasks++;
            }
        }
        for (String type : List.of("Lead", "Contact")) {
            for (Map<String, Object> record : sandbox.salesforce().records(type)) {
                Object score = record.get("Lead_Score__c");
                if (score != null) {
                    scores.put("salesforce-main/" + record.get("Id"), Math.round(Double.parseDouble(score.toString()))
                            + "/" + record.get("Lead_Grade__c"));
                }
            }
        }
        for (Map<String, Object> task : sandbox.salesforce().records("Task")) {
            Object description = task.get("Description");
            for (String key : FollowUpTask.keysIn(description == null ? null : description.toString())) {
                tasksByKey.merge(key, 1, Integer::sum);
                tasks++;
            }
        }
        return new CrmState(scores, tasksByKey, tasks);
    }

    /** Every record the vendors hold (of the streams checked), by {@code source/stream/id}. */
    static Set<String> vendorRecords(Sandbox sandbox) throws Exception {
        Set<String> records = new HashSet<>();
        sandbox.hubspot().contacts().forEach(c -> records.add("hubspot-main/contacts/" + c.id()));
        for (String type : List.of("emails", "meetings", "calls")) {
            sandbox.hubspot().objects(type).forEach(o -> records.add("hubspot-main/" + type + "/" + o.id()));
        }
        sandbox.salesforce().records("Lead").forEach(r -> records.add("salesforce-main/leads/" + r.get("Id")));
        sandbox.salesforce().records("Contact").forEach(r -> records.add("salesforce-main/contacts/" + r.get("Id")));
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String credentials = java.util.Base64.getEncoder().encodeToString(
                "leadsync-sa.mp-service-account:mp-sandbox-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (java.time.LocalDate day = today.minusDays(14); day.isBefore(today); day = day.plusDays(1)) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    sandbox.mixpanel().exportUrl() + "/export?project_id=2195193&time_in_ms=true&from_date=" + day + "&to_date=" + day))
                    .header("Authorization", "Basic " + credentials).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                try {
                    var event = json.readTree(line);
                    String insertId = event.path("properties").path("$insert_id").asText("");
                    if (!insertId.isBlank() && !event.path("properties").path("distinct_id").asText("").isBlank()
                            && ServiceProcess.MAPPED_EVENTS.contains(event.path("event").asText())) {
                        records.add("mixpanel-main/events/" + insertId);
                    }
                } catch (java.io.IOException e) {
                    // a bad line: checked as a dead letter
                }
            }
        }
        return records;
    }

    /** Checks the CRMs and the vendors' records against the stopped service's H2 database. */
    static Result check(Sandbox sandbox, Path database) throws Exception {
        return check(sandbox, "jdbc:h2:file:" + database + DatabaseSettings.H2_OPTIONS, "sa");
    }

    /** Checks the CRMs and the vendors' records against the service's database (a cluster's PostgreSQL). */
    static Result check(Sandbox sandbox, String jdbcUrl, String user) throws Exception {
        Set<String> vendor = vendorRecords(sandbox);
        CrmState crm = crm(sandbox);
        List<String> problems = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, "")) {
            Map<String, String> profileScores = new HashMap<>();
            query(db, "select profile_id, score, grade from profile_scores",
                    row -> profileScores.put(row.getString(1), row.getInt(2) + "/" + row.getString(3)));
            Set<String> refusedRecords = new HashSet<>();
            Set<String> badRecords = new HashSet<>();
            query(db, "select source, stage, record_id, reason from dead_letters", row -> {
                if (row.getString(2).equals("push")) {
                    refusedRecords.add(row.getString(1) + "/" + row.getString(3));
                }
                String reason = row.getString(4);
                if (row.getString(1).equals("mixpanel-main") && reason.contains("not JSON")) {
                    badRecords.add("not JSON");
                }
                if (row.getString(1).equals("mixpanel-main") && reason.contains("properties.distinct_id: missing")) {
                    badRecords.add("no person");
                }
            });
            int[] records = {0};
            int[] lost = {0};
            int[] refused = {0};
            Set<String> stored = new HashSet<>();
            // an engagement is stored once per contact it is associated with: <engagement id>/<contact id>
            query(db, "select source, stream, record_id from source_records", row -> {
                String id = row.getString(3);
                boolean engagement = row.getString(1).equals("hubspot-main") && id.indexOf('/') > 0;
                stored.add(row.getString(1) + "/" + row.getString(2) + "/" + (engagement ? id.substring(0,
                        id.indexOf('/')) : id));
            });
            int unread = 0;
            for (String record : vendor) {
                if (!stored.contains(record)) {
                    unread++;
                    if (problems.size() < 10) {
                        problems.add(record + " was never stored");
                    }
                }
            }
            query(db, "select source, record_id, profile_id from person_links where source in ('hubspot-main',"
                    + " 'salesforce-main')", row -> {
                String record = row.getString(1) + "/" + row.getString(2);
                String expected = profileScores.get(row.getString(3));
                if (expected == null) {
                    return;
                }
                records[0]++;
                String actual = crm.scores().get(record);
                if (refusedRecords.contains(record)) {
                    refused[0]++;
                } else if (!expected.equals(actual)) {
                    lost[0]++;
                    if (problems.size() < 10) {
                        problems.add(record + " holds " + actual + " but its profile scores " + expected);
                    }
                }
            });
            Map<String, String> confirmed = new HashMap<>();
            Set<String> ledgerKeys = new HashSet<>();
            long[] pending = {0};
            query(db, "select sink, crossing_id, status, task_key from task_ledger", row -> {
                ledgerKeys.add(row.getString(4));
                if ("CONFIRMED".equals(row.getString(3))) {
                    confirmed.put(row.getString(1) + "/" + row.getLong(2), row.getString(4));
                } else if ("PENDING".equals(row.getString(3))) {
                    pending[0]++;
                }
            });
            int[] expectedTasks = {0};
            int[] lostTasks = {0};
            for (String sink : SINKS) {
                query(db, """
                        select c.crossing_id from threshold_crossings c
                        join profile_scores s on s.profile_id = c.profile_id and s.score >= c.threshold
                        where c.crossing_id = (select max(c2.crossing_id) from threshold_crossings c2
                                               where c2.profile_id = c.profile_id)
                          and exists (select 1 from person_links l where l.profile_id = c.profile_id
                                      and l.source = '%s')
                        """.formatted(sink), row -> {
                    expectedTasks[0]++;
                    String key = confirmed.get(sink + "/" + row.getLong(1));
                    if (key == null || !crm.tasksByKey().containsKey(key)) {
                        lostTasks[0]++;
                        if (problems.size() < 10) {
                            problems.add("crossing " + row.getLong(1) + " in " + sink + " has no task in the CRM");
                        }
                    }
                });
            }
            int duplicates = 0;
            for (Map.Entry<String, Integer> task : crm.tasksByKey().entrySet()) {
                duplicates += task.getValue() - 1;
                if (!ledgerKeys.contains(task.getKey())) {
                    duplicates++;
                    if (problems.size() < 10) {
                        problems.add("task " + task.getKey() + " in a CRM has no ledger entry");
                    }
                }
            }
            long running = count(db, "select count(*) from sync_runs where status = 'RUNNING'");
            return new Result(records[0], lost[0], refused[0], unread, expectedTasks[0], crm.tasks(), duplicates,
                    lostTasks[0], pending[0], running, badRecords.size(), problems);
        }
    }

    @FunctionalInterface
    private interface Row {
        void accept(ResultSet row) throws SQLException;
    }

    private static void query(Connection db, String sql, Row row) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                row.accept(rows);
            }
        }
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
