package io.leadsync.connector.salesforce.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.ConnectorException;

/**
 * Salesforce answered a call with an error: the status, and the first {@code errorCode} and {@code message} of
 * its error array ({@code [{"message":"...","errorCode":"MALFORMED_ID","fields":["Id"]}]}).
 */
public final class SalesforceCallException extends ConnectorException {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String errorCode;
    private final String vendorMessage;

    private SalesforceCallException(String message, int status, String errorCode, String vendorMessage) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.vendorMessage = vendorMessage;
    }

    static SalesforceCallException of(String connector, String what, int status, String body) {
        String code = "HTTP_" + status;
        String message = SalesforceApi.abbreviate(body);
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode first = node != null && node.isArray() && !node.isEmpty() ? node.get(0) : node;
            if (first != null && first.isObject()) {
                code = first.path("errorCode").asText(first.path("error").asText(code));
                message = first.path("message").asText(first.path("error_description").asText(message));
            }
        } catch (Exception notJson) {
            // keep the body as the message
        }
        return new SalesforceCallException(connector + ": Salesforce answered " + what + " with " + status + " "
                + code + ": " + message, status, code, message);
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public String vendorMessage() {
        return vendorMessage;
    }
}
