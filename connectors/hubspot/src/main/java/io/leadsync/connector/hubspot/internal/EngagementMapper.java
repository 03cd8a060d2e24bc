package io.leadsync.connector.hubspot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.connector.Activity;
import io.leadsync.connector.ActivityTypes;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.PersonRef;
import io.leadsync.connector.RejectedRecord;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps HubSpot engagements (emails, meetings, calls) to canonical activities, one per associated contact.
 * An activity's id is {@code <engagementId>/<contactId>}.
 */
public final class EngagementMapper {
    /** Properties read per engagement type. */
    public static final Map<String, List<String>> PROPERTIES = Map.of(
            "emails", List.of("hs_timestamp", "hs_email_direction", "hs_email_status", "hs_email_subject",
                    "hs_lastmodifieddate"),
            "meetings", List.of("hs_timestamp", "hs_meeting_title", "hs_meeting_start_time", "hs_meeting_outcome",
                    "hs_lastmodifieddate"),
            "calls", List.of("hs_timestamp", "hs_call_title", "hs_call_direction", "hs_call_disposition",
                    "hs_call_duration", "hs_lastmodifieddate"));

    private final String source;

    public EngagementMapper(String source) {
        this.source = source;
    }

    /**
     * @param contactIds the contacts the engagement is associated with
     * @return {@link SourceRecord}s (one per contact) or one {@link RejectedRecord}
     */
    public List<Object> map(JsonNode result, StreamId stream, List<String> contactIds) {
        String raw = result.toString();
        String id = result.path("id").asText("");
        if (id.isBlank()) {
            return List.of(new RejectedRecord(stream, null, raw, "id: missing"));
        }
        try {
            JsonNode properties = Json.properties(result);
            Instant modified = Json.modified(result, properties, "hs_lastmodifieddate");
            boolean archived = result.path("archived").asBoolean(false);
            Instant occurred = occurredAt(stream.stream(), properties);
            String type = type(stream.stream(), properties);
            Map<String, String> details = details(stream.stream(), properties);
            List<Object> records = new ArrayList<>(contactIds.size());
            for (String contactId : contactIds) {
                ExternalId activityId = new ExternalId(source, id + "/" + contactId);
                if (archived) {
                    records.add(SourceRecord.deleted(stream, activityId, modified, raw));
                } else {
                    Activity activity = new Activity(activityId, type, occurred,
                            PersonRef.of(new ExternalId(source, contactId)), details);
                    records.add(SourceRecord.of(stream, activity, modified, raw));
                }
            }
            return records;
        } catch (Json.FieldProblem e) {
            return List.of(new RejectedRecord(stream, id, raw, e.getMessage()));
        }
    }

    private static Instant occurredAt(String stream, JsonNode properties) {
        Instant start = "meetings".equals(stream)
                ? Json.instant(properties.get("hs_meeting_start_time"), "properties.hs_meeting_start_time") : null;
        Instant timestamp = start != null ? start : Json.instant(properties.get("hs_timestamp"), "properties.hs_timestamp");
        if (timestamp == null) {
            throw new Json.FieldProblem("properties.hs_timestamp", "missing: an engagement needs the time it happened");
        }
        return timestamp;
    }

    private static String type(String stream, JsonNode properties) {
        switch (stream) {
            case "emails": {
                String status = Json.text(properties, "hs_email_status");
                if ("BOUNCED".equalsIgnoreCase(status)) {
                    return ActivityTypes.EMAIL_BOUNCE;
                }
                String direction = Json.text(properties, "hs_email_direction");
                return "INCOMING_EMAIL".equalsIgnoreCase(direction) ? ActivityTypes.EMAIL_REPLY : ActivityTypes.EMAIL_SENT;
            }
            case "meetings":
                return ActivityTypes.MEETING;
            case "calls":
                return ActivityTypes.CALL;
            default:
                throw new IllegalArgumentException("not an engagement stream: " + stream);
        }
    }

    private static Map<String, String> details(String stream, JsonNode properties) {
        Map<String, String> details = new LinkedHashMap<>();
        switch (stream) {
            case "emails" -> {
                details.put("subject", Json.text(properties, "hs_email_subject"));
                details.put("direction", Json.text(properties, "hs_email_direction"));
                details.put("status", Json.text(properties, "hs_email_status"));
            }
            case "meetings" -> {
                details.put("title", Json.text(properties, "hs_meeting_title"));
                details.put("outcome", Json.text(properties, "hs_meeting_outcome"));
            }
            case "calls" -> {
                details.put("title", Json.text(properties, "hs_call_title"));
                details.put("direction", Json.text(properties, "hs_call_direction"));
                details.put("disposition", Json.text(properties, "hs_call_disposition"));
                details.put("duration_ms", Json.text(properties, "hs_call_duration"));
            }
            default -> {
            }
        }
        return details;
    }
}
