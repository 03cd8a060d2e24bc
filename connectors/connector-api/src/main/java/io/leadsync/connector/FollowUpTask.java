package io.leadsync.connector;

import java.time.Instant;
import java.util.Objects;

/**
 * A task for a sales rep, created in the CRM when a person crosses the configured score threshold.
 *
 * @param person   the CRM record the task is linked to (a HubSpot contact, a Salesforce lead or contact)
 * @param subject  one line a rep reads in their task list
 * @param body     the why: score, grade and the top reasons
 * @param priority the task priority
 * @param dueAt    when it is due
 * @param ownerId  the record owner to assign it to, or null to leave it to the CRM's default
 */
public record FollowUpTask(ExternalId person, String subject, String body, Priority priority, Instant dueAt,
                           String ownerId) {
    public FollowUpTask {
        Objects.requireNonNull(person, "person");
        subject = Values.requireText(subject, "subject");
        body = body == null ? "" : body;
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(dueAt, "dueAt");
        ownerId = Values.blankToNull(ownerId);
    }

    public enum Priority { HIGH, MEDIUM, LOW }
}
