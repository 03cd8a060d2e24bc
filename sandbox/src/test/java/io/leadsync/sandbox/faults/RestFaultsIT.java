package io.leadsync.sandbox.faults;

import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.rest.EventsApiSimulator;
import io.leadsync.sandbox.rest.PersonsApiSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;

import static io.leadsync.sandbox.faults.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The REST simulators of the declarative connector take the same faults, in their vendors' shapes. */
class RestFaultsIT {
    private PersonsApiSimulator persons;
    private EventsApiSimulator events;

    @AfterEach
    void stop() {
        if (persons != null) {
            persons.close();
        }
        if (events != null) {
            events.close();
        }
    }

    private HttpResponse<String> persons() throws Exception {
        return Http.send("GET", URI.create(persons.baseUrl() + "/v1/persons?api_token=" + PersonsApiSimulator.TOKEN),
                null);
    }

    private HttpResponse<String> events() throws Exception {
        return Http.send("GET", URI.create(events.baseUrl() + "/v1/events?limit=5"), null, "Authorization",
                "Bearer " + EventsApiSimulator.TOKEN);
    }

    @Test
    void aPersonsApiRateLimitsWithRetryAfterAndItsBody() throws Exception {
        persons = PersonsApiSimulator.start();
        persons.seed(new SandboxDataGenerator(3).generate(5), 5);
        persons.faults().add(FaultRule.rateLimit().withCount(1));

        HttpResponse<String> limited = persons();

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(limited).path("error").asText()).isEqualTo("Request over limit");
        assertThat(json(persons()).path("data")).hasSize(5);
        assertThat(persons.faults().stats().injected(FaultKind.RATE_LIMIT)).isEqualTo(1);
        assertThat(persons.faults().stats().reads()).isEqualTo(2);
    }

    @Test
    void anExpiredTokenAnswersTheVendors401UntilCleared() throws Exception {
        events = EventsApiSimulator.start();
        events.add("u-1", "a@acme.io", "Signed Up", Instant.parse("2026-11-20T10:00:00Z"), java.util.Map.of());
        events.faults().add(FaultRule.expireToken().withCount(1));

        assertThat(events().statusCode()).isEqualTo(401);
        HttpResponse<String> still = events();
        assertThat(still.statusCode()).isEqualTo(401);
        assertThat(json(still).path("error").asText()).isEqualTo("unauthorized");
        events.faults().clear();
        assertThat(json(events()).path("events")).hasSize(1);
    }

    @Test
    void serverErrorsCarryTheVendorsErrorShapeAndPartialBatchesDoNotApply() throws Exception {
        persons = PersonsApiSimulator.start();
        persons.faults().add(FaultRule.serverError(503).withCount(1));

        HttpResponse<String> failed = persons();

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(json(failed).path("success").asBoolean(true)).isFalse();
        assertThat(json(failed).path("errorCode").asInt()).isEqualTo(503);
        assertThatThrownBy(() -> persons.faults().add(FaultRule.partialBatch(0.5)))
                .hasMessageContaining("PARTIAL_BATCH does not apply");
    }
}
