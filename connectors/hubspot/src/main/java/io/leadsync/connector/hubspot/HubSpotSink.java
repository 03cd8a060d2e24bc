package io.leadsync.connector.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.FollowUpTask;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.WriteField;
import io.leadsync.connector.http.ApiException;
import io.leadsync.connector.http.ApiClient;
import io.leadsync.connector.http.ApiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Writes score, grade, reasons and model version to HubSpot contact properties, and creates follow-up tasks.
 *
 * <p>Updates go through {@code batch/update}, 100 contacts per call. A 207 names the contacts that failed; the
 * others are written. HubSpot refuses a whole batch with 400 when one value is invalid, so such a batch is split
 * in halves until the bad records are isolated: one bad record never fails the others. Tasks are created 100 a call
 * with the 204 task-to-contact association, and found again by the key in their body.
 */
public final class HubSpotSink implements SinkConnector {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotSink.class);
    public static final int MAX_BATCH = 100;
    private static final String PROPERTIES_PATH = "/crm/v3/properties/contacts";

    private final HubSpotSettings settings;
    private final HubSpotSettings.Write write;
    private final ApiClient client;
    private volatile boolean prepared;

    public HubSpotSink(HubSpotSettings settings, ApiClient client) {
        this.settings = settings;
        this.write = settings.write();
        this.client = client;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(HubSpotSettings.TYPE, settings.name(), List.of(), HubSpotSource.CURSOR_VERSION,
                write.tasks().enabled() ? Set.of(ConnectorDescriptor.Capability.WRITE, ConnectorDescriptor.Capability.TASKS)
                        : Set.of(ConnectorDescriptor.Capability.WRITE));
    }

    @Override
    public CheckResult check() {
        return HubSpotSource.check(client, settings.name());
    }

    @Override
    public int maxBatchSize() {
        return MAX_BATCH;
    }

    @Override
    public java.util.Optional<io.leadsync.connector.CallStats> callStats() {
        return java.util.Optional.of(client.guard().stats());
    }

    @Override
    public OptionalLong requestCount() {
        return OptionalLong.of(client.requestCount());
    }

    /**
     * Creates the contact properties leadsync writes, if missing (a 409 means another process just did). Done once
     * per process: properties, once there, stay.
     */
    @Override
    public void prepare() {
        if (!write.createProperties() || prepared) {
            return;
        }
        for (String field : WriteField.ALL) {
            String name = write.properties().get(field);
            ApiResponse existing = client.get(PROPERTIES_PATH + "/" + name, Map.of());
            if (existing.isSuccess()) {
                continue;
            }
            if (existing.status() != 404) {
                throw new ApiException("HubSpot", "GET " + PROPERTIES_PATH + "/" + name, existing);
            }
            ApiResponse created = client.post(PROPERTIES_PATH, propertyDefinition(field, name));
            if (created.isSuccess()) {
                LOG.info("Created HubSpot contact property {} in {}", name, settings.name());
            } else if (created.status() != 409) {
                throw new ApiException("HubSpot", "POST " + PROPERTIES_PATH + " (" + name + ")", created);
            }
        }
        prepared = true;
    }

    private Map<String, Object> propertyDefinition(String field, String name) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("name", name);
        definition.put("groupName", write.propertyGroup());
        switch (field) {
            case WriteField.SCORE -> {
                definition.put("label", "Lead score (leadsync)");
                definition.put("type", "number");
                definition.put("fieldType", "number");
            }
            case WriteField.REASONS -> {
                definition.put("label", "Score reasons (leadsync)");
                definition.put("type", "string");
                definition.put("fieldType", "textarea");
            }
            case WriteField.GRADE -> {
                definition.put("label", "Lead grade (leadsync)");
                definition.put("type", "string");
                definition.put("fieldType", "text");
            }
            default -> {
                definition.put("label", "Scoring model (leadsync)");
                definition.put("type", "string");
                definition.put("fieldType", "text");
            }
        }
        definition.put("description", "Written by leadsync; edits here are overwritten on the next sync.");
        return definition;
    }

    @Override
    public List<RecordResult> write(List<FieldChange> changes) {
        List<RecordResult> results = new ArrayList<>(changes.size());
        for (int from = 0; from < changes.size(); from += MAX_BATCH) {
            results.addAll(writeBatch(changes.subList(from, Math.min(changes.size(), from + MAX_BATCH))));
        }
        return results;
    }

    private List<RecordResult> writeBatch(List<FieldChange> batch) {
        Map<FieldChange, RecordResult> results = new HashMap<>();
        List<FieldChange> valid = new ArrayList<>();
        Map<String, Map<String, String>> inputs = new LinkedHashMap<>();
        for (FieldChange change : batch) {
            if (!change.target().source().equals(settings.name())) {
                results.put(change, RecordResult.failed(change.target(), "WRONG_SINK",
                        change.target() + " is not a record of " + settings.name()));
                continue;
            }
            Map<String, String> properties = inputs.computeIfAbsent(change.target().id(), id -> new LinkedHashMap<>());
            change.fields().forEach((field, value) -> {
                String property = write.properties().get(field);
                if (property != null) {
                    properties.put(property, value);
                }
            });
            valid.add(change);
        }
        if (!valid.isEmpty()) {
            Map<String, RecordResult> byId = update(inputs, valid);
            for (FieldChange change : valid) {
                results.put(change, byId.get(change.target().id()));
            }
        }
        return batch.stream().map(results::get).toList();
    }

    /** Sends one batch/update; splits it when HubSpot refuses it whole. Returns a result per contact id. */
    private Map<String, RecordResult> update(Map<String, Map<String, String>> inputs, List<FieldChange> changes) {
        List<Map<String, Object>> body = new ArrayList<>();
        inputs.forEach((id, properties) -> body.add(Map.of("id", id, "properties", properties)));
        String path = "/crm/v3/objects/contacts/batch/update";
        ApiResponse response = client.post(path, Map.of("inputs", body));
        Map<String, RecordResult> results = new LinkedHashMap<>();
        var targets = new HashMap<String, io.leadsync.connector.ExternalId>();
        changes.forEach(change -> targets.put(change.target().id(), change.target()));
        if (response.status() == 200 || response.status() == 207) {
            for (JsonNode error : response.body().path("errors")) {
                String category = error.path("category").asText("ERROR");
                String message = error.path("message").asText("failed");
                for (JsonNode id : error.path("context").path("ids")) {
                    var target = targets.get(id.asText());
                    if (target != null) {
                        results.put(id.asText(), RecordResult.failed(target, category, message));
                    }
                }
            }
            inputs.keySet().forEach(id -> results.putIfAbsent(id, RecordResult.written(targets.get(id))));
            return results;
        }
        if (response.status() == 400 && inputs.size() > 1) {
            List<String> ids = new ArrayList<>(inputs.keySet());
            int half = ids.size() / 2;
            results.putAll(update(subset(inputs, ids.subList(0, half)), changes));
            results.putAll(update(subset(inputs, ids.subList(half, ids.size())), changes));
            return results;
        }
        if (response.status() == 400 || response.status() == 404) {
            String id = inputs.keySet().iterator().next();
            results.put(id, RecordResult.failed(targets.get(id), response.category(), response.message()));
            return results;
        }
        throw new ApiException("HubSpot", "POST " + path, response);
    }

    private static Map<String, Map<String, String>> subset(Map<String, Map<String, String>> inputs, List<String> ids) {
        Map<String, Map<String, String>> subset = new LinkedHashMap<>();
        ids.forEach(id -> subset.put(id, inputs.get(id)));
        return subset;
    }

    @Override
    public boolean supportsTasks() {
        return write.tasks().enabled();
    }

    /**
     * Creates tasks through {@code batch/create}, 100 a call, each with its 204 task-to-contact association and its key
     * as {@code objectWriteTraceId}, by which the answers are matched to the inputs (HubSpot does not promise their
     * order). HubSpot refuses a whole batch with 400 when one input is invalid, so such a batch is split in halves
     * until the bad tasks are isolated.
     */
    @Override
    public List<RecordResult> createTasks(List<FollowUpTask> tasks) {
        if (!write.tasks().enabled()) {
            throw new UnsupportedOperationException("tasks are disabled for " + settings.name()
                    + " (write.tasks.enabled: false)");
        }
        List<RecordResult> results = new ArrayList<>(tasks.size());
        for (int from = 0; from < tasks.size(); from += MAX_BATCH) {
            results.addAll(createBatch(tasks.subList(from, Math.min(tasks.size(), from + MAX_BATCH))));
        }
        return results;
    }

    private static final String TASKS_PATH = "/crm/v3/objects/tasks/batch/create";

    private List<RecordResult> createBatch(List<FollowUpTask> batch) {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            FollowUpTask task = batch.get(i);
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("properties", taskProperties(task));
            input.put("associations", List.of(Map.of("to", Map.of("id", task.person().id()),
                    "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", 204)))));
            input.put("objectWriteTraceId", traceId(task, i));
            inputs.add(input);
        }
        ApiResponse response = client.post(TASKS_PATH, Map.of("inputs", inputs));
        if (response.status() == 200 || response.status() == 201 || response.status() == 207) {
            return matchCreated(batch, response);
        }
        if (response.status() == 400 && batch.size() > 1) {
            int half = batch.size() / 2;
            List<RecordResult> results = new ArrayList<>(createBatch(batch.subList(0, half)));
            results.addAll(createBatch(batch.subList(half, batch.size())));
            return results;
        }
        if (response.status() == 400 || response.status() == 404) {
            return List.of(RecordResult.failed(batch.get(0).person(), response.category(), response.message()));
        }
        throw new ApiException("HubSpot", "POST " + TASKS_PATH, response);
    }

    /** The results of a batch create, in input order: by trace id, else by the key in the body, else by position. */
    private static List<RecordResult> matchCreated(List<FollowUpTask> batch, ApiResponse response) {
        Map<String, String> idByTrace = new HashMap<>();
        List<String> inOrder = new ArrayList<>();
        for (JsonNode result : response.list("results", "HubSpot", "POST " + TASKS_PATH)) {
            String id = result.path("id").asText();
            inOrder.add(id);
            String trace = result.path("objectWriteTraceId").asText("");
            if (!trace.isBlank()) {
                idByTrace.put(trace, id);
            }
            String body = result.path("properties").path("hs_task_body").asText("");
            for (String key : FollowUpTask.keysIn(body)) {
                idByTrace.putIfAbsent(key, id);
            }
        }
        Map<String, String[]> errorByTrace = new HashMap<>();
        for (JsonNode error : response.body().path("errors")) {
            for (JsonNode trace : error.path("context").path("objectWriteTraceId")) {
                errorByTrace.put(trace.asText(), new String[] {error.path("category").asText("ERROR"),
                        error.path("message").asText("refused")});
            }
        }
        List<RecordResult> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            FollowUpTask task = batch.get(i);
            String trace = traceId(task, i);
            String id = idByTrace.get(trace);
            if (id == null && idByTrace.isEmpty() && errorByTrace.isEmpty() && inOrder.size() == batch.size()) {
                id = inOrder.get(i);
            }
            String[] error = errorByTrace.get(trace);
            results.add(id != null ? RecordResult.created(task.person(), id)
                    : error != null ? RecordResult.failed(task.person(), error[0], error[1])
                    : RecordResult.failed(task.person(), "NO_RESULT", "HubSpot's answer named no task for this input"));
        }
        return results;
    }

    private static String traceId(FollowUpTask task, int index) {
        return task.key() != null ? task.key() : "input-" + index;
    }

    private Map<String, String> taskProperties(FollowUpTask task) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("hs_timestamp", task.dueAt().toString());
        properties.put("hs_task_subject", task.subject());
        properties.put("hs_task_body", task.body());
        properties.put("hs_task_status", "NOT_STARTED");
        properties.put("hs_task_priority", task.priority().name());
        properties.put("hs_task_type", write.tasks().taskType());
        if (task.ownerId() != null) {
            properties.put("hubspot_owner_id", task.ownerId());
        }
        return properties;
    }

    @Override
    public boolean canFindTasks() {
        return true;
    }

    /**
     * Reads the tasks associated with each task's contact (v4 associations, read-after-write consistent unlike
     * search) and their bodies ({@code batch/read}, 100 a call), and returns those whose body carries a wanted key.
     */
    @Override
    public Map<String, String> findTasks(List<FollowUpTask> tasks) {
        FollowUpTask.Lookup lookup = FollowUpTask.Lookup.of(tasks);
        Map<String, String> found = new HashMap<>();
        List<String> contactList = lookup.people();
        List<String> taskIds = new ArrayList<>();
        String associations = "/crm/v4/associations/contacts/tasks/batch/read";
        for (int from = 0; from < contactList.size(); from += 1000) {
            List<Map<String, String>> inputs = contactList.subList(from, Math.min(contactList.size(), from + 1000))
                    .stream().map(id -> Map.of("id", id)).toList();
            ApiResponse response = client.post(associations, Map.of("inputs", inputs));
            if (response.status() != 200 && response.status() != 207) {
                throw new ApiException("HubSpot", "POST " + associations, response);
            }
            for (JsonNode result : response.list("results", "HubSpot", "POST " + associations)) {
                for (JsonNode to : result.path("to")) {
                    taskIds.add(to.path("toObjectId").asText());
                }
            }
        }
        String read = "/crm/v3/objects/tasks/batch/read";
        for (int from = 0; from < taskIds.size(); from += MAX_BATCH) {
            List<Map<String, String>> inputs = taskIds.subList(from, Math.min(taskIds.size(), from + MAX_BATCH))
                    .stream().map(id -> Map.of("id", id)).toList();
            ApiResponse response = client.post(read, Map.of("inputs", inputs, "properties", List.of("hs_task_body")));
            if (response.status() != 200 && response.status() != 207) {
                throw new ApiException("HubSpot", "POST " + read, response);
            }
            for (JsonNode result : response.list("results", "HubSpot", "POST " + read)) {
                for (String key : lookup.wantedIn(result.path("properties").path("hs_task_body").asText(""))) {
                    found.put(key, result.path("id").asText());
                }
            }
        }
        return found;
    }

    @Override
    public void close() {
        client.close();
    }
}
