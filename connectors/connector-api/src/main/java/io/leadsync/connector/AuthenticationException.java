package io.leadsync.connector;

/** The vendor rejected the credentials (after one re-login where the vendor's sessions expire). */
public class AuthenticationException extends ConnectorException {
    public AuthenticationException(String message) {
        super(message);
    }
}
