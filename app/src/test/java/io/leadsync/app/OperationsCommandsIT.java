package io.leadsync.app;

import io.leadsync.app.cli.ExitCodes;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The operating commands as a script runs them: their output, and exit codes it can trust. */
class OperationsCommandsIT {
    @TempDir
    Path dir;
    private HubSpotSimulator hubspot;
    private Path config;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void start() throws Exception {
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        hubspot.seed(new SandboxDataGenerator(41).generate(50, Instant.now()));
        config = AppFixture.config(dir, hubspot.baseUrl().toString(), HubSpotSimulator.Options.DEFAULT_TOKEN,
                "jdbc:h2:file:" + dir.resolve("db/leadsync"), "0 0 3 * * ?");
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        hubspot.close();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        String[] withConfig = new String[args.length + 2];
        System.arraycopy(args, 0, withConfig, 0, args.length);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config.toString();
        return Leadsync.execute(withConfig);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void syncsADryRunThenARunAndListsTheRuns() {
        assertThat(run("sync", "full-sync", "--dry-run")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("SUCCEEDED").contains("dry run:").contains("would push 50 records");
        assertThat(hubspot.contacts()).noneMatch(c -> c.properties().containsKey("leadsync_score"));

        assertThat(run("sync", "full-sync")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("run 2 of job full-sync: SUCCEEDED").contains("pushed 50 records");
        assertThat(hubspot.contacts()).allMatch(c -> c.properties().containsKey("leadsync_score"));

        assertThat(run("runs", "--limit", "5")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("dry-run:cli").contains("SUCCEEDED").containsPattern("\\n2 +full-sync +cli");

        assertThat(run("sync", "nightly")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(err()).contains("no job named 'nightly'; configured jobs are [full-sync]");
    }

    @Test
    void aRunWithRefusedRecordsExitsPartialAndItsLettersCanBeReplayed() {
        run("sync", "full-sync");
        for (var contact : hubspot.contacts().subList(0, 4)) {
            hubspot.updateContact(contact.id(), java.util.Map.of("jobtitle", "Chief Revenue Officer"));
        }
        hubspot.faults().add(FaultRule.partialBatch(0.5).on("POST", "/crm/v3/objects/contacts/batch/update")
                .withCount(1));
        assertThat(run("sync", "full-sync")).isEqualTo(ExitCodes.PARTIAL);

        assertThat(run("dead-letters", "--stage", "push")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("push").contains("hubspot-main").containsPattern("\\d+ dead letters");
        assertThat(run("dead-letters", "--stage", "push", "--replay")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("went through").containsPattern("(\\d+) of \\1 letters replayed");
        assertThat(run("dead-letters")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("0 dead letters");
        assertThat(run("dead-letters", "--id", "999999")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run("dead-letters", "--replay", "--discard")).as("one action at a time").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void checksConnectorsAndShowsAProfile() {
        assertThat(run("check")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("hubspot-main").contains("ok").contains("accepts the token");
        assertThat(run("check", "pipedrive-main")).isEqualTo(ExitCodes.NOT_FOUND);

        run("sync", "full-sync");
        String email = hubspot.contacts().get(0).properties().get("email");
        assertThat(run("profile", email)).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("\"golden\"").contains(email).contains("\"sources\"").contains("\"history\"");
        assertThat(run("profile", "nobody@nowhere.example")).isEqualTo(ExitCodes.NOT_FOUND);

        hubspot.faults().add(FaultRule.dead());
        assertThat(run("check", "hubspot-main")).isEqualTo(ExitCodes.FAILED);
        assertThat(out()).contains("FAILED");
    }

    @Test
    void everyCommandHasHelpWithItsExitCodes() {
        for (String command : new String[] {"sync", "check", "runs", "dead-letters", "profile"}) {
            assertThat(Leadsync.execute(command, "--help")).as(command).isEqualTo(ExitCodes.OK);
            assertThat(out()).as(command).contains("Usage: leadsync " + command).contains("Exit codes: 0 done");
            out.reset();
        }
        assertThat(Leadsync.execute("sync")).as("the job is required").isEqualTo(ExitCodes.USAGE);
    }
}
