package io.leadsync.connector;

import java.util.Objects;

/**
 * The outcome of writing one record.
 *
 * @param target    the record written
 * @param success   whether the vendor accepted it
 * @param createdId the id of a record the write created (a task), otherwise null
 * @param errorCode the vendor's error code or category on failure ({@code INVALID_FIELD}, {@code VALIDATION_ERROR})
 * @param message   the vendor's message on failure
 */
public record RecordResult(ExternalId target, boolean success, String createdId, String errorCode, String message) {
    public RecordResult {
        Objects.requireNonNull(target, "target");
        if (!success) {
            errorCode = errorCode == null ? "UNKNOWN" : errorCode;
            message = Values.requireText(message, "message");
        }
    }

    public static RecordResult written(ExternalId target) {
        return new RecordResult(target, true, null, null, null);
    }

    public static RecordResult created(ExternalId target, String createdId) {
        return new RecordResult(target, true, createdId, null, null);
    }

    public static RecordResult failed(ExternalId target, String errorCode, String message) {
        return new RecordResult(target, false, null, errorCode, message);
    }
}
