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
 * @param key      the task's idempotency key ({@code ls-} and 12 hex digits), written into the body, by which
 *                 {@link SinkConnector#findTasks} finds a task an interrupted attempt may have created; null when the
 *                 caller never needs to find it again
 */
public record FollowUpTask(ExternalId person, String subject, String body, Priority priority, Instant dueAt,
                           String ownerId, String key) {
    public FollowUpTask {
        Objects.requireNonNull(person, "person");
        subject = Values.requireText(subject, "subject");
        body = body == null ? "" : body;
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(dueAt, "dueAt");
        ownerId = Values.blankToNull(ownerId);
        key = Values.blankToNull(key);
        if (key != null && !body.contains(key)) {
            throw new IllegalArgumentException("the body must carry the key " + key + " so the task can be found");
        }
    }

    /** A task nobody needs to find again. */
    public FollowUpTask(ExternalId person, String subject, String body, Priority priority, Instant dueAt,
                        String ownerId) {
        this(person, subject, body, priority, dueAt, ownerId, null);
    }

    public enum Priority { HIGH, MEDIUM, LOW }

    /** How a body names its task's key, on its last line: {@code leadsync ref: ls-3f9a2c1b7e4d}. */
    public static final String REF = "leadsync ref: ";

    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(REF) + "(ls-[0-9a-f]{12})");

    /**
     * What a sink looks for to find tasks again: the tasks' keys, and the people whose tasks to read (record ids,
     * each once, in order). Tasks without a key are left out.
     */
    public record Lookup(java.util.Set<String> keys, java.util.List<String> people) {
        public static Lookup of(java.util.List<FollowUpTask> tasks) {
            java.util.Set<String> keys = new java.util.HashSet<>();
            java.util.Set<String> people = new java.util.LinkedHashSet<>();
            for (FollowUpTask task : tasks) {
                if (task.key() != null) {
                    keys.add(task.key());
                    people.add(task.person().id());
                }
            }
            return new Lookup(java.util.Set.copyOf(keys), java.util.List.copyOf(people));
        }

        /** The wanted keys a task's body, as the CRM returns it, names. */
        public java.util.List<String> wantedIn(String body) {
            return keysIn(body).stream().filter(keys::contains).toList();
        }
    }

    /** The keys a text names after {@link #REF} (a task's body as the CRM returns it). */
    public static java.util.List<String> keysIn(String text) {
        if (text == null || text.isEmpty()) {
            return java.util.List.of();
        }
        java.util.List<String> keys = new java.util.ArrayList<>();
        java.util.regex.Matcher matcher = KEY.matcher(text);
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }
}
