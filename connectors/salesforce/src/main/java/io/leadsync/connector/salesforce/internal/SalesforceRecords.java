package io.leadsync.connector.salesforce.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.Activity;
import io.leadsync.connector.ActivityTypes;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.PersonRef;
import io.leadsync.connector.RejectedRecord;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.salesforce.SalesforceSettings;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What each stream selects from Salesforce and how a record maps to the canonical model. A record arrives as a
 * flat map of field paths to text ({@code Account.Name} for a relationship field), whether it came from a REST
 * query (JSON) or a Bulk API 2.0 result (CSV), so both paths map alike.
 */
public final class SalesforceRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SALESFORCE_DATETIME = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd'T'HH:mm:ss[.SSS]XX");
    /** SOQL datetime literals: UTC with milliseconds, as SystemModstamp is kept. */
    private static final DateTimeFormatter SOQL_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The streams Change Data Capture covers, by the object whose change events they follow. */
    public static final Map<String, String> CHANGE_EVENT_OBJECTS = Map.of("Lead", SalesforceSettings.LEADS,
            "Contact", SalesforceSettings.CONTACTS, "Task", SalesforceSettings.TASKS, "Event", SalesforceSettings.EVENTS);
    public static final List<String> CHANGE_EVENT_STREAMS = List.of(SalesforceSettings.LEADS,
            SalesforceSettings.CONTACTS, SalesforceSettings.TASKS, SalesforceSettings.EVENTS);

    /** Fields every incremental read needs. */
    static final List<String> SYSTEM = List.of("Id", "SystemModstamp");
    static final List<String> LEAD = List.of("IsDeleted", "MasterRecordId", "FirstName", "LastName", "Email", "Title",
            "Company", "Website", "Country", "Phone", "Street", "City", "PostalCode", "OwnerId", "Industry",
            "NumberOfEmployees", "AnnualRevenue", "Status", "LeadSource", "IsConverted");
    static final List<String> CONTACT = List.of("IsDeleted", "MasterRecordId", "FirstName", "LastName", "Email",
            "Title", "Phone", "MailingCountry", "MailingStreet", "MailingCity", "MailingPostalCode", "Birthdate",
            "OwnerId", "LeadSource", "AccountId", "Account.Name",
            "Account.Industry", "Account.NumberOfEmployees", "Account.AnnualRevenue", "Account.BillingCountry",
            "Account.Website");
    static final List<String> TASK = List.of("IsDeleted", "WhoId", "Subject", "Type", "TaskSubtype", "Status", "ActivityDate",
            "CreatedDate");
    static final List<String> EVENT = List.of("IsDeleted", "WhoId", "Subject", "Type", "StartDateTime", "ActivityDate",
            "CreatedDate");
    static final List<String> CAMPAIGN_MEMBER = List.of("IsDeleted", "LeadId", "ContactId", "Status", "HasResponded",
            "CreatedDate", "Campaign.Name", "Campaign.Type");
    static final List<String> OPPORTUNITY = List.of("IsDeleted", "ContactId", "StageName", "IsWon", "CloseDate", "Amount");
    /** Attribute names shared with the other CRM connectors, so one scoring model reads both. */
    private static final Map<String, String> ATTRIBUTES = Map.of("Industry", "industry", "NumberOfEmployees",
            "numberofemployees", "AnnualRevenue", "annualrevenue", "Status", "lead_status", "LeadSource",
            "lead_source");

    /** One stream: its object, the fields it selects, a fixed filter, and whether deletions are read. */
    public record StreamQuery(String stream, String object, List<String> fields, String filter, boolean person) {
        /** {@code SELECT COUNT() FROM object WHERE filter AND extra}: the number of matching live records. */
        public String countSoql(String extraCondition) {
            List<String> conditions = new ArrayList<>();
            if (filter != null) {
                conditions.add(filter);
            }
            conditions.add(extraCondition);
            return "SELECT COUNT() FROM " + object + " WHERE " + String.join(" AND ", conditions);
        }

        /** {@code SELECT ... FROM object [WHERE filter AND extra] [ORDER BY SystemModstamp, Id]}. */
        public String soql(String extraCondition, boolean ordered) {
            StringBuilder soql = new StringBuilder("SELECT ").append(String.join(", ", fields)).append(" FROM ")
                    .append(object);
            List<String> conditions = new ArrayList<>();
            if (filter != null) {
                conditions.add(filter);
            }
            if (extraCondition != null) {
                conditions.add(extraCondition);
            }
            if (!conditions.isEmpty()) {
                soql.append(" WHERE ").append(String.join(" AND ", conditions));
            }
            if (ordered) {
                soql.append(" ORDER BY SystemModstamp ASC, Id ASC");
            }
            return soql.toString();
        }
    }

    private final String source;
    private final Map<String, StreamQuery> queries = new LinkedHashMap<>();

    public SalesforceRecords(String source, SalesforceSettings.Read read) {
        this.source = source;
        add(SalesforceSettings.LEADS, "Lead", LEAD, read.leadFields(), null, true);
        add(SalesforceSettings.CONTACTS, "Contact", CONTACT, read.contactFields(), null, true);
        // completed tasks are things that happened (a logged call, a sent email); open ones are to-dos, among them
        // the follow-up tasks leadsync itself creates
        add(SalesforceSettings.TASKS, "Task", TASK, List.of(), "WhoId != null AND Status = 'Completed'", false);
        add(SalesforceSettings.EVENTS, "Event", EVENT, List.of(), "WhoId != null", false);
        add(SalesforceSettings.CAMPAIGN_MEMBERS, "CampaignMember", CAMPAIGN_MEMBER, List.of(), null, false);
        add(SalesforceSettings.OPPORTUNITIES, "Opportunity", OPPORTUNITY, List.of(),
                "IsClosed = true AND ContactId != null", false);
    }

    private void add(String stream, String object, List<String> defaults, List<String> extra, String filter,
                     boolean person) {
        Set<String> fields = new LinkedHashSet<>(SYSTEM);
        fields.addAll(defaults);
        fields.addAll(extra);
        queries.put(stream, new StreamQuery(stream, object, List.copyOf(fields), filter, person));
    }

    public StreamQuery query(String stream) {
        return queries.get(stream);
    }

    /** A SOQL datetime literal. */
    public static String literal(Instant instant) {
        return SOQL_DATETIME.format(instant);
    }

    /** A SOQL string literal. */
    public static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Flattens a REST record: {@code Account: {Name: x}} becomes {@code Account.Name = x}; nulls are left out. */
    public static Map<String, String> flatten(JsonNode record) {
        Map<String, String> values = new LinkedHashMap<>();
        flatten("", record, values);
        return values;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> values) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if ("attributes".equals(field.getKey()) || value.isNull() || value.isMissingNode()) {
                continue;
            }
            if (value.isObject()) {
                flatten(prefix + field.getKey() + ".", value, values);
            } else if (value.isNumber()) {
                values.put(prefix + field.getKey(), new BigDecimal(value.asText()).stripTrailingZeros().toPlainString());
            } else {
                values.put(prefix + field.getKey(), value.asText());
            }
        }
    }

    /** The record's position for incremental reads, or null if it has none. */
    public static Instant modstamp(Map<String, String> record) {
        return instantOrNull(record.get("SystemModstamp"));
    }

    /**
     * Maps one record: a {@link SourceRecord} (a deleted, merged or converted person becomes a deletion), or a
     * {@link RejectedRecord} that says which field was wrong.
     */
    public Object map(StreamId stream, Map<String, String> record) {
        String raw = raw(record);
        String id = record.get("Id");
        if (id == null || id.isBlank()) {
            return new RejectedRecord(stream, null, raw, stream.stream() + ": record without Id");
        }
        String stamp = record.get("SystemModstamp");
        Instant modified = instantOrNull(stamp);
        if (modified == null) {
            return new RejectedRecord(stream, id, raw, stream.stream() + " " + id + ": SystemModstamp '" + stamp
                    + "' is not a Salesforce datetime");
        }
        ExternalId externalId = new ExternalId(source, id);
        try {
            return switch (stream.stream()) {
                case SalesforceSettings.LEADS -> lead(stream, externalId, modified, record, raw);
                case SalesforceSettings.CONTACTS -> contact(stream, externalId, modified, record, raw);
                default -> activity(stream, externalId, modified, record, raw);
            };
        } catch (BadField e) {
            return new RejectedRecord(stream, id, raw, stream.stream() + " " + id + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return new RejectedRecord(stream, id, raw, stream.stream() + " " + id + ": " + e.getMessage());
        }
    }

    private Object lead(StreamId stream, ExternalId id, Instant modified, Map<String, String> r, String raw) {
        if (isTrue(r, "IsDeleted") || isTrue(r, "IsConverted")) {
            // a converted lead lives on as its contact; a deleted or merged one leaves its profile
            return SourceRecord.deleted(stream, id, modified, raw);
        }
        Map<String, String> attributes = attributes(r, LEAD);
        attributes.put("salesforce_object", "Lead");
        Person person = Person.builder(id, modified).email(email(r.get("Email"))).firstName(r.get("FirstName"))
                .lastName(r.get("LastName")).title(r.get("Title")).company(r.get("Company"))
                .domain(domain(r.get("Website"))).country(r.get("Country")).phone(r.get("Phone"))
                .address(r.get("Street")).city(r.get("City")).postalCode(r.get("PostalCode"))
                .ownerId(r.get("OwnerId")).attributes(attributes).build();
        return SourceRecord.of(stream, person, modified, raw);
    }

    private Object contact(StreamId stream, ExternalId id, Instant modified, Map<String, String> r, String raw) {
        if (isTrue(r, "IsDeleted")) {
            return SourceRecord.deleted(stream, id, modified, raw);
        }
        Map<String, String> attributes = attributes(r, CONTACT);
        for (String field : List.of("Industry", "NumberOfEmployees", "AnnualRevenue")) {
            String value = r.get("Account." + field);
            if (value != null) {
                attributes.put(ATTRIBUTES.get(field), value);
            }
        }
        attributes.put("salesforce_object", "Contact");
        if (r.get("AccountId") != null) {
            attributes.put("AccountId", r.get("AccountId"));
        }
        String country = r.get("MailingCountry") != null ? r.get("MailingCountry") : r.get("Account.BillingCountry");
        Person person = Person.builder(id, modified).email(email(r.get("Email"))).firstName(r.get("FirstName"))
                .lastName(r.get("LastName")).title(r.get("Title")).company(r.get("Account.Name"))
                .domain(domain(r.get("Account.Website"))).country(country).phone(r.get("Phone"))
                .address(r.get("MailingStreet")).city(r.get("MailingCity")).postalCode(r.get("MailingPostalCode"))
                .dateOfBirth(r.get("Birthdate"))
                .ownerId(r.get("OwnerId")).attributes(attributes).build();
        return SourceRecord.of(stream, person, modified, raw);
    }

    /** Standard fields under their shared names, every other selected field under its API name. */
    private static Map<String, String> attributes(Map<String, String> r, List<String> mapped) {
        Map<String, String> attributes = new LinkedHashMap<>();
        r.forEach((field, value) -> {
            if (ATTRIBUTES.containsKey(field)) {
                attributes.put(ATTRIBUTES.get(field), value);
            } else if (!mapped.contains(field) && !SYSTEM.contains(field)) {
                attributes.put(field, value);
            }
        });
        return attributes;
    }

    private Object activity(StreamId stream, ExternalId id, Instant modified, Map<String, String> r, String raw) {
        if (isTrue(r, "IsDeleted")) {
            // a deleted task, event, membership or deal no longer counts towards the score
            return SourceRecord.deleted(stream, id, modified, raw);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        String type;
        String who;
        Instant occurred;
        switch (stream.stream()) {
            case SalesforceSettings.TASKS -> {
                who = r.get("WhoId");
                type = taskType(r.get("TaskSubtype"), r.get("Type"));
                occurred = required(r, "CreatedDate");
                properties.put("subject", r.get("Subject"));
                properties.put("task_type", r.get("Type"));
            }
            case SalesforceSettings.EVENTS -> {
                who = r.get("WhoId");
                type = ActivityTypes.MEETING;
                Instant start = instantOrNull(r.get("StartDateTime"));
                occurred = start != null ? start : required(r, "CreatedDate");
                properties.put("subject", r.get("Subject"));
            }
            case SalesforceSettings.CAMPAIGN_MEMBERS -> {
                who = r.get("ContactId") != null ? r.get("ContactId") : r.get("LeadId");
                boolean responded = isTrue(r, "HasResponded");
                String campaignType = r.get("Campaign.Type");
                type = !responded ? "campaign_member"
                        : "Webinar".equalsIgnoreCase(campaignType) ? ActivityTypes.WEBINAR : "campaign_response";
                occurred = required(r, "CreatedDate");
                properties.put("campaign", r.get("Campaign.Name"));
                properties.put("campaign_type", campaignType);
                properties.put("member_status", r.get("Status"));
            }
            case SalesforceSettings.OPPORTUNITIES -> {
                who = r.get("ContactId");
                type = isTrue(r, "IsWon") ? "opportunity_won" : "opportunity_lost";
                occurred = required(r, "CloseDate");
                properties.put("stage", r.get("StageName"));
                properties.put("amount", r.get("Amount"));
            }
            default -> throw new IllegalArgumentException("unknown stream " + stream.stream());
        }
        if (who == null || who.isBlank()) {
            throw new BadField("no person (WhoId, LeadId or ContactId) to link it to");
        }
        return SourceRecord.of(stream, new Activity(id, type, occurred, PersonRef.of(new ExternalId(source, who)),
                properties), modified, raw);
    }

    private static String taskType(String subtype, String type) {
        String kind = subtype != null ? subtype : type;
        if (kind == null) {
            return "task_completed";
        }
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "call" -> ActivityTypes.CALL;
            case "email", "listemail", "list email" -> ActivityTypes.EMAIL_SENT;
            case "meeting" -> ActivityTypes.MEETING;
            default -> "task_completed";
        };
    }

    private static Instant required(Map<String, String> r, String field) {
        String text = r.get(field);
        Instant instant = instantOrNull(text);
        if (instant == null) {
            throw new BadField(field + " '" + text + "' is not a Salesforce date or datetime");
        }
        return instant;
    }

    /** Salesforce datetimes ({@code 2026-01-05T10:00:00.000+0000}, CSV's {@code ...Z}) and dates (start of day UTC). */
    public static Instant instantOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text, SALESFORCE_DATETIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private static boolean isTrue(Map<String, String> r, String field) {
        return "true".equalsIgnoreCase(r.get(field));
    }

    private static String email(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        if (!trimmed.contains("@")) {
            throw new BadField("Email '" + trimmed + "' is not an email address");
        }
        return trimmed;
    }

    /** {@code https://www.acme.com/about} gives {@code acme.com}. */
    static String domain(String website) {
        if (website == null || website.isBlank()) {
            return null;
        }
        String host = website.strip().toLowerCase(Locale.ROOT).replaceFirst("^[a-z]+://", "");
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        host = host.replaceFirst(":\\d+$", "");
        return host.startsWith("www.") ? host.substring(4) : host;
    }

    private static String raw(Map<String, String> record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (Exception e) {
            return record.toString();
        }
    }

    /** A field with a value the model cannot take. */
    private static final class BadField extends RuntimeException {
        BadField(String message) {
            super(message);
        }
    }
}
