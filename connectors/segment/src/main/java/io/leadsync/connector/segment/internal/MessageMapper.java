package io.leadsync.connector.segment.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.connector.Activity;
import io.leadsync.connector.Change;
import io.leadsync.connector.EventTypeMapping;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.PersonRef;
import io.leadsync.connector.ReceivedChanges;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One Segment message to a change carrying its record: {@code track} to an {@link Activity}, {@code identify} to a
 * {@link Person}. Field names are Segment's (HTTP Tracking API spec); a problem throws
 * {@link IllegalArgumentException} whose message starts with the field at fault.
 */
public final class MessageMapper {
    /** Traits read into the person's canonical fields, not kept again as attributes. */
    private static final Set<String> CANONICAL_TRAITS = Set.of("email", "firstName", "first_name", "lastName",
            "last_name", "name", "title", "company", "phone", "address", "website", "domain", "id");

    private final String source;
    private final List<String> streams;
    private final EventTypeMapping events;
    private final Clock clock;

    public MessageMapper(String source, List<String> streams, EventTypeMapping events, Clock clock) {
        this.source = source;
        this.streams = List.copyOf(streams);
        this.events = events;
        this.clock = clock;
    }

    /** The change of one message, or empty for a call or event the intake does not take. */
    public Optional<Change> map(String type, JsonNode message) {
        return switch (type) {
            case "track" -> streams.contains("events") ? track(message) : Optional.empty();
            case "identify" -> streams.contains("persons") ? Optional.of(identify(message)) : Optional.empty();
            case "page", "screen", "group", "alias" -> Optional.empty();
            case "" -> throw new IllegalArgumentException("type: missing (track, identify, page, screen, group or alias)");
            default -> throw new IllegalArgumentException("type: '" + abbreviate(type) + "' is not a Segment call");
        };
    }

    private Optional<Change> track(JsonNode message) {
        String event = text(message, "event");
        if (event == null) {
            throw new IllegalArgumentException("event: missing (a track call names its event)");
        }
        String person = personId(message);
        Instant occurred = timestamp(message);
        Optional<String> type = events.typeOf(event);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        String messageId = messageId(message, "track|" + event + "|" + person + "|" + occurred.toEpochMilli());
        JsonNode properties = message.path("properties");
        JsonNode context = message.path("context");
        String email = first(text(properties, "email"), text(context.path("traits"), "email"));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("event", event);
        details.put("page_url", first(text(context.path("page"), "url"), text(properties, "url")));
        details.put("campaign", first(text(context.path("campaign"), "name"), text(properties, "utm_campaign")));
        details.put("library", text(context.path("library"), "name"));
        StreamId stream = new StreamId(source, "events");
        Activity activity = new Activity(new ExternalId(source, messageId), type.get(), occurred,
                new PersonRef(new ExternalId(source, person), email), details);
        return Optional.of(Change.carrying(messageId, SourceRecord.of(stream, activity, occurred, message.toString())));
    }

    private Change identify(JsonNode message) {
        String person = personId(message);
        Instant occurred = timestamp(message);
        String messageId = messageId(message, "identify|" + person + "|" + occurred.toEpochMilli());
        JsonNode traits = message.path("traits");
        if (traits.isMissingNode() || traits.isNull()) {
            traits = message.path("context").path("traits");
        }
        if (!traits.isObject() && !traits.isMissingNode()) {
            throw new IllegalArgumentException("traits: must be an object");
        }
        String first = first(text(traits, "firstName"), text(traits, "first_name"));
        String last = first(text(traits, "lastName"), text(traits, "last_name"));
        String name = text(traits, "name");
        if (first == null && last == null && name != null) {
            int space = name.lastIndexOf(' ');
            first = space < 0 ? name : name.substring(0, space).strip();
            last = space < 0 ? null : name.substring(space + 1).strip();
        }
        JsonNode company = traits.path("company");
        JsonNode address = traits.path("address");
        Map<String, String> attributes = new LinkedHashMap<>();
        traits.fields().forEachRemaining(field -> {
            if (!CANONICAL_TRAITS.contains(field.getKey()) && field.getValue().isValueNode()
                    && !field.getValue().isNull()) {
                attributes.put(field.getKey(), field.getValue().asText());
            }
        });
        if (company.isObject()) {
            putIfPresent(attributes, "industry", text(company, "industry"));
            putIfPresent(attributes, "employees", text(company, "employee_count"));
            putIfPresent(attributes, "plan", text(company, "plan"));
        }
        String anonymousId = text(message, "anonymousId");
        Set<ExternalId> linked = anonymousId != null && !anonymousId.equals(person)
                ? Set.of(new ExternalId(source, anonymousId)) : Set.of();
        Person value = Person.builder(new ExternalId(source, person), occurred)
                .email(text(traits, "email"))
                .firstName(first)
                .lastName(last)
                .title(text(traits, "title"))
                .company(company.isObject() ? text(company, "name") : text(traits, "company"))
                .domain(first(text(traits, "domain"), domainOf(first(text(traits, "website"),
                        company.isObject() ? text(company, "website") : null))))
                .phone(text(traits, "phone"))
                .address(address.isObject() ? text(address, "street") : null)
                .city(address.isObject() ? text(address, "city") : null)
                .postalCode(address.isObject() ? first(text(address, "postalCode"), text(address, "postal_code")) : null)
                .country(address.isObject() ? text(address, "country") : null)
                .linkedIds(linked)
                .attributes(attributes)
                .build();
        StreamId stream = new StreamId(source, "persons");
        return Change.carrying(messageId, SourceRecord.of(stream, value, occurred, message.toString()));
    }

    /** The person a message is about: its {@code userId}, else its {@code anonymousId}. */
    private static String personId(JsonNode message) {
        String id = first(text(message, "userId"), text(message, "anonymousId"));
        if (id == null) {
            throw new IllegalArgumentException("userId or anonymousId: one is required");
        }
        return id;
    }

    /** When it happened: {@code timestamp}, else {@code originalTimestamp}, else now (Segment's receivedAt). */
    private Instant timestamp(JsonNode message) {
        for (String field : List.of("timestamp", "originalTimestamp")) {
            String text = text(message, field);
            if (text != null) {
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(field + ": '" + abbreviate(text) + "' is not an ISO-8601 date"
                            + " and time with an offset (2026-12-05T10:15:30.000Z)");
                }
            }
        }
        return clock.instant();
    }

    /** The {@code messageId}, or one derived from the message's content, so a resent message keeps its id. */
    private static String messageId(JsonNode message, String content) {
        String id = text(message, "messageId");
        return id != null ? id : ReceivedChanges.derivedId(content);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isContainerNode()) {
            throw new IllegalArgumentException(field + ": expected a value but got "
                    + (value.isObject() ? "an object" : "an array"));
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String domainOf(String website) {
        if (website == null) {
            return null;
        }
        String host = website.replaceFirst("^[a-zA-Z]+://", "").replaceFirst("[/?#].*$", "").replaceFirst("^www\\.", "");
        return host.isBlank() ? null : host.toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
