package io.leadsync.connector.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.connector.Activity;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.PersonRef;
import io.leadsync.connector.RejectedRecord;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Maps one API record to a canonical person or activity as the manifest's field pointers say. */
final class RecordMapper {
    private final String source;
    private final Manifest.Stream stream;

    RecordMapper(String source, Manifest.Stream stream) {
        this.source = source;
        this.stream = stream;
    }

    /** A problem with one field of a record; the message names the field and pointer. */
    static final class FieldProblem extends RuntimeException {
        FieldProblem(String message) {
            super(message, null, false, false);
        }
    }

    /** The record's modification time as the manifest's incremental field gives it, or null. */
    Instant modified(JsonNode record) {
        Manifest.Incremental incremental = stream.incremental();
        if (incremental == null) {
            return null;
        }
        String text = text(record, incremental.field(), "incremental field");
        Instant time = incremental.format().parse(text);
        if (time == null) {
            throw new FieldProblem("incremental field " + incremental.field() + ": "
                    + (text == null ? "missing" : "'" + text + "' is not a " + incremental.format() + " time"));
        }
        return time;
    }

    /** A {@link SourceRecord} or a {@link RejectedRecord}. */
    Object map(JsonNode record, StreamId streamId, Instant readAt) {
        String raw = record.toString();
        String id;
        try {
            id = text(record, stream.id(), "id");
        } catch (FieldProblem e) {
            return new RejectedRecord(streamId, null, raw, e.getMessage());
        }
        if (id == null) {
            return new RejectedRecord(streamId, null, raw, "id: nothing at " + stream.id());
        }
        try {
            Instant modified = modified(record);
            ExternalId externalId = new ExternalId(source, id);
            Manifest.Fields fields = stream.fields();
            if (stream.kind() == Manifest.Kind.PERSON) {
                Instant updated = modified != null ? modified : readAt;
                Person person = Person.builder(externalId, updated)
                        .email(field(record, fields.person(), "email"))
                        .firstName(field(record, fields.person(), "first-name"))
                        .lastName(field(record, fields.person(), "last-name"))
                        .title(field(record, fields.person(), "title"))
                        .company(field(record, fields.person(), "company"))
                        .domain(field(record, fields.person(), "domain"))
                        .country(field(record, fields.person(), "country"))
                        .phone(field(record, fields.person(), "phone"))
                        .address(field(record, fields.person(), "address"))
                        .city(field(record, fields.person(), "city"))
                        .postalCode(field(record, fields.person(), "postal-code"))
                        .dateOfBirth(field(record, fields.person(), "date-of-birth"))
                        .ownerId(field(record, fields.person(), "owner-id"))
                        .attributes(values(record, fields.attributes()))
                        .linkedIds(linkedIds(record, fields.linkedIds()))
                        .build();
                return SourceRecord.of(streamId, person, updated, raw);
            }
            String occurredText = text(record, fields.occurredAt(), "occurred-at");
            Instant occurred = fields.occurredAtFormat().parse(occurredText);
            if (occurred == null) {
                throw new FieldProblem("occurred-at " + fields.occurredAt() + ": " + (occurredText == null ? "missing"
                        : "'" + occurredText + "' is not a " + fields.occurredAtFormat() + " time"));
            }
            String email = fields.personEmail() == null ? null : text(record, fields.personEmail(), "person-email");
            String personId = fields.personId() == null ? null : text(record, fields.personId(), "person-id");
            if (email == null && personId == null) {
                throw new FieldProblem("person: neither " + fields.personEmail() + " nor " + fields.personId()
                        + " has a value");
            }
            Activity activity = new Activity(externalId, type(record, fields.activityType()), occurred,
                    new PersonRef(personId == null ? null : new ExternalId(source, personId), email),
                    values(record, fields.properties()));
            return SourceRecord.of(streamId, activity, modified != null ? modified : occurred, raw);
        } catch (FieldProblem e) {
            return new RejectedRecord(streamId, id, raw, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new RejectedRecord(streamId, id, raw, "invalid record: " + e.getMessage());
        }
    }

    private String type(JsonNode record, Manifest.ActivityType type) {
        if (type.constant() != null) {
            return type.constant();
        }
        String value = text(record, type.pointer(), "type");
        String mapped = value == null ? null : type.map().get(value);
        if (mapped == null && value != null) {
            for (Map.Entry<String, String> entry : type.map().entrySet()) {
                if (entry.getKey().equalsIgnoreCase(value)) {
                    mapped = entry.getValue();
                }
            }
        }
        if (mapped == null) {
            mapped = type.otherwise();
        }
        if (mapped == null) {
            throw new FieldProblem("type " + type.pointer() + ": '" + value + "' is not mapped to an activity type and"
                    + " there is no default");
        }
        return mapped;
    }

    private static String field(JsonNode record, Map<String, String> pointers, String name) {
        String pointer = pointers.get(name);
        return pointer == null ? null : text(record, pointer, name);
    }

    private static Map<String, String> values(JsonNode record, Map<String, String> pointers) {
        Map<String, String> values = new LinkedHashMap<>();
        pointers.forEach((name, pointer) -> values.put(name, text(record, pointer, name)));
        return values;
    }

    private static Set<ExternalId> linkedIds(JsonNode record, Map<String, String> pointers) {
        Set<ExternalId> ids = new LinkedHashSet<>();
        pointers.forEach((otherSource, pointer) -> {
            String value = text(record, pointer, "linked-ids." + otherSource);
            if (value != null) {
                ids.add(new ExternalId(otherSource, value));
            }
        });
        return ids;
    }

    /** The text at a pointer; null when absent, null or blank; a problem when it is an object or a list. */
    static String text(JsonNode record, String pointer, String name) {
        JsonNode node = record.at(pointer);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isContainerNode()) {
            throw new FieldProblem(name + ": " + pointer + " points to " + (node.isArray() ? "a list" : "an object")
                    + ", expected a value");
        }
        String text = node.asText().strip();
        return text.isEmpty() ? null : text;
    }
}
