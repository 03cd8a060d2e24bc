package io.leadsync.sandbox.faults;

import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.sandbox.mixpanel.MixpanelSimulator;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of docs/sandbox.md, run against the simulators: every curl call, every --fault, the Java lines. */
class SandboxDocIT {
    private static final Path DOC = Path.of("../docs/sandbox.md");
    private static final Pattern CURL = Pattern.compile("^curl(?: -X (\\w+))?(?: -H '([^']*)')?(?: --data '([^']*)')?"
            + " http://127\\.0\\.0\\.1:(\\d+)(/_sandbox/\\w+)$", Pattern.MULTILINE);
    private static final Pattern FAULT_OPTION = Pattern.compile("--fault (\\w+):(\\S+)");

    @Test
    void everyCurlCallOfTheDocIsAcceptedByTheSimulatorOfItsPort() throws Exception {
        String doc = Files.readString(DOC);
        try (HubSpotSimulator hubspot = HubSpotSimulator.start();
             SalesforceSimulator salesforce = SalesforceSimulator.start();
             MixpanelSimulator mixpanel = MixpanelSimulator.start()) {
            Map<String, URI> byDemoPort = Map.of("8089", hubspot.baseUrl(), "8091", salesforce.baseUrl(),
                    "8090", mixpanel.baseUrl());
            Matcher curl = CURL.matcher(doc);
            List<String> calls = new ArrayList<>();
            while (curl.find()) {
                String method = curl.group(1) != null ? curl.group(1) : curl.group(3) != null ? "POST" : "GET";
                URI target = URI.create(byDemoPort.get(curl.group(4)) + curl.group(5));
                String[] headers = curl.group(2) == null ? new String[0] : curl.group(2).split(": ", 2);
                HttpResponse<String> answer = Http.send(method, target, curl.group(3), headers);
                assertThat(answer.statusCode()).as(curl.group() + ": " + answer.body()).isEqualTo(200);
                calls.add(curl.group());
            }
            assertThat(calls).as("every curl call of the control endpoint in the doc").hasSize((int) doc.lines()
                    .filter(line -> line.startsWith("curl ") && line.contains("/_sandbox")).count()).hasSize(10);
            assertThat(hubspot.faults().plan().seed()).isEqualTo(7);
            assertThat(hubspot.faults().plan().rules()).extracting(FaultRule::kind).containsExactly(
                    FaultKind.RATE_LIMIT, FaultKind.DROP_AFTER, FaultKind.MALFORMED);
            assertThat(salesforce.faults().plan().rules()).as("cleared by the doc's DELETE").isEmpty();
            assertThat(mixpanel.faults().plan().rules()).singleElement().extracting(FaultRule::kind)
                    .isEqualTo(FaultKind.TRUNCATED);
        }
    }

    @Test
    void everyFaultOptionOfTheDocIsAValidRuleForItsSimulator() throws Exception {
        Matcher option = FAULT_OPTION.matcher(Files.readString(DOC));
        try (HubSpotSimulator hubspot = HubSpotSimulator.start();
             SalesforceSimulator salesforce = SalesforceSimulator.start();
             MixpanelSimulator mixpanel = MixpanelSimulator.start()) {
            Map<String, FaultInjector> injectors = Map.of("hubspot", hubspot.faults(), "salesforce",
                    salesforce.faults(), "mixpanel", mixpanel.faults());
            int found = 0;
            while (option.find()) {
                if (option.group(1).equals("SIM")) {
                    continue;
                }
                injectors.get(option.group(1)).add(FaultRule.parse(option.group(2)));
                found++;
            }
            assertThat(found).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void theDocsJavaLinesRun() throws Exception {
        String doc = Files.readString(DOC);
        try (HubSpotSimulator hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits())) {
            hubspot.faults().setPlan(FaultPlan.of(7, FaultRule.rateLimit().withShare(0.2)));
            hubspot.faults().add(FaultRule.dropAfter().on("POST", "/crm/v3/objects/tasks$").withCount(1));
            hubspot.faults().add(FaultRule.parse("TRUNCATED,method=GET,path=/crm/v3/objects/emails,cut=connection"));
            FaultStats stats = hubspot.faults().stats();
            RequestHook hook = hubspot.faults().onRequest("POST", "/crm/v3/objects/contacts/batch/update", 3,
                    RequestHook.Phase.AFTER, request -> { });
            assertThat(stats.requests()).isZero();
            assertThat(hook.awaitFired(Duration.ofMillis(1))).isFalse();
            hubspot.faults().clear();
            assertThat(hubspot.faults().plan().rules()).isEmpty();
        }
        for (String line : List.of(
                "hubspot.faults().setPlan(FaultPlan.of(7, FaultRule.rateLimit().withShare(0.2)));",
                "hubspot.faults().add(FaultRule.dropAfter().on(\"POST\", \"/crm/v3/objects/tasks$\").withCount(1));",
                "hubspot.faults().add(FaultRule.parse(\"TRUNCATED,method=GET,path=/crm/v3/objects/emails,cut=connection\"));",
                "FaultStats stats = hubspot.faults().stats();",
                "RequestHook hook = hubspot.faults().onRequest(\"POST\", \"/crm/v3/objects/contacts/batch/update\", 3,",
                "hook.awaitFired(Duration.ofMinutes(1));",
                "hubspot.faults().clear();")) {
            assertThat(doc).as("the doc shows what this test runs").contains(line);
        }
    }

    @Test
    void theDocsPubSubLinesRun() throws Exception {
        String doc = Files.readString(DOC);
        try (SalesforceSimulator salesforce = SalesforceSimulator.start()) {
            String leadId = salesforce.create("Lead", Map.of("LastName", "Doc", "Company", "Acme"));
            int port = salesforce.pubSub().port();
            salesforce.pubSub().gap("Lead", "GAP_UPDATE", List.of(leadId));
            salesforce.pubSub().overflow("Contact");
            salesforce.pubSub().retention(Duration.ZERO);
            salesforce.expireSessions();
            assertThat(port).isPositive();
            assertThat(salesforce.pubSub().events().stream().map(e -> e.changeType()))
                    .containsExactly("CREATE", "GAP_UPDATE", "GAP_OVERFLOW");
        }
        for (String line : List.of(
                "SalesforceSimulator salesforce = SalesforceSimulator.start();",
                "int port = salesforce.pubSub().port();",
                "salesforce.pubSub().gap(\"Lead\", \"GAP_UPDATE\", List.of(leadId));",
                "salesforce.pubSub().overflow(\"Contact\");",
                "salesforce.pubSub().retention(Duration.ZERO);",
                "salesforce.expireSessions();")) {
            assertThat(doc).as("the doc shows what this test runs").contains(line);
        }
    }
}
