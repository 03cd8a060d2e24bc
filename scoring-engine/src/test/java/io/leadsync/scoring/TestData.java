package io.leadsync.scoring;

import io.leadsync.connector.Activity;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.PersonRef;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Persons, activities and models for the scoring tests; every instant is fixed. */
final class TestData {
    static final Instant AS_OF = Instant.parse("2025-06-02T09:00:00Z");
    static final ExternalId PERSON_ID = new ExternalId("hubspot-main", "51");

    private TestData() {
    }

    static Person.Builder person() {
        return Person.builder(PERSON_ID, AS_OF.minus(Duration.ofDays(1)));
    }

    static Person nobody() {
        return person().build();
    }

    static Instant daysAgo(double days) {
        return AS_OF.minus(Duration.ofSeconds(Math.round(days * 86_400)));
    }

    /** An activity whose id is derived from its content, as a connector's would be stable. */
    static Activity activity(String type, Instant occurredAt) {
        return activity(type, occurredAt, Map.of());
    }

    static Activity activity(String type, Instant occurredAt, Map<String, String> properties) {
        return new Activity(new ExternalId("hubspot-main", type + "-" + occurredAt.getEpochSecond()), type,
                occurredAt, PersonRef.of(PERSON_ID), properties);
    }

    /** A model named {@code test@1} with the given criteria sections and a single grade band D from 0. */
    static ScoringModel modelWith(String sections) {
        return ScoringModel.parse("name: test\nversion: 1\n" + sections + "\ngrades: {D: 0}\n", "test-model.yml");
    }
}
