package io.leadsync.routes.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.FollowUpTask;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** A follow-up task as the outbox keeps it (JSON), so a retry sends exactly what the first attempt sent. */
final class TaskPayload {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskPayload() {
    }

    static String write(FollowUpTask task) {
        ObjectNode node = JSON.createObjectNode();
        node.put("source", task.person().source());
        node.put("record", task.person().id());
        node.put("subject", task.subject());
        node.put("body", task.body());
        node.put("priority", task.priority().name());
        node.put("dueAt", task.dueAt().toString());
        node.put("ownerId", task.ownerId());
        node.put("key", task.key());
        return node.toString();
    }

    static FollowUpTask read(String payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            return new FollowUpTask(new ExternalId(node.path("source").asText(), node.path("record").asText()),
                    node.path("subject").asText(), node.path("body").asText(),
                    FollowUpTask.Priority.valueOf(node.path("priority").asText()),
                    Instant.parse(node.path("dueAt").asText()),
                    node.path("ownerId").isNull() ? null : node.path("ownerId").asText(null),
                    node.path("key").isNull() ? null : node.path("key").asText(null));
        } catch (IOException e) {
            throw new UncheckedIOException("a task in the outbox is not readable: " + payload, e);
        }
    }
}
