package io.leadsync.app.api;

import io.leadsync.app.LeadsyncConfig;
import io.leadsync.app.internal.ConfigLoader;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.store.DatabaseSettings;
import io.leadsync.store.PersonLink;
import io.leadsync.store.Store;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The profile API shows the golden record the pipeline scores: built by the configured survivorship rules. */
class ProfilesControllerTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private final Store store = Store.open(DatabaseSettings.h2Memory("profiles-api-" + System.nanoTime()));

    @AfterEach
    void close() {
        store.close();
    }

    private static LeadsyncConfig config(String survivorship) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("sync.connectors.hubspot-main.type", "hubspot");
        properties.put("sync.connectors.hubspot-main.base-url", "http://127.0.0.1:9");
        properties.put("sync.connectors.hubspot-main.token", "t");
        properties.put("sync.jobs.full-sync.connectors", List.of("hubspot-main"));
        if (survivorship != null) {
            properties.put("leadsync.identity.survivorship.default", survivorship);
            properties.put("leadsync.identity.survivorship.source-priority", List.of("salesforce-main", "hubspot-main"));
        }
        return ConfigLoader.load(new PropertySourcePropertyResolver(PropertySource.of("test", properties)));
    }

    private void link(String source, String id, String title, Instant updatedAt) {
        StreamId stream = new StreamId(source, "contacts");
        Person person = Person.builder(new ExternalId(source, id), updatedAt).email("jo@acme.de").title(title).build();
        store.useTransaction(tx -> {
            tx.sourceRecords().upsert(List.of(SourceRecord.of(stream, person, updatedAt, "{}")), null, updatedAt);
            tx.profiles().create("p1", T0);
            tx.profiles().link(new PersonLink(person.id(), "contacts", "p1", "jo@acme.de", "email", T0, false));
        });
    }

    @SuppressWarnings("unchecked")
    private String goldenTitle(LeadsyncConfig config) {
        Map<String, Object> view = new ProfilesController(new io.leadsync.app.ops.ProfileOps(store, config)).profile("p1").body();
        return (String) ((Map<String, Object>) view.get("golden")).get("title");
    }

    @Test
    void theGoldenRecordFollowsTheConfiguredSurvivorship() {
        link("salesforce-main", "0035g00000AbCdEAAV", "VP Sales", T0);
        link("hubspot-main", "101", "Sales", T0.plusSeconds(3600));

        assertThat(goldenTitle(config(null))).isEqualTo("Sales");
        assertThat(goldenTitle(config("source-priority"))).isEqualTo("VP Sales");
    }
}
