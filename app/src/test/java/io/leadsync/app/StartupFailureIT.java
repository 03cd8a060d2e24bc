package io.leadsync.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `leadsync serve` with a bad config stops at start-up, exit code 2, with the full key of the problem. */
class StartupFailureIT {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureErr() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreErr() {
        System.setErr(originalErr);
    }

    private String serve(String token, String schedule, String type) throws Exception {
        Path config = AppFixture.config(dir, "http://127.0.0.1:9", token, "jdbc:h2:mem:startup-" + System.nanoTime(),
                schedule);
        Files.writeString(config, Files.readString(config).replace("type: hubspot", "type: " + type));
        int exit = io.leadsync.app.Leadsync.execute("serve", "--config", config.toString(), "--port", "0");
        assertThat(exit).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stopsOnAMissingTokenNamingTheKey() throws Exception {
        assertThat(serve("\"\"", "0 */15 * * * ?", "hubspot")).contains("leadsync cannot start: invalid configuration:"
                + " sync.connectors.hubspot-main.token is required (set HUBSPOT_TOKEN");
    }

    @Test
    void stopsOnABadCronNamingTheKey() throws Exception {
        assertThat(serve("t", "every 15 minutes", "hubspot")).contains("invalid configuration: sync.jobs.full-sync.schedule"
                + " 'every 15 minutes' is not a valid Quartz cron expression");
    }

    @Test
    void stopsOnAnUnknownSourceTypeNamingTheKey() throws Exception {
        assertThat(serve("t", "0 */15 * * * ?", "hubspt")).contains("invalid configuration: sync.connectors.hubspot-main.type"
                + " 'hubspt' is not a known connector type; known types are [hubspot, mixpanel, salesforce, segment]");
    }

    @Test
    void stopsOnAnInvalidConnectorManifestWithItsFileLineAndKey() throws Exception {
        Path manifests = Files.createDirectories(dir.resolve("connectors"));
        Files.writeString(manifests.resolve("crm-x.yml"), "type: crm-x\nrequester:\n  base-url: https://x.io\n"
                + "  auht: {type: bearer}\nstreams: {}\n");
        Path config = AppFixture.config(dir, "http://127.0.0.1:9", "t", "jdbc:h2:mem:manifest-" + System.nanoTime(),
                "0 */15 * * * ?");
        Files.writeString(config, Files.readString(config).replace("leadsync:\n", "leadsync:\n  connectors-dir: "
                + manifests + "\n"));
        int exit = io.leadsync.app.Leadsync.execute("serve", "--config", config.toString(), "--port", "0");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("leadsync cannot start: invalid connector manifest: "
                + manifests.resolve("crm-x.yml") + ":4: requester.auht is not a known key here; known keys are"
                + " [auth, base-url, fail, headers, retry]");
    }

    @Test
    void stopsWhenTheConfigFileIsMissing() {
        int exit = io.leadsync.app.Leadsync.execute("serve", "--config", dir.resolve("nope.yml").toString());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope.yml does not exist");
    }

    @Test
    void stopsOnAnInvalidScoringModelWithItsLine() throws Exception {
        Path model = dir.resolve("broken-model.yml");
        Files.writeString(model, "name: broken\nversion: 1\ngrades: {A: 50, B: 60, D: 0}\n");
        Path config = AppFixture.config(dir, "http://127.0.0.1:9", "t", "jdbc:h2:mem:model-" + System.nanoTime(),
                "0 */15 * * * ?");
        Files.writeString(config, Files.readString(config).replace(AppFixture.MODEL, model.toString()));
        int exit = io.leadsync.app.Leadsync.execute("serve", "--config", config.toString(), "--port", "0");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid configuration: leadsync.scoring.model names a"
                + " model that is not valid: " + model + ":3:");
    }

    @Test
    void masksThePasswordOfADatabaseUrlItRefuses() throws Exception {
        Path config = AppFixture.config(dir, "http://127.0.0.1:9", "t",
                "jdbc:mysql://db.example.com:3306/crm?user=leadsync&password=hunter2-9f3&useSSL=true", "0 */15 * * * ?");
        int exit = io.leadsync.app.Leadsync.execute("serve", "--config", config.toString(), "--port", "0");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid configuration: leadsync.database.url must be an"
                + " H2 (jdbc:h2:...) or PostgreSQL (jdbc:postgresql:...) JDBC URL but was"
                + " 'jdbc:mysql://db.example.com:3306/crm?user=leadsync&password=******&useSSL=true'")
                .doesNotContain("hunter2-9f3");
    }
}
