package io.leadsync.connector.http;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.leadsync.connector.AuthenticationException;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.Secret;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared HTTP client against WireMock: credentials on the wire, retries as the policy says, refresh on 401. */
class ApiClientIT {
    private static final String SECRET = "s3cret-value-7f2a";
    private WireMockServer server;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        server.stop();
    }

    private ApiClient client(Authenticator authenticator, RetryPolicy policy, int attempts) {
        return new ApiClient(camel, new CallGuard("crm-main", "Acme CRM", policy, CallGuard.Settings.of(attempts)),
                URI.create(server.baseUrl()), authenticator, "Check the API key.");
    }

    private ApiClient client(Authenticator authenticator) {
        return client(authenticator, RetryPolicy.standard(Set.of(429, 503), Duration.ofMillis(10)), 3);
    }

    @Test
    void sendsABearerToken() {
        server.stubFor(get("/people").willReturn(okJson("{\"data\":[]}")));
        assertThat(client(Authenticator.bearer(Secret.of(SECRET))).get("/people", Map.of()).status()).isEqualTo(200);
        server.verify(getRequestedFor(urlEqualTo("/people")).withHeader("Authorization", equalTo("Bearer " + SECRET)));
    }

    @Test
    void sendsBasicCredentials() {
        server.stubFor(get("/people").willReturn(okJson("{}")));
        client(Authenticator.basic("svc-leadsync", Secret.of(SECRET))).get("/people", Map.of());
        server.verify(getRequestedFor(urlEqualTo("/people")).withBasicAuth(
                new com.github.tomakehurst.wiremock.client.BasicCredentials("svc-leadsync", SECRET)));
    }

    @Test
    void sendsAnApiKeyInAHeaderOrInTheQuery() {
        server.stubFor(get(urlPathEqualTo("/people")).willReturn(okJson("{}")));
        client(Authenticator.apiKeyHeader("X-Api-Key", Secret.of(SECRET))).get("/people", Map.of("limit", "5"));
        client(Authenticator.apiKeyQuery("api_token", Secret.of(SECRET))).get("/people", Map.of("limit", "5"));
        server.verify(getRequestedFor(urlPathEqualTo("/people")).withHeader("X-Api-Key", equalTo(SECRET))
                .withQueryParam("limit", equalTo("5")));
        server.verify(getRequestedFor(urlPathEqualTo("/people")).withQueryParam("api_token", equalTo(SECRET))
                .withHeader("X-Api-Key", absent()));
    }

    @Test
    void fetchesAnOAuthTokenOnceAndFetchesAgainAfterA401() {
        server.stubFor(post("/oauth/token").inScenario("tokens").whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(containing("grant_type=client_credentials"))
                .withRequestBody(containing("client_id=leadsync"))
                .willReturn(okJson("{\"access_token\":\"first\",\"expires_in\":3600}")).willSetStateTo("issued"));
        server.stubFor(post("/oauth/token").inScenario("tokens").whenScenarioStateIs("issued")
                .willReturn(okJson("{\"access_token\":\"second\",\"expires_in\":3600}")));
        server.stubFor(get("/people").withHeader("Authorization", equalTo("Bearer first"))
                .willReturn(okJson("{\"page\":1}")));
        server.stubFor(get("/people").withHeader("Authorization", equalTo("Bearer second"))
                .willReturn(okJson("{\"page\":2}")));
        ApiClient tokens = client(Authenticator.none());
        ApiClient api = client(Authenticator.oauth2ClientCredentials(tokens, URI.create(server.baseUrl() + "/oauth/token"),
                "leadsync", Secret.of(SECRET), "read"));

        assertThat(api.get("/people", Map.of()).body().path("page").asInt()).isEqualTo(1);
        assertThat(api.get("/people", Map.of()).body().path("page").asInt()).isEqualTo(1);
        server.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));

        server.stubFor(get("/people").withHeader("Authorization", equalTo("Bearer first"))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid_token\"}")));
        assertThat(api.get("/people", Map.of()).body().path("page").asInt()).as("refreshed once after the 401")
                .isEqualTo(2);
        server.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void reportsRefusedCredentialsWithoutShowingThem() {
        server.stubFor(get(urlPathEqualTo("/people")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"unauthorized\",\"error_description\":\"bad key\"}")));
        assertThatThrownBy(() -> client(Authenticator.apiKeyQuery("api_token", Secret.of(SECRET))).get("/people", Map.of()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("Acme CRM rejected the credentials of crm-main (unauthorized: bad key). Check the API key.")
                .message().doesNotContain(SECRET);
    }

    @Test
    void retriesAsTheStandardPolicySaysHonouringRetryAfter() {
        server.stubFor(get("/people").inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")).willSetStateTo("calm"));
        server.stubFor(get("/people").inScenario("busy").whenScenarioStateIs("calm").willReturn(okJson("{\"ok\":true}")));

        assertThat(client(Authenticator.none()).get("/people", Map.of()).body().path("ok").asBoolean()).isTrue();
        server.verify(2, getRequestedFor(urlEqualTo("/people")));
    }

    @Test
    void givesUpAfterTheLastAttemptNamingTheCallAndStatus() {
        server.stubFor(get("/people").willReturn(aResponse().withStatus(503).withBody("{\"message\":\"maintenance\"}")));
        ApiClient client = client(Authenticator.none());
        assertThatThrownBy(() -> client.get("/people", Map.of())).isInstanceOf(ConnectorException.class)
                .hasMessage("Acme CRM answered GET /people with 503 after 3 attempts: maintenance");
        assertThat(client.requestCount()).isEqualTo(3);
    }

    @Test
    void returnsWhatThePolicyDoesNotRetry() {
        server.stubFor(get("/people/9").willReturn(aResponse().withStatus(404).withBody("[{\"errorCode\":\"NOT_FOUND\","
                + "\"message\":\"The requested resource does not exist\"}]")));
        ApiResponse response = client(Authenticator.none()).get("/people/9", Map.of());
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.category()).isEqualTo("NOT_FOUND");
        assertThat(response.message()).isEqualTo("The requested resource does not exist");
    }

    @Test
    void followsAnAbsoluteNextLinkWithItsOwnQuery() {
        server.stubFor(get(urlPathEqualTo("/v1/events")).withQueryParam("cursor", equalTo("abc"))
                .willReturn(okJson("{\"events\":[1]}")));
        ApiResponse response = client(Authenticator.apiKeyHeader("X-Key", Secret.of(SECRET)))
                .get(server.baseUrl() + "/v1/events?cursor=abc", Map.of());
        assertThat(response.body().path("events").size()).isEqualTo(1);
        server.verify(getRequestedFor(urlPathEqualTo("/v1/events")).withHeader("X-Key", equalTo(SECRET)));
    }

    @Test
    void streamsALargeAnswerLineByLineWithoutHoldingIt() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            body.append("{\"n\":").append(i).append("}\n");
        }
        server.stubFor(get(urlPathEqualTo("/export")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody(body.toString())));

        long lines;
        try (StreamedResponse response = client(Authenticator.basic("sa", Secret.of(SECRET)))
                .openStream(ApiRequest.get("/export", Map.of("from_date", "2026-11-20")));
             var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body()))) {
            lines = reader.lines().count();
        }
        assertThat(lines).isEqualTo(20_000);
        server.verify(getRequestedFor(urlPathEqualTo("/export")).withQueryParam("from_date", equalTo("2026-11-20")));
    }

    @Test
    void retriesAStreamedCallAsThePolicySaysAndFailsOnOtherErrors() throws Exception {
        server.stubFor(get("/export").inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")
                        .withBody("{\"error\":\"too many requests\"}")).willSetStateTo("calm"));
        server.stubFor(get("/export").inScenario("busy").whenScenarioStateIs("calm").willReturn(aResponse()
                .withStatus(200).withBody("{\"a\":1}\n")));
        ApiClient client = client(Authenticator.none());
        try (StreamedResponse response = client.openStream(ApiRequest.get("/export", Map.of()))) {
            assertThat(new String(response.body().readAllBytes())).isEqualTo("{\"a\":1}\n");
        }
        server.stubFor(get("/broken").willReturn(aResponse().withStatus(400).withBody("{\"error\":\"bad from_date\"}")));
        assertThatThrownBy(() -> client.openStream(ApiRequest.get("/broken", Map.of())))
                .isInstanceOf(ApiException.class).hasMessage("Acme CRM answered GET /broken with 400 bad from_date:"
                        + " bad from_date");
    }

    @Test
    void keepsCallsUnderTheLimitItIsGivenWithoutA429() {
        server.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson("{}")));
        server.stubFor(get(urlPathEqualTo("/other")).willReturn(okJson("{}")));
        ApiClient client = client(Authenticator.none());
        client.guard().limitedBy(RequestLimiter.builder()
                .limit("search", 2, Duration.ofMillis(500), request -> request.path().equals("/search")).build());

        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            client.get("/search", Map.of());
        }
        long searchMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            client.get("/other", Map.of());
        }
        long otherMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(searchMillis).as("2 per 500 ms, spread: one every 250 ms").isGreaterThanOrEqualTo(900);
        assertThat(otherMillis).as("calls the limit does not select are not held").isLessThan(900);
    }

    @Test
    void namesAnUnreachableHost() {
        ApiClient client = new ApiClient(camel, new CallGuard("crm-main", "Acme CRM",
                RetryPolicy.standard(Set.of(), Duration.ZERO), CallGuard.Settings.of(1)), URI.create("http://127.0.0.1:9"),
                Authenticator.none(), "");
        assertThatThrownBy(() -> client.get("/people", Map.of())).isInstanceOf(ConnectorException.class)
                .hasMessageStartingWith("cannot reach Acme CRM for GET /people (crm-main) after 1 attempts: no answer from"
                        + " http://127.0.0.1:9");
    }

    @Test
    void readsAnUnreadableSuccessfulAnswerAgainThenSucceeds() {
        server.stubFor(get("/people").inScenario("proxy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                        .withBody("<html>502 Bad Gateway</html>")).willSetStateTo("fixed"));
        server.stubFor(get("/people").inScenario("proxy").whenScenarioStateIs("fixed")
                .willReturn(okJson("{\"data\":[1]}")));
        ApiClient client = client(Authenticator.none());

        ApiResponse response = client.get("/people", Map.of());

        assertThat(response.body().path("data").size()).isEqualTo(1);
        assertThat(client.guard().stats().malformed()).isEqualTo(1);
        assertThat(client.guard().stats().retries()).isEqualTo(1);
    }

    @Test
    void failsACallWhoseSuccessfulAnswersAreNeverReadableNamingItAndShowingTheBody() {
        server.stubFor(get("/people").willReturn(aResponse().withStatus(200)
                .withBody("{\"data\":[{\"id\":1,\"name\":\"Ann\"},{\"id\":2,\"na")));
        ApiClient client = client(Authenticator.none());

        assertThatThrownBy(() -> client.get("/people", Map.of())).isInstanceOf(MalformedResponseException.class)
                .hasMessage("Acme CRM answered GET /people (crm-main) with 200 and a body that is not JSON, 3 times:"
                        + " '{\"data\":[{\"id\":1,\"name\":\"Ann\"},{\"id\":2,\"na'");
        assertThat(client.requestCount()).isEqualTo(3);
    }

    @Test
    void masksCredentialsInTheSampleOfAnUnreadableBody() {
        server.stubFor(get("/people").willReturn(aResponse().withStatus(200)
                .withBody("<html>debug: api_key=" + SECRET + "&user=ann</html>")));
        ApiClient client = client(Authenticator.none());

        assertThatThrownBy(() -> client.get("/people", Map.of())).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("api_key=******&user=ann").hasMessageNotContaining(SECRET);
    }

    @Test
    void takesAStreamedHtmlPageForAnUnreadableAnswerNotForBadLines() {
        server.stubFor(get("/export").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("<html>\n<body>Service temporarily unavailable</body>\n</html>\n")));
        ApiClient client = client(Authenticator.none());

        assertThatThrownBy(() -> client.openStream(ApiRequest.get("/export", Map.of())))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("Acme CRM answered GET /export (crm-main) with 200 and a body that is not JSON");
        assertThat(client.requestCount()).isEqualTo(3);
    }

    @Test
    void streamsJsonLinesWhoseFirstLineIsJson() throws Exception {
        server.stubFor(get("/export").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
                .withBody("{\"event\":\"a\"}\nnot json\n{\"event\":\"b\"}\n")));
        ApiClient client = client(Authenticator.none());

        try (StreamedResponse response = client.openStream(ApiRequest.get("/export", Map.of()));
             LineReader lines = new LineReader(new java.io.InputStreamReader(response.body(),
                     java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("{\"event\":\"a\"}");
            assertThat(lines.readLine()).as("a bad line later is the connector's to judge").isEqualTo("not json");
            assertThat(lines.readLine()).isEqualTo("{\"event\":\"b\"}");
            assertThat(lines.lastLineTerminated()).isTrue();
            assertThat(lines.readLine()).isNull();
        }
    }

    @Test
    void opensTheCircuitOfAVendorThatKeepsFailingAndThenRefusesCallsWithoutSendingThem() {
        server.stubFor(get("/people").willReturn(aResponse().withStatus(503).withBody("{\"message\":\"down\"}")));
        ApiClient client = new ApiClient(camel, new CallGuard("crm-main", "Acme CRM",
                RetryPolicy.standard(Set.of(503), Duration.ofMillis(1)), CallGuard.Settings.of(3)),
                URI.create(server.baseUrl()), Authenticator.none(), "");

        assertThatThrownBy(() -> client.get("/people", Map.of())).hasMessageContaining("with 503 after 3 attempts");
        assertThatThrownBy(() -> client.get("/people", Map.of())).isInstanceOf(VendorUnavailableException.class)
                .hasMessageContaining("Acme CRM looks unavailable to crm-main")
                .hasMessageContaining("GET /people was not sent (circuit open");
        int sent = server.getAllServeEvents().size();
        assertThatThrownBy(() -> client.get("/people", Map.of())).isInstanceOf(VendorUnavailableException.class);
        assertThat(server.getAllServeEvents()).as("no call sent while the circuit is open").hasSize(sent);
        assertThat(client.guard().stats().circuit()).isEqualTo("OPEN");
        assertThat(client.guard().stats().rejected()).isEqualTo(2);
        assertThat(client.guard().stats().serverErrors()).isEqualTo(5);
    }

    @Test
    void aStormOfRateLimitAnswersNeverOpensTheCircuit() {
        server.stubFor(get("/people").inScenario("storm").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")).willSetStateTo("2"));
        server.stubFor(get("/people").inScenario("storm").whenScenarioStateIs("2")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")).willSetStateTo("3"));
        server.stubFor(get("/people").inScenario("storm").whenScenarioStateIs("3")
                .willReturn(okJson("{}")).willSetStateTo(Scenario.STARTED));
        ApiClient client = client(Authenticator.none());

        for (int i = 0; i < 4; i++) {
            assertThat(client.get("/people", Map.of()).status()).isEqualTo(200);
        }
        assertThat(client.guard().stats().rateLimited()).isEqualTo(8);
        assertThat(client.guard().stats().circuit()).isEqualTo("CLOSED");
    }

    @Test
    void waitsThroughMoreRateLimitAnswersThanErrorsBeforeGivingUp() {
        for (int i = 0; i < 6; i++) {
            server.stubFor(get("/people").inScenario("busy").whenScenarioStateIs(i == 0 ? Scenario.STARTED : "s" + i)
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")).willSetStateTo("s" + (i + 1)));
        }
        server.stubFor(get("/people").inScenario("busy").whenScenarioStateIs("s6").willReturn(okJson("{}")));
        ApiClient client = client(Authenticator.none());

        assertThat(client.get("/people", Map.of()).status()).as("six 429s in a row, 3 attempts for errors")
                .isEqualTo(200);
        assertThat(client.requestCount()).isEqualTo(7);
    }

    @Test
    void leavesABadFirstLineAmongGoodOnesToTheConnector() throws Exception {
        server.stubFor(get("/export").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
                .withBody("{\"event\":\"cut\",\"properties\":{\"time\":17\n{\"event\":\"b\"}\n")));
        ApiClient client = client(Authenticator.none());

        try (StreamedResponse response = client.openStream(ApiRequest.get("/export", Map.of()))) {
            assertThat(new String(response.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .startsWith("{\"event\":\"cut\"");
        }
        assertThat(client.requestCount()).isEqualTo(1);
    }
}
