package io.leadsync.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.sandbox.faults.FaultKind;
import io.leadsync.sandbox.faults.FaultPlan;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SandboxMain runs the three seeded simulators with the faults asked for at start, and says where they are. */
class SandboxMainIT {
    private static final String[] FREE_PORTS = {"--hubspot-port", "0", "--salesforce-port", "0", "--mixpanel-port",
        "0", "--contacts", "20"};
    private final HttpClient http = HttpClient.newHttpClient();

    private static String[] args(String... more) {
        String[] all = new String[FREE_PORTS.length + more.length];
        System.arraycopy(FREE_PORTS, 0, all, 0, FREE_PORTS.length);
        System.arraycopy(more, 0, all, FREE_PORTS.length, more.length);
        return all;
    }

    @Test
    void startsTheSeededSimulatorsWithTheFaultsAskedForAndPrintsWhereTheyAre() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        try (Sandbox sandbox = SandboxMain.start(args("--fault", "hubspot:RATE_LIMIT,count=1", "--fault",
                "salesforce:EXPIRE_TOKEN,skip=10", "--fault-seed", "7"), new PrintStream(printed, true,
                StandardCharsets.UTF_8))) {
            String output = printed.toString(StandardCharsets.UTF_8);
            assertThat(output).contains("HubSpot simulator on " + sandbox.hubspot().baseUrl() + ": token 'sandbox-token',"
                    + " 20 contacts");
            assertThat(output).contains("  control: " + sandbox.hubspot().controlUrl() + "/faults (GET, PUT, POST,"
                    + " DELETE), " + sandbox.hubspot().controlUrl() + "/stats; faults now: [RATE_LIMIT,count=1]");
            assertThat(output).contains("Salesforce simulator on " + sandbox.salesforce().baseUrl());
            assertThat(output).contains("Pub/Sub API (Change Data Capture, gRPC in plaintext) on 127.0.0.1:"
                    + sandbox.salesforce().pubSub().port());
            assertThat(output).contains("Mixpanel simulator on " + sandbox.mixpanel().baseUrl());
            assertThat(output).contains("Faults' seed 7.");
            assertThat(sandbox.hubspot().contacts()).hasSize(20);
            assertThat(sandbox.salesforce().records("Lead")).isNotEmpty();
            assertThat(sandbox.salesforce().faults().plan()).isEqualTo(FaultPlan.of(7,
                    FaultRule.expireToken().withSkip(10)));
            assertThat(sandbox.mixpanel().faults().plan()).isEqualTo(FaultPlan.of(7));

            HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(sandbox.hubspot().baseUrl()
                            + "/crm/v3/objects/contacts")).header("Authorization", "Bearer "
                            + HubSpotSimulator.Options.DEFAULT_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(429);
            String view = http.send(HttpRequest.newBuilder(URI.create(sandbox.hubspot().controlUrl() + "/faults"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(new ObjectMapper().readTree(view).path("rules").get(0).path("fired").asInt()).isEqualTo(1);
            assertThat(sandbox.hubspot().faults().stats().injected(FaultKind.RATE_LIMIT)).isEqualTo(1);
        }
    }

    @Test
    void subscribesHubSpotsWebhooksFromTheStartWhenAsked() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        try (Sandbox sandbox = SandboxMain.start(args("--hubspot-webhook-url",
                "http://127.0.0.1:8080/webhooks/hubspot/hubspot-main", "--hubspot-client-secret", "s3cret-app"),
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            assertThat(sandbox.hubspot().webhooks().settings().targetUrl())
                    .isEqualTo(URI.create("http://127.0.0.1:8080/webhooks/hubspot/hubspot-main"));
            assertThat(sandbox.hubspot().webhooks().settings().clientSecret()).isEqualTo("s3cret-app");
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("  webhooks: contact changes to"
                    + " http://127.0.0.1:8080/webhooks/hubspot/hubspot-main, signed v3").doesNotContain("s3cret-app");
        }
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SandboxMain.start(args("--hubspot-webhook-url", "localhost:8080/x"), quiet))
                .hasMessage("--hubspot-webhook-url must be an absolute http(s) URL but was 'localhost:8080/x'");
    }

    @Test
    void refusesBadOptionsWithTheReason() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SandboxMain.start(args("--fault", "RATE_LIMIT"), quiet))
                .hasMessageContaining("start it with the simulator it is for, hubspot:, salesforce: or mixpanel:");
        assertThatThrownBy(() -> SandboxMain.start(args("--fault", "hubspot:RATE_LIMIT,share=3"), quiet))
                .hasMessage("--fault hubspot:RATE_LIMIT,share=3: share must be between 0 and 1 but was 3.0");
        assertThatThrownBy(() -> SandboxMain.start(args("--fault", "mixpanel:EXPIRE_TOKEN"), quiet))
                .hasMessageContaining("EXPIRE_TOKEN does not apply to Mixpanel");
        assertThatThrownBy(() -> SandboxMain.start(args("--port", "8089"), quiet))
                .hasMessage("unknown option --port");
        assertThatThrownBy(() -> SandboxMain.start(args("--hubspot-port", "70000"), quiet))
                .hasMessageContaining("--hubspot-port must be a port");
        assertThatThrownBy(() -> SandboxMain.start(args("--seed"), quiet)).hasMessage("--seed needs a value");
    }
}
