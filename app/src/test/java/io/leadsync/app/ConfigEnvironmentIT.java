package io.leadsync.app;

import io.leadsync.app.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuration from the environment as a new user meets it, in a process of its own with real environment
 * variables: the documented LEADSYNC_* mapping, variables that name no setting, placeholders whose variable is unset,
 * and Micronaut's own keys.
 */
class ConfigEnvironmentIT {
    @TempDir
    Path dir;

    private record Outcome(int exitCode, String output) {
    }

    /** Runs {@code leadsync runs} on a config in a new JVM with the given environment. */
    private Outcome runs(String config, Map<String, String> environment) throws Exception {
        Path file = dir.resolve("application.yml");
        Files.writeString(file, config);
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Leadsync.class.getName(), "runs",
                "--config", file.toString())).redirectErrorStream(true).directory(dir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("LEADSYNC_") || name.startsWith("SYNC_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Outcome(process.exitValue(), output);
    }

    private String config(String token, String extra) {
        return """
                micronaut:
                  server:
                    port: 0
                %s
                leadsync:
                  database:
                    url: jdbc:h2:file:%s
                    password: ${LEADSYNC_DB_PASSWORD:}
                  scoring:
                    model: %s
                sync:
                  connectors:
                    hubspot-main:
                      type: hubspot
                      base-url: http://127.0.0.1:9
                      token: %s
                      read:
                        streams: [contacts]
                  jobs:
                    full-sync:
                      connectors: [hubspot-main]
                """.formatted(extra, dir.resolve("db/leadsync"), AppFixture.MODEL, token);
    }

    @Test
    void variablesThatNameNoSettingAreLeftToPlaceholdersAndTheDocumentedOnesSetTheirKey() throws Exception {
        Outcome outcome = runs(config("pat-123", ""), Map.of("LEADSYNC_DB_PASSWORD", "x", "SYNC_WHATEVER", "1",
                "LEADSYNC_DATABASE_MAX_POOL_SIZE", "3"));
        assertThat(outcome.output()).doesNotContain("is not a known setting");
        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(ExitCodes.OK);

        Outcome mapped = runs(config("pat-123", ""), Map.of("LEADSYNC_DATABASE_MAX_POOL_SIZE", "zero"));
        assertThat(mapped.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(mapped.output()).contains("leadsync.database.max-pool-size must be a whole number but was 'zero'");
    }

    @Test
    void anUnsetPlaceholderIsNamedWithItsKey() throws Exception {
        Outcome outcome = runs(config("${HUBSPOT_TOKEN_OF_THIS_TEST}", ""), Map.of());
        assertThat(outcome.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(outcome.output()).contains("invalid configuration: sync.connectors.hubspot-main.token reads the"
                + " environment variable HUBSPOT_TOKEN_OF_THIS_TEST (${HUBSPOT_TOKEN_OF_THIS_TEST}), which is not set");
    }

    @Test
    void aTypoInMicronautsOwnKeysStopsStartUp() throws Exception {
        Outcome outcome = runs(config("pat-123", "    prot: 8081"), Map.of());
        assertThat(outcome.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(outcome.output()).contains("invalid configuration: micronaut.server.prot is not a setting leadsync"
                + " accepts; known settings are [micronaut.server.cors.enabled");
    }
}
