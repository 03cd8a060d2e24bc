package io.leadsync.connector;

/**
 * A vendor refused a call after the connector's own retries. The message names the connector, the call and the
 * vendor's answer, never a credential.
 */
public class ConnectorException extends RuntimeException {
    public ConnectorException(String message) {
        super(message);
    }

    public ConnectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
