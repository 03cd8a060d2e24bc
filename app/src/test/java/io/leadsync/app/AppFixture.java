package io.leadsync.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the config files the app tests start the service with. */
final class AppFixture {
    private AppFixture() {
    }

    /** The API tokens every test config lists: one that may do everything, one that may only read. */
    static final String ADMIN_TOKEN = "admin-token-7c41d0e2a9b35f86";
    static final String READ_TOKEN = "read-token-2f9e81c4b7a6d053";

    static final String MODEL = Path.of("../config/scoring/default-model.yml").toAbsolutePath().toString();

    /** Calls the API as a client does: a method, a path, a token (or none) and a JSON body (or none). */
    static java.net.http.HttpResponse<String> call(java.net.http.HttpClient http, int port, String method, String path,
                                                   String token, String body) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** A config with one HubSpot connector (read and write) and one job whose cron trigger is held. */
    static Path config(Path dir, String baseUrl, String token, String database, String schedule) throws IOException {
        String yaml = """
                leadsync:
                  start-schedules: false     # runs start on demand only: a cron firing mid-test would take a run
                  api:
                    tokens:
                      - {name: test-admin, role: admin, token: %s}
                      - {name: test-reader, role: read, token: %s}
                  database:
                    url: %s
                  scoring:
                    model: %s
                sync:
                  connectors:
                    hubspot-main:
                      type: hubspot
                      base-url: %s
                      token: %s
                      retry:
                        max-attempts: 4
                      read:
                        streams: [contacts, emails, meetings, calls]
                        page-size: 100
                      write:
                        tasks:
                          enabled: true
                  jobs:
                    full-sync:
                      schedule: "%s"
                      connectors: [hubspot-main]
                """.formatted(ADMIN_TOKEN, READ_TOKEN, database, MODEL, baseUrl, token, schedule);
        Path file = dir.resolve("application.yml");
        Files.writeString(file, yaml);
        return file;
    }
}
