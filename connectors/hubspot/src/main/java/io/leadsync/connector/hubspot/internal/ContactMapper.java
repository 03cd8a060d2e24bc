package io.leadsync.connector.hubspot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.RejectedRecord;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Maps a HubSpot contact (v3 object) to a canonical {@link Person}, or says which field is wrong. */
public final class ContactMapper {
    /** Contact properties read by default. */
    public static final List<String> DEFAULT_PROPERTIES = List.of("email", "firstname", "lastname", "jobtitle",
            "company", "website", "country", "phone", "mobilephone", "address", "city", "zip", "date_of_birth",
            "hubspot_owner_id", "industry",
            "numberofemployees", "annualrevenue", "lifecyclestage", "hs_lead_status", "hs_analytics_num_page_views",
            "hs_analytics_num_visits", "hs_analytics_source", "num_conversion_events", "recent_conversion_event_name",
            "recent_conversion_date", "first_conversion_event_name", "first_conversion_date", "hs_email_optout", "hs_email_bounce", "hs_merged_object_ids", "createdate",
            "lastmodifieddate");

    /** Properties that become canonical fields, or carry no information of their own. */
    private static final Set<String> NOT_ATTRIBUTES = Set.of("email", "firstname", "lastname", "jobtitle", "company",
            "website", "country", "phone", "mobilephone", "address", "city", "zip", "date_of_birth", "hubspot_owner_id",
            "hs_object_id", "lastmodifieddate", "hs_merged_object_ids");

    private final String source;
    private final Map<String, String> linkedIdProperties;

    public ContactMapper(String source, Map<String, String> linkedIdProperties) {
        this.source = source;
        this.linkedIdProperties = linkedIdProperties;
    }

    /**
     * The records a contact gives: the contact (a {@link SourceRecord}, deleted when archived) or a
     * {@link RejectedRecord}, followed by a deleted record for each contact merged into it: a merged-away contact
     * disappears from HubSpot, and must leave its profile rather than be scored forever.
     */
    public List<Object> mapAll(JsonNode result, StreamId stream) {
        Object contact = map(result, stream);
        if (!(contact instanceof SourceRecord record) || record.deleted()) {
            return List.of(contact);
        }
        List<Object> records = new ArrayList<>();
        records.add(record);
        for (ExternalId linked : ((Person) record.value()).linkedIds()) {
            if (linked.source().equals(source) && mergedIds(result).contains(linked.id())) {
                records.add(SourceRecord.deleted(stream, linked, record.modifiedAt(), result.toString()));
            }
        }
        return records;
    }

    private static java.util.Set<String> mergedIds(JsonNode result) {
        String merged = result.path("properties").path("hs_merged_object_ids").asText("");
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (String id : merged.split(";")) {
            if (!id.isBlank()) {
                ids.add(id.strip());
            }
        }
        return ids;
    }

    /** A {@link SourceRecord} or a {@link RejectedRecord}. */
    public Object map(JsonNode result, StreamId stream) {
        String raw = result.toString();
        JsonNode idNode = result.get("id");
        String id = idNode == null || idNode.isNull() || idNode.asText().isBlank() ? null : idNode.asText();
        if (id == null) {
            return new RejectedRecord(stream, null, raw, "id: missing");
        }
        try {
            JsonNode properties = Json.properties(result);
            Instant modified = Json.modified(result, properties, "lastmodifieddate");
            ExternalId externalId = new ExternalId(source, id);
            if (result.path("archived").asBoolean(false)) {
                return SourceRecord.deleted(stream, externalId, modified, raw);
            }
            Person person = Person.builder(externalId, modified)
                    .email(Json.text(properties, "email"))
                    .firstName(Json.text(properties, "firstname"))
                    .lastName(Json.text(properties, "lastname"))
                    .title(Json.text(properties, "jobtitle"))
                    .company(Json.text(properties, "company"))
                    .domain(domainOf(Json.text(properties, "website")))
                    .country(Json.text(properties, "country"))
                    .phone(firstNonNull(Json.text(properties, "phone"), Json.text(properties, "mobilephone")))
                    .address(Json.text(properties, "address"))
                    .city(Json.text(properties, "city"))
                    .postalCode(Json.text(properties, "zip"))
                    .dateOfBirth(Json.text(properties, "date_of_birth"))
                    .ownerId(Json.text(properties, "hubspot_owner_id"))
                    .linkedIds(linkedIds(properties))
                    .attributes(attributes(properties))
                    .build();
            return SourceRecord.of(stream, person, modified, raw);
        } catch (Json.FieldProblem e) {
            return new RejectedRecord(stream, id, raw, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new RejectedRecord(stream, id, raw, "invalid contact: " + e.getMessage());
        }
    }

    private Set<ExternalId> linkedIds(JsonNode properties) {
        Set<ExternalId> ids = new LinkedHashSet<>();
        String merged = Json.text(properties, "hs_merged_object_ids");
        if (merged != null) {
            for (String mergedId : merged.split(";")) {
                if (!mergedId.isBlank()) {
                    ids.add(new ExternalId(source, mergedId.strip()));
                }
            }
        }
        linkedIdProperties.forEach((property, otherSource) -> {
            String value = Json.text(properties, property);
            if (value != null) {
                for (String otherId : value.split(";")) {
                    if (!otherId.isBlank()) {
                        ids.add(new ExternalId(otherSource, otherId.strip()));
                    }
                }
            }
        });
        return ids;
    }

    private Map<String, String> attributes(JsonNode properties) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Iterator<String> names = properties.fieldNames();
        List<String> sorted = new ArrayList<>();
        names.forEachRemaining(sorted::add);
        sorted.sort(null);
        for (String name : sorted) {
            if (!NOT_ATTRIBUTES.contains(name) && !linkedIdProperties.containsKey(name)) {
                String value = Json.text(properties, name);
                if (value != null) {
                    attributes.put(name, value);
                }
            }
        }
        return attributes;
    }

    /** {@code https://www.Acme.de/about} to {@code acme.de}; null when there is no usable host. */
    static String domainOf(String website) {
        if (website == null) {
            return null;
        }
        String text = website.strip();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        try {
            String host = URI.create(text).getHost();
            if (host == null || !host.contains(".")) {
                return null;
            }
            host = host.toLowerCase(Locale.ROOT);
            return host.startsWith("www.") ? host.substring(4) : host;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
