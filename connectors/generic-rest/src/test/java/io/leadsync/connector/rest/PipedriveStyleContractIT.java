package io.leadsync.connector.rest;

import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.testkit.SourceConnectorContract;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.rest.PersonsApiSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The example manifest config/connectors/pipedrive-persons.yml passes the source contract against its simulator. */
class PipedriveStyleContractIT extends SourceConnectorContract {
    private PersonsApiSimulator api;
    private RestFixture fixture;

    @BeforeEach
    void start() {
        api = PersonsApiSimulator.start();
        api.seed(new SandboxDataGenerator(5).generate(260), 260);
        fixture = new RestFixture();
    }

    @AfterEach
    void stop() {
        fixture.close();
        api.close();
    }

    private SourceConnector source(String token, String baseUrl) {
        return source(token, baseUrl, 5);
    }

    private SourceConnector source(String token, String baseUrl, int attempts) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("retry", Map.of("max-attempts", Integer.toString(attempts)));
        settings.put("type", "pipedrive");
        settings.put("base-url", baseUrl);
        settings.put("api-token", token);
        settings.put("read", Map.of("streams", List.of("persons")));
        return fixture.source(RestFixture.example("pipedrive-persons.yml"), "pipedrive-main", settings);
    }

    @Override
    protected SourceConnector connector() {
        return source(PersonsApiSimulator.TOKEN, api.baseUrl().toString());
    }

    @Override
    protected SourceConnector connectorWithBadCredentials() {
        return source("wrong-token", api.baseUrl().toString());
    }

    @Override
    protected SourceConnector connectorForUnreachableHost() {
        SourceConnector unreachable = source(PersonsApiSimulator.TOKEN, "http://127.0.0.1:9", 1);
        return unreachable;
    }

    @Override
    protected StreamId personStream() {
        return new StreamId("pipedrive-main", "persons");
    }

    @Override
    protected Duration overlap() {
        return Duration.ofMinutes(5);
    }
}
