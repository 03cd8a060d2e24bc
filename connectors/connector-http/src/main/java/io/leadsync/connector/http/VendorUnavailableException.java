package io.leadsync.connector.http;

import io.leadsync.connector.ConnectorException;

import java.time.Duration;

/**
 * A call refused without being sent: most of the recent calls to the vendor got no answer or a server error, so its
 * circuit is open. The run's stage fails at once instead of waiting through every call's retries; the next run (or
 * this one, once the circuit's wait is over) tries again.
 */
public final class VendorUnavailableException extends ConnectorException {
    public VendorUnavailableException(String vendor, String connector, String call, float failureRate,
                                      Duration openFor) {
        super(vendor + " looks unavailable to " + connector + ": " + Math.round(failureRate) + "% of the recent calls"
                + " got no answer, a server error or an unreadable body, so " + call + " was not sent (circuit open;"
                + " calls are tried again after " + openFor.toSeconds() + " s)");
    }
}
