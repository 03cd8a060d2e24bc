package io.leadsync.connector.rest;

import io.leadsync.connector.Activity;
import io.leadsync.connector.ActivityTypes;
import io.leadsync.connector.Page;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.testkit.SourceConnectorContract;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.rest.EventsApiSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example manifest config/connectors/product-events.yml passes the source contract against its simulator.
 * Its stream holds activities, so the contract's "person stream" is the events stream here.
 */
class EventsStyleContractIT extends SourceConnectorContract {
    private EventsApiSimulator api;
    private RestFixture fixture;

    @BeforeEach
    void start() {
        api = EventsApiSimulator.start();
        api.seed(new SandboxDataGenerator(9).generate(200), 200, 9, Instant.parse("2026-11-20T00:00:00Z"));
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
        settings.put("type", "product-events");
        settings.put("base-url", baseUrl);
        settings.put("token", token);
        return fixture.source(RestFixture.example("product-events.yml"), "product-events", settings);
    }

    @Override
    protected SourceConnector connector() {
        return source(EventsApiSimulator.TOKEN, api.baseUrl().toString());
    }

    @Override
    protected SourceConnector connectorWithBadCredentials() {
        return source("wrong-token", api.baseUrl().toString());
    }

    @Override
    protected SourceConnector connectorForUnreachableHost() {
        return source(EventsApiSimulator.TOKEN, "http://127.0.0.1:9", 1);
    }

    @Override
    protected StreamId personStream() {
        return new StreamId("product-events", "events");
    }

    @Override
    protected Duration overlap() {
        return Duration.ofMinutes(10);
    }

    @Test
    void mapsEventNamesToCanonicalActivityTypesAndNamesThePersonByEmail() {
        List<SourceRecord> records;
        try (var pages = connector().read(personStream(), null)) {
            records = pages.flatMap(page -> page.items().stream()).toList();
        }
        assertThat(records).hasSize(api.size()).allSatisfy(record -> {
            Activity activity = (Activity) record.value();
            assertThat(activity.person().email()).contains("@");
            assertThat(activity.properties()).containsKey("event");
        });
        assertThat(records.stream().map(r -> ((Activity) r.value()).type()).distinct())
                .contains(ActivityTypes.PRICING_PAGE_VIEW, ActivityTypes.PRODUCT_USAGE);
    }

    @Test
    void asksOnlyForEventsSinceTheCursorMinusTheOverlap() {
        SourceConnector source = connector();
        List<Page<SourceRecord>> pages;
        try (var read = source.read(personStream(), null)) {
            pages = read.toList();
        }
        api.add("user-x", "new.person@acme.io", "Requested Demo", Instant.parse("2026-11-21T09:00:00Z"), Map.of());

        List<SourceRecord> next;
        try (var read = source.read(personStream(), pages.get(pages.size() - 1).next())) {
            next = read.flatMap(page -> page.items().stream()).toList();
        }

        assertThat(next).extracting(r -> ((Activity) r.value()).person().email()).contains("new.person@acme.io");
        assertThat(next.size()).isLessThan(api.size() / 2);
        assertThat(api.requests().get(api.requests().size() - 1).query()).containsKey("since");
    }
}
