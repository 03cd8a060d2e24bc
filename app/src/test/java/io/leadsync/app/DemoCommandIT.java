package io.leadsync.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's demo: two runs against the sandbox; the first pulls, scores and pushes, the second pushes nothing. */
class DemoCommandIT {
    @TempDir
    Path data;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void captureOut() {
        originalOut = System.out;
        originalErr = System.err;
        PrintStream both = new PrintStream(out, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        // the example config names its model relative to the repository root, where the README runs the demo
        System.setProperty("leadsync.scoring.model", "../config/scoring/default-model.yml");
    }

    @AfterEach
    void restoreOut() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        System.clearProperty("leadsync.scoring.model");
    }

    @Test
    void runsTheWholePipelineTwiceAgainstTheSandbox() {
        int exit = Leadsync.execute("demo", "--exit", "--contacts", "150", "--config", "../config/demo.yml",
                "--data-dir", data.toString(), "--port", "0", "--sandbox-port", "0", "--mixpanel-port", "0", "--salesforce-port", "0");

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("First run: run 1 SUCCEEDED").contains("pushed 248 records")
                .contains("150 of 150 have leadsync_score")
                .contains("Second run (nothing changed in the CRM): run 2 SUCCEEDED")
                .doesNotContainPattern("Run \\d+ of job \\S+ skipped")
                .contains("pushed nothing: every CRM value is already current, 0 API calls")
                // (the service's log lines may come between the demo's)
                .contains("the simulator sends its signed webhook")
                .contains("a Segment track call to /v1/track answered 200")
                .contains("a change event over the Pub/Sub API")
                .containsPattern("\\d+\\.\\d s later HubSpot shows score \\d+ grade [A-D]")
                .containsPattern("\\d+\\.\\d s later Salesforce shows lead \\w+ with score \\d+(\\.\\d+)? grade [A-D]")
                .containsPattern("and [1-9] new follow-up task\\(s\\) for the rep")
                // the demo's José Sharma (founder, sales-qualified, a demo request 11 days ago) scored 26, grade C, before
                // form submissions were read: the submission (and Mixpanel's Requested Demo, some days) and the conversion
                // properties now count, with the reason
                .containsPattern("A sales-qualified demo request \\(HubSpot form, [-0-9]+\\) as a rep sees it:\\R"
                        + "  José Sharma +Founder +score +\\d+ grade [AB]  \\+[0-9.]+ Requested a demo or sales contact \\(\\d+\\);"
                        + ".* \\+10 Sales-qualified; \\+5 Last conversion asked for sales;")
                .containsPattern("Mixpanel product usage counts in [1-9]\\d* contacts' scores, e\\.g\\. .*Product usage")
                .containsPattern("Salesforce leads and contacts now carry scores: (\\d+) of \\1 have Lead_Score__c;"
                        + " [1-9]\\d* follow-up tasks created")
                .containsPattern("Top Salesforce leads as a rep sees them:\\R  .* score +\\d+ grade [A-D]  \\+");
    }
}
