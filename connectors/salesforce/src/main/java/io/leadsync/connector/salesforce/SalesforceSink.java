package io.leadsync.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.FollowUpTask;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.WriteField;
import io.leadsync.connector.salesforce.internal.SalesforceApi;
import io.leadsync.connector.salesforce.internal.SalesforceCallException;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Writes score, grade, reasons and model version to Leads and Contacts, and creates follow-up Tasks, through
 * composite sObject collections: 200 records a call ({@code PATCH} to update, {@code POST} to create),
 * {@code allOrNone=false}, each record's result mapped back to its input (a failed record carries Salesforce's
 * {@code statusCode} and message to the dead-letter store). Leads and Contacts share a call: the records of a
 * batch are grouped by object, so 10,000 changes cost 50 calls whatever their mix.
 */
public final class SalesforceSink implements SinkConnector {
    /** Salesforce's limit of records per composite sObject collection call. */
    public static final int MAX_BATCH = 200;
    /** Per-record status codes that pass with time (Salesforce's documentation of record locking and timeouts). */
    private static final Set<String> TRANSIENT = Set.of("UNABLE_TO_LOCK_ROW", "REQUEST_RUNNING_TOO_LONG",
            "SERVER_UNAVAILABLE");
    private static final Map<String, String> OBJECTS_BY_PREFIX = Map.of("00Q", "Lead", "003", "Contact");

    private final SalesforceSettings settings;
    private final SalesforceSettings.Write write;
    private final SalesforceApi api;

    public SalesforceSink(SalesforceSettings settings, SalesforceApi api) {
        this.settings = settings;
        this.write = settings.write();
        this.api = api;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        Set<ConnectorDescriptor.Capability> capabilities = EnumSet.of(ConnectorDescriptor.Capability.WRITE);
        if (write.tasks().enabled()) {
            capabilities.add(ConnectorDescriptor.Capability.TASKS);
        }
        return new ConnectorDescriptor(SalesforceSettings.TYPE, settings.name(), List.of(),
                SalesforceSource.CURSOR_VERSION, capabilities);
    }

    @Override
    public CheckResult check() {
        return SalesforceSource.check(api, settings);
    }

    @Override
    public int maxBatchSize() {
        return MAX_BATCH;
    }

    @Override
    public java.util.Optional<io.leadsync.connector.CallStats> callStats() {
        return java.util.Optional.of(api.guardInUse().stats());
    }

    @Override
    public OptionalLong requestCount() {
        return OptionalLong.of(api.requestCount());
    }

    @Override
    public void close() {
        api.close();
    }

    /** A change that can be sent: its place in the input, its object (Lead, Contact) and its record. */
    private record Pending(int index, String object, Map<String, Object> record) {
    }

