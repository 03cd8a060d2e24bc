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
 * in halves until the bad records are isolated: one bad record never fails the others. Tasks are created one per
 * call (they are rare, and a per-call answer maps exactly to its task) with the 204 task-to-contact association.
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

    @Override
    public List<RecordResult> createTasks(List<FollowUpTask> tasks) {
        if (!write.tasks().enabled()) {
            throw new UnsupportedOperationException("tasks are disabled for " + settings.name()
                    + " (write.tasks.enabled: false)");
        }
        List<RecordResult> results = new ArrayList<>(tasks.size());
        for (FollowUpTask task : tasks) {
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
            Map<String, Object> association = Map.of("to", Map.of("id", task.person().id()),
                    "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", 204)));
            ApiResponse response = client.post("/crm/v3/objects/tasks",
                    Map.of("properties", properties, "associations", List.of(association)));
            if (response.isSuccess()) {
                results.add(RecordResult.created(task.person(), response.body().path("id").asText()));
            } else if (response.status() == 400 || response.status() == 404) {
                results.add(RecordResult.failed(task.person(), response.category(), response.message()));
            } else {
                throw new ApiException("HubSpot", "POST /crm/v3/objects/tasks", response);
            }
        }
        return results;
    }

    @Override
    public void close() {
        client.close();
    }
}
