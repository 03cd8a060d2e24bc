package io.leadsync.sandbox.hubspot.internal;

import java.util.List;
import java.util.Map;

/** The properties each object type starts with, as in a new HubSpot portal; custom ones must be created. */
final class BuiltInProperties {
    private BuiltInProperties() {
    }

    static void register(Map<String, Map<String, PropertyDefinition>> properties) {
        List<PropertyDefinition> contacts = List.of(
                PropertyDefinition.string("email"), PropertyDefinition.string("firstname"),
                PropertyDefinition.string("lastname"), PropertyDefinition.string("jobtitle"),
                PropertyDefinition.string("company"), PropertyDefinition.string("website"),
                PropertyDefinition.string("phone"), PropertyDefinition.string("mobilephone"),
                PropertyDefinition.string("country"), PropertyDefinition.string("city"),
                PropertyDefinition.string("state"), PropertyDefinition.string("address"),
                PropertyDefinition.string("zip"), PropertyDefinition.string("date_of_birth"),
                PropertyDefinition.enumeration("industry", Industries.ALL),
                PropertyDefinition.number("numberofemployees"), PropertyDefinition.number("annualrevenue"),
                PropertyDefinition.enumeration("lifecyclestage", List.of("subscriber", "lead", "marketingqualifiedlead",
                        "salesqualifiedlead", "opportunity", "customer", "evangelist", "other")),
                PropertyDefinition.enumeration("hs_lead_status", List.of("NEW", "OPEN", "IN_PROGRESS",
                        "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING")),
                PropertyDefinition.string("hubspot_owner_id"),
                PropertyDefinition.datetime("createdate", false), PropertyDefinition.datetime("lastmodifieddate", true),
                PropertyDefinition.readOnly("hs_object_id"), PropertyDefinition.readOnly("hs_merged_object_ids"),
                PropertyDefinition.bool("hs_email_optout"), PropertyDefinition.number("hs_email_bounce"),
                PropertyDefinition.number("hs_analytics_num_page_views"),
                PropertyDefinition.number("hs_analytics_num_visits"),
                PropertyDefinition.string("hs_analytics_source"),
                PropertyDefinition.number("num_conversion_events"),
                PropertyDefinition.string("recent_conversion_event_name"),
                PropertyDefinition.datetime("recent_conversion_date", false),
                PropertyDefinition.string("first_conversion_event_name"),
                PropertyDefinition.datetime("first_conversion_date", false),
                PropertyDefinition.number("hs_email_open"), PropertyDefinition.number("hs_email_click"),
                PropertyDefinition.number("hs_email_replied"),
                PropertyDefinition.string("salesforceleadid"), PropertyDefinition.string("salesforcecontactid"),
                PropertyDefinition.datetime("hs_lifecyclestage_customer_date", false),
                // a custom property an admin created for reps' verdicts on leads
                PropertyDefinition.enumeration("lead_quality", List.of("good", "bad")));
        List<PropertyDefinition> engagement = List.of(
                PropertyDefinition.datetime("hs_timestamp", false), PropertyDefinition.datetime("hs_createdate", true),
                PropertyDefinition.datetime("hs_lastmodifieddate", true), PropertyDefinition.readOnly("hs_object_id"),
                PropertyDefinition.string("hubspot_owner_id"));
        contacts.forEach(p -> properties.get("contacts").put(p.name(), p));
        for (String type : List.of("emails", "meetings", "calls", "notes", "tasks")) {
            engagement.forEach(p -> properties.get(type).put(p.name(), p));
        }
        List.of(PropertyDefinition.enumeration("hs_email_direction", List.of("EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL")),
                PropertyDefinition.enumeration("hs_email_status", List.of("BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT")),
                PropertyDefinition.string("hs_email_subject"), PropertyDefinition.string("hs_email_text"))
                .forEach(p -> properties.get("emails").put(p.name(), p));
        List.of(PropertyDefinition.string("hs_meeting_title"), PropertyDefinition.datetime("hs_meeting_start_time", false),
                PropertyDefinition.datetime("hs_meeting_end_time", false),
                PropertyDefinition.enumeration("hs_meeting_outcome", List.of("SCHEDULED", "COMPLETED", "RESCHEDULED",
                        "NO_SHOW", "CANCELED")))
                .forEach(p -> properties.get("meetings").put(p.name(), p));
        List.of(PropertyDefinition.string("hs_call_title"), PropertyDefinition.string("hs_call_body"),
                PropertyDefinition.enumeration("hs_call_direction", List.of("INBOUND", "OUTBOUND")),
                PropertyDefinition.string("hs_call_disposition"), PropertyDefinition.number("hs_call_duration"))
                .forEach(p -> properties.get("calls").put(p.name(), p));
        properties.get("notes").put("hs_note_body", PropertyDefinition.string("hs_note_body"));
        List.of(PropertyDefinition.string("hs_task_subject"), PropertyDefinition.string("hs_task_body"),
                PropertyDefinition.enumeration("hs_task_status", List.of("NOT_STARTED", "IN_PROGRESS", "WAITING",
                        "COMPLETED", "DEFERRED")),
                PropertyDefinition.enumeration("hs_task_priority", List.of("LOW", "MEDIUM", "HIGH", "NONE")),
                PropertyDefinition.enumeration("hs_task_type", List.of("TODO", "CALL", "EMAIL")))
                .forEach(p -> properties.get("tasks").put(p.name(), p));
    }
}