    @Override
    public List<RecordResult> write(List<FieldChange> changes) {
        RecordResult[] results = new RecordResult[changes.size()];
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            FieldChange change = changes.get(i);
            String object = objectOf(change.target());
            if (object == null) {
                results[i] = RecordResult.failed(change.target(), "MALFORMED_ID", "'" + change.target().id()
                        + "' is not a Lead (00Q) or Contact (003) id; leadsync writes scores to those only");
                continue;
            }
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("attributes", Map.of("type", object));
            record.put("id", change.target().id());
            change.fields().forEach((field, value) -> record.put(write.fields().get(field), value(field, value)));
            pending.add(new Pending(i, object, record));
        }
        // one object after the other inside a call: Salesforce takes up to ten runs of one type per request
        pending.sort(Comparator.comparing(Pending::object));
        for (int from = 0; from < pending.size(); from += MAX_BATCH) {
            List<Pending> chunk = pending.subList(from, Math.min(pending.size(), from + MAX_BATCH));
            List<RecordResult> chunkResults = send("PATCH", chunk.stream().map(Pending::record).toList(),
                    chunk.stream().map(sent -> changes.get(sent.index()).target()).toList(), false);
            for (int k = 0; k < chunk.size(); k++) {
                results[chunk.get(k).index()] = chunkResults.get(k);
            }
        }
        return List.of(results);
    }

    @Override
    public boolean supportsTasks() {
        return write.tasks().enabled();
    }

    @Override
    public List<RecordResult> createTasks(List<FollowUpTask> tasks) {
        if (!write.tasks().enabled()) {
            throw new UnsupportedOperationException(settings.name() + " has tasks disabled (write.tasks.enabled)");
        }
        List<RecordResult> results = new ArrayList<>();
        for (int from = 0; from < tasks.size(); from += MAX_BATCH) {
            List<FollowUpTask> chunk = tasks.subList(from, Math.min(tasks.size(), from + MAX_BATCH));
            List<Map<String, Object>> records = new ArrayList<>();
            for (FollowUpTask task : chunk) {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("attributes", Map.of("type", "Task"));
                record.put("WhoId", task.person().id());
                record.put("Subject", cut(task.subject(), 255));
                record.put("Description", cut(task.body(), 32_000));
                record.put("Priority", switch (task.priority()) {
                    case HIGH -> "High";
                    case MEDIUM -> "Normal";
                    case LOW -> "Low";
                });
                record.put("Status", write.tasks().status());
                record.put("ActivityDate", task.dueAt().atZone(ZoneOffset.UTC).toLocalDate().toString());
                if (write.tasks().type() != null) {
                    record.put("Type", write.tasks().type());
                }
                // a Lead may be owned by a queue (00G), which cannot own a task: the task then goes to the
                // integration user, who sees it in the queue's list views
                if (task.ownerId() != null && task.ownerId().startsWith("005")) {
                    record.put("OwnerId", task.ownerId());
                }
                records.add(record);
            }
            results.addAll(send("POST", records, chunk.stream().map(FollowUpTask::person).toList(), true));
        }
        return results;
    }

    @Override
    public boolean canFindTasks() {
        return true;
    }

    /**
     * Queries the Tasks of each task's lead or contact ({@code queryAll}: a task a rep already deleted counts as
     * created) and returns those whose Description carries a wanted key. Description cannot be filtered in SOQL, so
     * it is read and matched here; 100 people a query.
     */
    @Override
    public Map<String, String> findTasks(List<FollowUpTask> tasks) {
        FollowUpTask.Lookup lookup = FollowUpTask.Lookup.of(tasks);
        List<String> people = lookup.people();
        Map<String, String> found = new LinkedHashMap<>();
        for (int from = 0; from < people.size(); from += 100) {
            String ids = people.subList(from, Math.min(people.size(), from + 100)).stream()
                    .map(id -> "'" + id.replace("'", "") + "'").collect(java.util.stream.Collectors.joining(","));
            JsonNode page = api.query("SELECT Id, WhoId, Description FROM Task WHERE WhoId IN (" + ids + ")", true);
            while (true) {
                for (JsonNode record : page.path("records")) {
                    for (String key : lookup.wantedIn(record.path("Description").asText(""))) {
                        found.put(key, record.path("Id").asText());
                    }
                }
                String next = page.path("nextRecordsUrl").asText("");
                if (page.path("done").asBoolean(true) || next.isBlank()) {
                    break;
                }
                page = api.queryMore(next);
            }
        }
        return found;
    }

    /** One composite call; every record gets its result, a refused call fails each record with the reason. */
    private List<RecordResult> send(String method, List<Map<String, Object>> records, List<ExternalId> targets,
                                    boolean creates) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("allOrNone", false);
        body.put("records", records);
        JsonNode answer;
        try {
            answer = api.send(method, api.dataPath("composite/sobjects"), body).json();
        } catch (SalesforceCallException e) {
            if (e.status() >= 500) {
                throw e;
            }
            // the whole call was refused (a malformed request): every record of it is a dead letter with the reason
            return targets.stream().map(target -> RecordResult.failed(target, e.errorCode(), e.vendorMessage())).toList();
        }
        List<RecordResult> results = new ArrayList<>();
        for (int k = 0; k < targets.size(); k++) {
            JsonNode result = answer.path(k);
            ExternalId target = targets.get(k);
            if (result.path("success").asBoolean(false)) {
                results.add(creates ? RecordResult.created(target, result.path("id").asText())
                        : RecordResult.written(target));
            } else if (result.isMissingNode()) {
                results.add(RecordResult.failed(target, "NO_RESULT", "Salesforce returned " + answer.size()
                        + " results for " + targets.size() + " records"));
            } else {
                JsonNode error = result.path("errors").path(0);
                String fields = error.path("fields").isArray() && !error.path("fields").isEmpty()
                        ? " (fields " + error.path("fields") + ")" : "";
                String code = error.path("statusCode").asText("UNKNOWN");
                String message = error.path("message").asText("no message") + fields;
                // a record another transaction holds, or an org too busy: written again on the next run
                results.add(TRANSIENT.contains(code) ? RecordResult.failedForNow(target, code, message)
                        : RecordResult.failed(target, code, message));
            }
        }
        return results;
    }

    private Object value(String field, String value) {
        if (WriteField.SCORE.equals(field)) {
            try {
                return new BigDecimal(value);
            } catch (NumberFormatException e) {
                return value;
            }
        }
        if (WriteField.REASONS.equals(field)) {
            return reasons(value, write.reasonsMaxLength());
        }
        return value;
    }

    /** The reasons cut to the field's length at a reason boundary ({@code "; "}), with an ellipsis if cut. */
    static String reasons(String text, int maxLength) {
        if (text.length() <= maxLength) {
            return text;
        }
        int cut = text.lastIndexOf("; ", maxLength - 1);
        if (cut <= 0) {
            return cut(text, maxLength);
        }
        return text.substring(0, cut) + "…";
    }

    private static String cut(String text, int maxLength) {
        if (text.length() <= maxLength) {
            return text;
        }
        int end = maxLength - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    static String objectOf(ExternalId id) {
        String value = id.id();
        return value.length() == 15 || value.length() == 18 ? OBJECTS_BY_PREFIX.get(value.substring(0, 3)) : null;
    }
}
