package io.leadsync.app.deploy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's entrypoint ({@code deploy/docker/entrypoint.sh}) run with bash as the container runs it, with the
 * {@code java -jar leadsync.jar} it ends in replaced by the same application from this build's class path: it waits
 * for the database, names the variable that is wrong, gives each cluster instance its host name as node id, and starts
 * the service on the container config ({@code deploy/config/application.yml}) as a cluster instance on PostgreSQL.
 */
class EntrypointIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path ENTRYPOINT = REPO.resolve("deploy/docker/entrypoint.sh");
    private static final String TOKEN = "entrypoint-test-token-0123456789";

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String output) {
    }

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private ProcessBuilder entrypoint(Map<String, String> environment, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", ENTRYPOINT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("LEADSYNC_") || name.startsWith("SYNC_")
                || name.startsWith("HUBSPOT_"));
        builder.environment().putAll(environment);
        return builder;
    }

    private Outcome run(Map<String, String> environment, String... args) throws Exception {
        Process process = entrypoint(environment, args).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Outcome(process.exitValue(), output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void startsTheServiceAsAClusterInstanceNamedAfterItsHostOnceTheDatabaseAnswers() throws Exception {
        // java -jar <jar> <args> becomes java <options> -cp <this build's class path> Leadsync <args>
        Path java = script("java", """
                jvm=(); app=(); seen_jar=
                while [[ $# -gt 0 ]]; do
                  if [[ -z "$seen_jar" && "$1" == -jar ]]; then seen_jar=1; shift 2; continue; fi
                  if [[ -z "$seen_jar" ]]; then jvm+=("$1"); else app+=("$1"); fi
                  shift
                done
                exec "%s" "${jvm[@]}" -cp "%s" io.leadsync.app.Leadsync "${app[@]}"
                """.formatted(Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path")));
        int port = freePort();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            Process process = entrypoint(Map.ofEntries(Map.entry("JAVA_BIN", java.toString()),
                    Map.entry("LEADSYNC_JAR", "/app/leadsync.jar"),
                    Map.entry("LEADSYNC_CONFIG", REPO.resolve("deploy/config/application.yml").toString()),
                    Map.entry("LEADSYNC_PORT", Integer.toString(port)), Map.entry("LEADSYNC_DATABASE_URL", url),
                    Map.entry("LEADSYNC_DATABASE_USER", "postgres"), Map.entry("LEADSYNC_CLUSTER_ENABLED", "TRUE"),
                    Map.entry("HOSTNAME", "pod-7"), Map.entry("LEADSYNC_ADMIN_TOKEN", TOKEN),
                    Map.entry("HUBSPOT_TOKEN", "pat-test"), Map.entry("HUBSPOT_BASE_URL", "http://127.0.0.1:9")))
                    .redirectOutput(dir.resolve("service.log").toFile()).start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
                int health = 0;
                while (health != 200 && System.nanoTime() < deadline && process.isAlive()) {
                    try {
                        health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                    } catch (IOException notYet) {
                        Thread.sleep(300);
                    }
                }
                String log = Files.readString(dir.resolve("service.log"));
                assertThat(health).as(log).isEqualTo(200);
                assertThat(log).contains("the database at localhost:" + postgres.getPort() + " accepts connections");
                HttpResponse<String> jobs = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/jobs")).header("Authorization", "Bearer " + TOKEN).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(jobs.statusCode()).isEqualTo(200);
                assertThat(jobs.body()).contains("\"name\":\"full-sync\"").contains("0 */15 * * * ?");
                try (Connection connection = postgres.getPostgresDatabase().getConnection();
                     Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("select instance_name from qrtz_scheduler_state")) {
                    assertThat(row.next()).as("the instance checked in with the cluster").isTrue();
                    assertThat(row.getString(1)).as("its node id is its host name").isEqualTo("pod-7");
                }
            } finally {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    @Test
    void refusesAClusterWithoutPostgresNamingTheVariable() throws Exception {
        Outcome outcome = run(Map.of("JAVA_BIN", "false", "LEADSYNC_CLUSTER_ENABLED", "true",
                "LEADSYNC_DATABASE_URL", "jdbc:h2:file:./data/leadsync"));
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.output()).contains("LEADSYNC_CLUSTER_ENABLED=true needs LEADSYNC_DATABASE_URL=jdbc:postgresql://")
                .contains("'jdbc:h2:file:./data/leadsync'");
    }

    @Test
    void givesUpWhenTheDatabaseDoesNotAnswerInTime() throws Exception {
        int closed = freePort();
        long started = System.nanoTime();
        Outcome outcome = run(Map.of("JAVA_BIN", "false", "LEADSYNC_DB_WAIT", "2",
                "LEADSYNC_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/leadsync?ssl=false"));
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.output()).contains("the database at 127.0.0.1:" + closed
                + " did not accept connections within 2 s (LEADSYNC_DB_WAIT)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void passesTheConfigAndPortToServeAndOtherCommandsAsGiven() throws Exception {
        Path echo = script("echo-java", "echo \"java $*\"\n");
        Outcome serve = run(Map.of("JAVA_BIN", echo.toString(), "LEADSYNC_DB_WAIT", "0"));
        assertThat(serve.exitCode()).isZero();
        assertThat(serve.output().strip()).isEqualTo("java -XX:MaxRAMPercentage=75 -jar /app/leadsync.jar serve"
                + " --config /app/config/application.yml --port 8080");
        Outcome runs = run(Map.of("JAVA_BIN", echo.toString(), "JAVA_OPTS", "-Xmx1g -XX:+UseSerialGC",
                "LEADSYNC_PORT", "9090"), "runs", "--config", "/etc/leadsync.yml");
        assertThat(runs.output().strip()).isEqualTo("java -Xmx1g -XX:+UseSerialGC -jar /app/leadsync.jar runs"
                + " --config /etc/leadsync.yml");
        Outcome badPort = run(Map.of("JAVA_BIN", echo.toString(), "LEADSYNC_PORT", "http"));
        assertThat(badPort.exitCode()).isEqualTo(2);
        assertThat(badPort.output()).contains("LEADSYNC_PORT must be a port number but is 'http'");
    }
}
