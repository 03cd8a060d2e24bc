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
 */
public record SandboxData(List<GeneratedContact> contacts, List<GeneratedEngagement> engagements,
                          Map<Integer, Integer> duplicates) {
    public SandboxData {
        contacts = List.copyOf(contacts);
        engagements = List.copyOf(engagements);
        duplicates = Map.copyOf(duplicates);
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
}
