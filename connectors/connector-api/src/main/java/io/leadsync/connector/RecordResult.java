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
 * @param transientFailure whether the failure will likely pass if the record is written again later (Salesforce's
 *                  {@code UNABLE_TO_LOCK_ROW}): the pipeline keeps such a record for the next run instead of
 *                  dead-lettering it
 */
public record RecordResult(ExternalId target, boolean success, String createdId, String errorCode, String message,
                           boolean transientFailure) {
    public RecordResult {
        Objects.requireNonNull(target, "target");
        if (!success) {
            errorCode = errorCode == null ? "UNKNOWN" : errorCode;
            message = Values.requireText(message, "message");
        }
    }

    public static RecordResult written(ExternalId target) {
        return new RecordResult(target, true, null, null, null, false);
    }

    public static RecordResult created(ExternalId target, String createdId) {
        return new RecordResult(target, true, createdId, null, null, false);
    }

    /** The vendor refused the record: it goes to the dead letters with this code and message. */
    public static RecordResult failed(ExternalId target, String errorCode, String message) {
        return new RecordResult(target, false, null, errorCode, message, false);
    }

    /** The vendor could not write the record this time (a lock, a timeout on its side): it is tried again next run. */
    public static RecordResult failedForNow(ExternalId target, String errorCode, String message) {
        return new RecordResult(target, false, null, errorCode, message, true);
    }
}
