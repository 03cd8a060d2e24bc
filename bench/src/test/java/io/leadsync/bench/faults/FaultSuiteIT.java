package io.leadsync.bench.faults;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite's quick set, run by {@code mvn verify} against the service jar the build just made: a {@code kill -9}
 * in each stage (after a HubSpot page was answered, during scoring, after HubSpot created a batch of tasks but before
 * the answer left), SIGTERM while a call hangs, a 20% rate-limit storm, and unreadable and cut-short pages. The full set (23 kill points and every
 * fault) is {@code java -cp bench/target/leadsync-bench.jar io.leadsync.bench.faults.FaultSuite}.
 */
class FaultSuiteIT {
    private static final Path JAR = Path.of("../app/target/leadsync.jar");

    @TempDir
    Path work;

    @Test
    void losesNothingCreatesNoTaskTwiceAndLeavesNothingPendingUnderFaults() throws Exception {
        assertThat(JAR).as("the service jar, built by the app module before this one").isRegularFile();
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(table, true, StandardCharsets.UTF_8);
        FaultSuite suite = new FaultSuite(JAR, work, 200, out);

        List<FaultSuite.TrialResult> results = suite.runAll(suite.quickTrials());

        System.out.println(table.toString(StandardCharsets.UTF_8));
        assertThat(results).hasSize(7);
        assertThat(results).as(table.toString(StandardCharsets.UTF_8)).allSatisfy(result -> {
            assertThat(result.passed()).as(result.name() + ": " + result.note()).isTrue();
            assertThat(result.checks().lost()).isZero();
            assertThat(result.checks().duplicateTasks()).isZero();
            assertThat(result.checks().pendingLeft()).isZero();
        });
        assertThat(results.get(0).checks().tasksExpected()).as("hot leads to check").isPositive();
        assertThat(Files.list(work).count()).isEqualTo(7);
    }
}
