package io.leadsync.bench.faults;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the service, each its own JVM, as a cluster on one embedded PostgreSQL, the job on a four-second
 * cron set over one instance's API ({@link ClusterSuite}): every fire ran exactly once in total, runs never overlapped,
 * the instance that was killed mid-run (SIGKILL) had its run resumed by the other at once, each instance's API showed
 * the other's runs, and the simulators hold every score and exactly one task per hot lead.
 */
class ClusterIT {
    private static final Path JAR = Path.of("../app/target/leadsync.jar");

    @TempDir
    Path work;

    @Test
    void runsEachFireOnceOnOneInstanceAndResumesAKilledInstancesRunOnTheOther() throws Exception {
        assertThat(JAR).as("the service jar, built by the app module before this one").isRegularFile();
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8);
        ClusterSuite suite = new ClusterSuite(JAR, work, 200, Duration.ofSeconds(20), out);

        ClusterSuite.Result result = suite.run();
        suite.print(result);
        String text = report.toString(StandardCharsets.UTF_8);
        System.out.println(text);

        assertThat(result.fires()).as(text).isGreaterThanOrEqualTo(5);
        assertThat(result.duplicateFires()).as("fires that ran twice").isZero();
        assertThat(result.skippedOutsideRecovery()).as(text).isZero();
        assertThat(result.lastQuartzFireRuns()).as("runs of the last fire in qrtz_triggers").isEqualTo(1);
        assertThat(result.overlaps()).as(text).isZero();
        assertThat(result.runsPerNode()).as("both instances ran the job").containsKeys("node-a", "node-b");
        assertThat(result.failover()).as("the killed run was resumed by the other instance").isNotNull();
        assertThat(result.takeover()).as("taken over without waiting for a lease to expire or a fire")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(result.recoveryStatus()).isIn("SUCCEEDED", "PARTIAL");
        assertThat(result.crossViews()).as("an instance's /api/jobs showed the other's run under way").isPositive();
        assertThat(result.sameRunsOnBoth()).as("both /api/runs list the same runs").isTrue();
        assertThat(result.checks().lost()).isZero();
        assertThat(result.checks().duplicateTasks()).isZero();
        assertThat(result.checks().lostTasks()).isZero();
        assertThat(result.checks().pendingLeft()).isZero();
        assertThat(result.checks().runningLeft()).isZero();
        assertThat(result.checks().tasksExpected()).as("hot leads to check").isPositive();
        assertThat(result.passed()).as(text).isTrue();
    }
}
