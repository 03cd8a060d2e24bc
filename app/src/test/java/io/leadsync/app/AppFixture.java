package io.leadsync.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the config files the app tests start the service with. */
final class AppFixture {
    private AppFixture() {
    }

    static final String MODEL = Path.of("../config/scoring/default-model.yml").toAbsolutePath().toString();

    /** A config with one HubSpot connector (read and write) and one job whose cron trigger is held. */
    static Path config(Path dir, String baseUrl, String token, String database, String schedule) throws IOException {
        String yaml = """
                leadsync:
                  start-schedules: false     # runs start on demand only: a cron firing mid-test would take a run
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
                """.formatted(database, MODEL, baseUrl, token, schedule);
        Path file = dir.resolve("application.yml");
        Files.writeString(file, yaml);
        return file;
    }
}
