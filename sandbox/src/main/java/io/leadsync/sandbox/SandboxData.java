package io.leadsync.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Generated CRM data: contacts with their HubSpot properties, engagements linked to contacts by index, and the
 * ground truth of planted duplicates.
 *
 * @param contacts   contacts in creation order
 * @param engagements emails, meetings and calls, each linked to one contact by its index in {@code contacts}
 * @param duplicates index of a planted duplicate to the index of the contact it duplicates
 * @param forms      marketing forms
 * @param formSubmissions submissions of those forms, oldest first; most by contacts (their conversion properties
 *                   agree with them), a few by people no contact has (a contact deleted since)
 */
public record SandboxData(List<GeneratedContact> contacts, List<GeneratedEngagement> engagements,
                          Map<Integer, Integer> duplicates, List<GeneratedForm> forms,
                          List<GeneratedFormSubmission> formSubmissions) {
    public SandboxData {
        contacts = List.copyOf(contacts);
        engagements = List.copyOf(engagements);
        duplicates = Map.copyOf(duplicates);
        forms = List.copyOf(forms);
        formSubmissions = List.copyOf(formSubmissions);
    }

    /** Data without forms. */
    public SandboxData(List<GeneratedContact> contacts, List<GeneratedEngagement> engagements,
                       Map<Integer, Integer> duplicates) {
        this(contacts, engagements, duplicates, List.of(), List.of());
    }

    /** A contact: HubSpot property values by name, and when it was created and last modified. */
    public record GeneratedContact(Map<String, String> properties, Instant createdAt, Instant updatedAt) {
        public GeneratedContact {
            properties = Map.copyOf(properties);
        }
    }

    /** An engagement of a HubSpot object type ({@code emails}, {@code meetings}, {@code calls}). */
    public record GeneratedEngagement(String objectType, Map<String, String> properties, int contactIndex) {
        public GeneratedEngagement {
            properties = Map.copyOf(properties);
        }
    }

    /** A marketing form: its GUID, name and HubSpot {@code formType} ({@code hubspot}, {@code flow}...). */
    public record GeneratedForm(String id, String name, String formType, Instant createdAt) {
    }

    /**
     * A submission of a form: the form's id, when, the field values as submitted (email first), the page it was
     * submitted on, and the index of the contact it belongs to in {@code contacts}, or -1 for a person no contact has.
     */
    public record GeneratedFormSubmission(String formId, Instant submittedAt, Map<String, String> values,
                                          String pageUrl, int contactIndex) {
        public GeneratedFormSubmission {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        }
    }
}
