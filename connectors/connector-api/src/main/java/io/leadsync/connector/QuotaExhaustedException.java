package io.leadsync.connector;

/**
 * The vendor's API budget is spent (a daily limit, or the share of it leadsync may use). Retrying does not help:
 * the job stops cleanly and says so, and the next scheduled run resumes from the saved cursors.
 */
public class QuotaExhaustedException extends ConnectorException {
    public QuotaExhaustedException(String message) {
        super(message);
    }
}
