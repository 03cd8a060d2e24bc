package io.leadsync.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.app.cli.Server;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Nobody in without a key: tokens and roles on every call but /health, loopback by default, model files fenced. */
class ApiSecurityIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private HubSpotSimulator hubspot;
    private Server server;
    private Path models;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        hubspot.seed(new SandboxDataGenerator(5).generate(40, Instant.now()));
        models = Files.createDirectories(dir.resolve("models"));
        Files.copy(Path.of(AppFixture.MODEL), models.resolve("default-model.yml"));
        Files.writeString(models.resolve("candidate.yml"), Files.readString(Path.of(AppFixture.MODEL))
                .replace("version: 5", "version: 7"));
        Path config = AppFixture.config(dir, hubspot.baseUrl().toString(), HubSpotSimulator.Options.DEFAULT_TOKEN,
                "jdbc:h2:file:" + dir.resolve("db/leadsync"), "0 0 3 * * ?");
        Files.writeString(config, Files.readString(config).replace(AppFixture.MODEL,
                models.resolve("default-model.yml").toString()));
        server = Server.start(config, Map.of("micronaut.server.port", 0));
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (server != null) {
            server.close();
        }
        hubspot.close();
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        return AppFixture.call(http, server.port(), method, path, token, body);
    }

    @Test
    void answersHealthToAnyoneAndEverythingElseOnlyWithAToken() throws Exception {
        assertThat(call("GET", "/health", null, null).statusCode()).isEqualTo(200);
        for (String[] endpoint : new String[][] {{"GET", "/api/runs"}, {"GET", "/api/jobs"}, {"GET", "/api/models"},
                {"GET", "/api/profiles/by-record/hubspot-main/1"}, {"POST", "/api/jobs/full-sync/run"},
                {"POST", "/api/models/reload"}, {"POST", "/api/models/preview"}}) {
            HttpResponse<String> anonymous = call(endpoint[0], endpoint[1], null, endpoint[0].equals("POST") ? "{}" : null);
            assertThat(anonymous.statusCode()).as(endpoint[0] + " " + endpoint[1]).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"leadsync\"");
            assertThat(JSON.readTree(anonymous.body()).path("message").asText()).startsWith("a token is required");
            assertThat(call(endpoint[0], endpoint[1], "not-a-known-token-at-all", endpoint[0].equals("POST") ? "{}"
                    : null).statusCode()).as("unknown token on " + endpoint[1]).isEqualTo(401);
        }
        assertThat(hubspot.totalRequests()).as("no run was started by the refused calls").isZero();
    }

    @Test
    void letsAReadTokenReadButNotRunReloadOrPreview() throws Exception {
        assertThat(call("GET", "/api/runs", AppFixture.READ_TOKEN, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/jobs", AppFixture.READ_TOKEN, null).statusCode()).isEqualTo(200);
        for (String path : new String[] {"/api/jobs/full-sync/run", "/api/models/reload", "/api/models/preview"}) {
            HttpResponse<String> refused = call("POST", path, AppFixture.READ_TOKEN, "{\"model\":\"candidate.yml\"}");
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
            assertThat(JSON.readTree(refused.body()).path("message").asText()).contains("admin role");
        }
        assertThat(hubspot.totalRequests()).isZero();

        HttpResponse<String> run = call("POST", "/api/jobs/full-sync/run?wait=true", AppFixture.ADMIN_TOKEN, null);
        assertThat(run.statusCode()).isEqualTo(200);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains(AppFixture.ADMIN_TOKEN) || line.contains(AppFixture.READ_TOKEN));
    }

    @Test
    void readsCandidateModelsOnlyFromTheModelsFolderAndSaysNothingOfOtherFiles() throws Exception {
        HttpResponse<String> inside = call("POST", "/api/models/preview", AppFixture.ADMIN_TOKEN,
                "{\"model\":\"candidate.yml\"}");
        assertThat(inside.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(inside.body()).path("candidateModel").asText()).isEqualTo("default@7");
        assertThat(call("POST", "/api/models/preview", AppFixture.ADMIN_TOKEN, "{\"model\":\""
                + models.resolve("candidate.yml") + "\"}").statusCode()).as("absolute, inside").isEqualTo(200);

        Path secret = Files.writeString(dir.resolve("secret.txt"), "name: payroll\nroot:x:0:0:root:/root:/bin/bash\n");
        String existing = call("POST", "/api/models/preview", AppFixture.ADMIN_TOKEN,
                "{\"model\":\"" + secret + "\"}").body();
        String missing = call("POST", "/api/models/preview", AppFixture.ADMIN_TOKEN,
                "{\"model\":\"" + dir.resolve("no-such-file.txt") + "\"}").body();
        String climbing = call("POST", "/api/models/preview", AppFixture.ADMIN_TOKEN,
                "{\"model\":\"../secret.txt\"}").body();
        String system = call("POST", "/api/models/preview", AppFixture.ADMIN_TOKEN, "{\"model\":\"/etc/passwd\"}").body();
        assertThat(existing).isEqualTo(missing).isEqualTo(climbing).isEqualTo(system)
                .contains("model files are read only from the models folder").doesNotContain("root:");
        Files.createSymbolicLink(models.resolve("link.yml"), secret);
        assertThat(call("POST", "/api/models/preview", AppFixture.ADMIN_TOKEN, "{\"model\":\"link.yml\"}").body())
                .as("a link out of the folder").isEqualTo(existing);
    }

    @Test
    void listensOnLoopbackOnlyByDefault() throws Exception {
        assertThat(server.host()).isEqualTo("127.0.0.1");
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).findFirst();
        if (external.isPresent()) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(external.get(), server.port()), 2000);
                }
            }).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void refusesToServeWithoutAnyToken() throws Exception {
        Path config = AppFixture.config(dir, hubspot.baseUrl().toString(), "t",
                "jdbc:h2:mem:no-tokens-" + System.nanoTime(), "0 0 3 * * ?");
        String text = Files.readString(config);
        Files.writeString(config, text.substring(0, text.indexOf("  api:\n")) + text.substring(text.indexOf("  database:")));

        assertThatThrownBy(() -> Server.start(config, Map.of("micronaut.server.port", 0)))
                .isInstanceOf(Server.StartupFailure.class)
                .hasMessageStartingWith("invalid configuration: leadsync.api.tokens is required to serve the HTTP API");
    }

    @Test
    void refusesAGuessableTokenNamingItsKey() throws Exception {
        Path config = AppFixture.config(dir, hubspot.baseUrl().toString(), "t",
                "jdbc:h2:mem:short-token-" + System.nanoTime(), "0 0 3 * * ?");
        Files.writeString(config, Files.readString(config).replace(AppFixture.READ_TOKEN, "letmein"));

        assertThatThrownBy(() -> Server.start(config, Map.of("micronaut.server.port", 0)))
                .isInstanceOf(Server.StartupFailure.class)
                .hasMessage("invalid configuration: leadsync.api.tokens[1].token must be at least 16 characters");
    }

    @Test
    void recordsWhichCallerStartedARunByNameNotByToken() throws Exception {
        JsonNode run = JSON.readTree(call("POST", "/api/jobs/full-sync/run?wait=true", AppFixture.ADMIN_TOKEN, null)
                .body());
        assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.path("trigger").asText()).isEqualTo("api:test-admin");
        assertThat(call("GET", "/api/runs", AppFixture.READ_TOKEN, null).body()).contains("api:test-admin")
                .doesNotContain(AppFixture.ADMIN_TOKEN);
    }
}
