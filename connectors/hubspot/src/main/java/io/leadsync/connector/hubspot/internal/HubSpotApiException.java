package io.leadsync.connector.hubspot.internal;

import io.leadsync.connector.ConnectorException;

/** HubSpot refused a call; carries the status and HubSpot's category. */
public class HubSpotApiException extends ConnectorException {
    private final int status;
    private final String category;

    public HubSpotApiException(String call, HubSpotResponse response) {
        super("HubSpot answered " + call + " with " + response.status() + " " + response.category() + ": "
                + response.message());
        this.status = response.status();
        this.category = response.category();
    }

    public int status() {
        return status;
    }

    public String category() {
        return category;
    }
}
