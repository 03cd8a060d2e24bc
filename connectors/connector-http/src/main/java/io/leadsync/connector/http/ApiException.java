package io.leadsync.connector.http;

import io.leadsync.connector.ConnectorException;

/** A vendor refused a call: carries the status and the vendor's error category. */
public class ApiException extends ConnectorException {
    private final int status;
    private final String category;

    public ApiException(String vendor, String call, ApiResponse response) {
        super(vendor + " answered " + call + " with " + response.status() + " " + response.category() + ": "
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
