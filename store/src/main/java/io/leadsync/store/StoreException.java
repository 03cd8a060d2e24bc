package io.leadsync.store;

/** A database operation failed; the message carries the statement and the database's reason. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
