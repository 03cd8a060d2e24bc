package io.leadsync.connector.salesforce.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.connector.ConnectorException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Bulk API 2.0 query job: {@code POST jobs/query}, poll {@code GET jobs/query/{id}} until {@code JobComplete},
 * then {@code GET jobs/query/{id}/results?maxRecords=&locator=} pages of CSV, the next locator in the
 * {@code Sforce-Locator} header (the string {@code null} after the last page).
 */
public final class BulkQuery {
    private final SalesforceApi api;
    private final String connector;
    private final Duration pollInterval;
    private final Duration timeout;

    /** One page of results, and the locator of the next (null after the last). */
    public record Results(List<Map<String, String>> rows, String nextLocator) {
    }

    public BulkQuery(SalesforceApi api, String connector, Duration pollInterval, Duration timeout) {
        this.api = api;
        this.connector = connector;
        this.pollInterval = pollInterval;
        this.timeout = timeout;
    }

    /** Creates the job; returns its id. */
    public String start(String soql) {
        JsonNode job = api.send("POST", api.dataPath("jobs/query"), Map.of("operation", "query", "query", soql,
                "contentType", "CSV", "columnDelimiter", "COMMA", "lineEnding", "LF")).json();
        String id = job.path("id").asText("");
        if (id.isBlank()) {
            throw new ConnectorException(connector + ": Salesforce created a Bulk API 2.0 query job without an id: "
                    + job);
        }
        return id;
    }

    /** Polls until the job is complete; fails if it failed, was aborted or took longer than the timeout. */
    public void awaitCompletion(String job) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode state = api.get(api.dataPath("jobs/query/" + job), Map.of()).json();
            String value = state.path("state").asText("");
            switch (value) {
                case "JobComplete" -> {
                    return;
                }
                case "Failed", "Aborted" -> throw new ConnectorException(connector + ": Bulk API 2.0 query job " + job
                        + " ended " + value + ": " + state.path("errorMessage").asText("no error message"));
                default -> {
                    if (System.nanoTime() > deadline) {
                        throw new ConnectorException(connector + ": Bulk API 2.0 query job " + job + " is still "
                                + value + " after " + timeout + " (read.bulk.timeout)");
                    }
                    try {
                        Thread.sleep(pollInterval.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ConnectorException(connector + ": interrupted while waiting for job " + job);
                    }
                }
            }
        }
    }

    /** One page of the job's results. */
    public Results results(String job, String locator, int maxRecords) {
        SalesforceApi.Response response = api.getCsv(api.dataPath("jobs/query/" + job + "/results"),
                SalesforceApi.params("maxRecords", Integer.toString(maxRecords), "locator", locator));
        List<Map<String, String>> rows;
        try {
            rows = Csv.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(connector + ": the results of Bulk API 2.0 job " + job + " are not valid CSV: "
                    + e.getMessage());
        }
        String next = response.locator();
        return new Results(rows, next == null || next.isBlank() || "null".equals(next) ? null : next);
    }
}
