package io.leadsync.app;

import io.leadsync.app.internal.ConfigLoader;
import io.leadsync.app.internal.Connectors;
import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invalid configuration stops start-up with the full key and what was expected. */
class ConfigValidationTest {

    private static Map<String, Object> valid() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("sync.connectors.hubspot-main.type", "hubspot");
        properties.put("sync.connectors.hubspot-main.base-url", "http://127.0.0.1:9");
        properties.put("sync.connectors.hubspot-main.token", "secret-token-123");
        properties.put("sync.connectors.hubspot-main.read.streams", List.of("contacts"));
        properties.put("sync.connectors.hubspot-main.write.tasks.enabled", "true");
        properties.put("sync.jobs.full-sync.schedule", "0 */15 * * * ?");
        properties.put("sync.jobs.full-sync.connectors", List.of("hubspot-main"));
        return properties;
    }

    private static LeadsyncConfig load(Map<String, Object> properties) {
        return ConfigLoader.load(new PropertySourcePropertyResolver(PropertySource.of("test", properties)));
    }

    private static Connectors connect(Map<String, Object> properties) {
        LeadsyncConfig config = load(properties);
        return Connectors.create(config.connectors(), Connectors.discoverFactories(),
                ConnectorContext.of(Clock.systemUTC(), new DefaultCamelContext()));
    }

    @Test
    void acceptsTheValidConfigAndCreatesItsConnectors() {
        LeadsyncConfig config = load(valid());
        assertThat(config.jobs()).containsOnlyKeys("full-sync");
        assertThat(config.database().url()).startsWith("jdbc:h2:file:./data/leadsync;MODE=PostgreSQL");
        try (Connectors connectors = connect(valid())) {
            assertThat(connectors.sources()).containsOnlyKeys("hubspot-main");
            assertThat(connectors.sinks()).containsOnlyKeys("hubspot-main");
        }
    }

    @Test
    void readsDatedOutcomesVerdictsAndTheRecalibrationAndNamesTheKeyOfABadOne() {
        Map<String, Object> properties = valid();
        properties.put("leadsync.scoring.outcome.field", "lifecyclestage");
        properties.put("leadsync.scoring.outcome.converted", List.of("customer"));
        properties.put("leadsync.scoring.outcome.date-field", "hs_lifecyclestage_customer_date");
        properties.put("leadsync.scoring.verdicts.field", "lead_quality");
        properties.put("leadsync.scoring.recalibration.horizon", "60d");
        LeadsyncConfig.Scoring scoring = load(properties).scoring();
        assertThat(scoring.outcomeDateField()).isEqualTo("hs_lifecyclestage_customer_date");
        assertThat(scoring.verdicts()).isEqualTo(new LeadsyncConfig.Verdicts("lead_quality", List.of("good"),
                List.of("bad")));
        assertThat(scoring.recalibration().schedule()).isEqualTo("0 0 6 1 * ?");
        assertThat(scoring.recalibration().horizon()).isEqualTo(java.time.Duration.ofDays(60));

        properties.put("leadsync.scoring.recalibration.schedule", "monthly");
        assertThatThrownBy(() -> load(properties)).hasMessageStartingWith("leadsync.scoring.recalibration.schedule"
                + " 'monthly' is no Quartz cron expression");
        properties.remove("leadsync.scoring.recalibration.schedule");
        properties.put("leadsync.scoring.verdicts.goood", List.of("yes"));
        assertThatThrownBy(() -> load(properties)).hasMessageContaining("leadsync.scoring.verdicts")
                .hasMessageContaining("goood");
    }

    @Test
    void createsADeclarativeConnectorFromTheShippedManifests() {
        Map<String, Object> properties = valid();
        properties.put("sync.connectors.pipedrive-main.type", "pipedrive");
        properties.put("sync.connectors.pipedrive-main.api-token", "pd-token");
        properties.put("sync.connectors.pipedrive-main.read.streams", List.of("persons"));
        LeadsyncConfig config = load(properties);
        try (Connectors connectors = Connectors.create(config.connectors(),
                Connectors.discoverFactories(java.nio.file.Path.of("../config/connectors")),
                ConnectorContext.of(Clock.systemUTC(), new DefaultCamelContext()))) {
            assertThat(connectors.sources()).containsKeys("hubspot-main", "pipedrive-main");
            assertThat(connectors.source("pipedrive-main").orElseThrow().descriptor().streams()).containsExactly("persons");
        }
    }

    @Test
    void namesTheKeyOfAMissingDeclarativeSetting() {
        Map<String, Object> properties = valid();
        properties.put("sync.connectors.pipedrive-main.type", "pipedrive");
        properties.put("sync.connectors.pipedrive-main.read.streams", List.of("persons"));
        LeadsyncConfig config = load(properties);
        assertThatThrownBy(() -> Connectors.create(config.connectors(),
                Connectors.discoverFactories(java.nio.file.Path.of("../config/connectors")),
                ConnectorContext.of(Clock.systemUTC(), new DefaultCamelContext())))
                .hasMessage("sync.connectors.pipedrive-main.api-token is required by connector type 'pipedrive'"
                        + " (../config/connectors/pipedrive-persons.yml); set PIPEDRIVE_TOKEN, e.g. api-token:"
                        + " ${PIPEDRIVE_TOKEN}");
    }

    @Test
    void namesTheKeyOfAMissingToken() {
        Map<String, Object> properties = valid();
        properties.remove("sync.connectors.hubspot-main.token");
        assertThatThrownBy(() -> connect(properties)).isInstanceOf(ConfigException.class)
                .hasMessage("sync.connectors.hubspot-main.token is required (set HUBSPOT_TOKEN, which the example"
                        + " config reads as ${HUBSPOT_TOKEN})");
    }

    @Test
    void readsTheEventSwitchesAndNamesTheFullKeyOfABadOne() {
        assertThat(load(valid()).events()).isEqualTo(io.leadsync.routes.EventSettings.defaults());
        Map<String, Object> properties = valid();
        properties.put("leadsync.events.debounce", "250ms");
        properties.put("leadsync.events.max-batch", "500");
        properties.put("sync.connectors.hubspot-main.events", "off");
        io.leadsync.routes.EventSettings events = load(properties).events();
        assertThat(events.debounce()).isEqualTo(java.time.Duration.ofMillis(250));
        assertThat(events.maxBatch()).isEqualTo(500);
        assertThat(events.takes("hubspot-main")).as("switched off for this connector").isFalse();
        assertThat(events.enabled()).isTrue();
        try (Connectors connectors = connect(properties)) {
            assertThat(connectors.sources()).as("the switch is the host's, not the connector's").containsOnlyKeys(
                    "hubspot-main");
        }

        properties.put("leadsync.events.debounce", "soon");
        assertThatThrownBy(() -> load(properties)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("leadsync.events.debounce");
        properties.put("leadsync.events.debounce", "1s");
        properties.put("sync.connectors.hubspot-main.events", "maybe");
        assertThatThrownBy(() -> load(properties)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("sync.connectors.hubspot-main.events");
        properties.put("sync.connectors.hubspot-main.events", "true");
        properties.put("leadsync.events.enabeld", "true");
        assertThatThrownBy(() -> load(properties)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("leadsync.events.enabeld");
    }

    @Test
    void namesTheKeyOfABadCron() {
        Map<String, Object> properties = valid();
        properties.put("sync.jobs.full-sync.schedule", "every 15 minutes");
        assertThatThrownBy(() -> load(properties)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("sync.jobs.full-sync.schedule 'every 15 minutes' is not a valid Quartz cron"
                        + " expression");
    }

    @Test
    void namesTheKeyOfAnUnknownConnectorType() {
        Map<String, Object> properties = valid();
        properties.put("sync.connectors.hubspot-main.type", "hubspt");
        assertThatThrownBy(() -> connect(properties)).isInstanceOf(ConfigException.class)
                .hasMessage("sync.connectors.hubspot-main.type 'hubspt' is not a known connector type; known types"
                        + " are [hubspot, mixpanel, salesforce, segment]");
    }

    @Test
    void rejectsAMisspeltConnectorSettingInsteadOfIgnoringIt() {
        Map<String, Object> properties = valid();
        properties.put("sync.connectors.hubspot-main.read.page-sise", "50");
        assertThatThrownBy(() -> connect(properties)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("sync.connectors.hubspot-main.read.page-sise is not a setting of this connector");
    }

    @Test
    void rejectsAnOutOfRangeValueWithWhatWasExpected() {
        Map<String, Object> properties = valid();
        properties.put("sync.connectors.hubspot-main.read.page-size", "500");
        assertThatThrownBy(() -> connect(properties)).isInstanceOf(ConfigException.class)
                .hasMessage("sync.connectors.hubspot-main.read.page-size must be between 1 and 200 but was 500");
    }

    @Test
    void rejectsAJobNamingAConnectorThatIsNotConfigured() {
        Map<String, Object> properties = valid();
        properties.put("sync.jobs.full-sync.connectors", List.of("hubspot-mian"));
        assertThatThrownBy(() -> load(properties)).isInstanceOf(ConfigException.class)
                .hasMessage("sync.jobs.full-sync.connectors names 'hubspot-mian', which is not configured;"
                        + " configured connectors are [hubspot-main]");
    }

    @Test
    void rejectsUnknownKeysOutsideConnectorsToo() {
        Map<String, Object> properties = valid();
        properties.put("sync.jobz.x", "1");
        assertThatThrownBy(() -> load(properties)).hasMessageStartingWith("sync.jobz is not a known setting");
        Map<String, Object> database = valid();
        database.put("leadsync.database.uri", "jdbc:h2:mem:x");
        assertThatThrownBy(() -> load(database)).hasMessageStartingWith("leadsync.database.uri is not a known setting");
    }

    @Test
    void readsWhetherTheSchedulesStartAndNamesTheKeyOfANonBoolean() {
        assertThat(load(valid()).startSchedules()).isTrue();
        Map<String, Object> held = valid();
        held.put("leadsync.start-schedules", "false");
        assertThat(load(held).startSchedules()).isFalse();
        held.put("leadsync.start-schedules", "later");
        assertThatThrownBy(() -> load(held))
                .hasMessage("leadsync.start-schedules must be true or false but was 'later'");
    }

    @Test
    void refusesAClusterOnH2NamingTheKeyAndReadsTheClusterSettingsOnPostgres() {
        assertThat(load(valid()).cluster().enabled()).as("one process by default").isFalse();
        Map<String, Object> properties = valid();
        properties.put("leadsync.cluster.enabled", "true");
        assertThatThrownBy(() -> load(properties)).hasMessageStartingWith("leadsync.cluster.enabled is true but"
                + " leadsync.database.url is an H2 database, which only one process can use: a cluster needs PostgreSQL");
        properties.put("leadsync.database.url", "jdbc:postgresql://db:5432/leadsync");
        properties.put("leadsync.database.user", "leadsync");
        properties.put("leadsync.cluster.checkin-interval", "2s");
        properties.put("leadsync.cluster.threads", "2");
        LeadsyncConfig.Cluster cluster = load(properties).cluster();
        assertThat(cluster.enabled()).isTrue();
        assertThat(cluster.checkinInterval()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(cluster.misfireThreshold()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(cluster.threads()).isEqualTo(2);
        properties.put("leadsync.cluster.checkin-interval", "100ms");
        assertThatThrownBy(() -> load(properties)).hasMessageStartingWith("leadsync.cluster.checkin-interval must be"
                + " at least 500ms");
        properties.remove("leadsync.cluster.checkin-interval");
        properties.put("leadsync.cluster.isclustered", "true");
        assertThatThrownBy(() -> load(properties)).hasMessageStartingWith("leadsync.cluster.isclustered is not a"
                + " known setting");
    }

    @Test
    void rejectsADatabaseThatIsNeitherH2NorPostgres() {
        Map<String, Object> properties = valid();
        properties.put("leadsync.database.url", "jdbc:mysql://db/leadsync");
        assertThatThrownBy(() -> load(properties)).hasMessageStartingWith("leadsync.database.url must be an H2");
    }

    @Test
    void neverEchoesTheTokenInAnError() {
        Map<String, Object> properties = valid();
        properties.put("sync.connectors.hubspot-main.base-url", "not a url");
        assertThatThrownBy(() -> connect(properties)).hasMessageNotContaining("secret-token-123")
                .hasMessageStartingWith("sync.connectors.hubspot-main.base-url must be an absolute http(s) URL");
    }

    @Test
    void readsTheIdentitySettings() {
        Map<String, Object> properties = valid();
        properties.put("leadsync.identity.phone-region", "de");
        properties.put("leadsync.identity.email-rules", List.of("gmail-dots", "plus-tags"));
        properties.put("leadsync.identity.matching.match-probability", "0.95");
        properties.put("leadsync.identity.survivorship.default", "most-complete");
        properties.put("leadsync.identity.survivorship.source-priority", List.of("salesforce-main", "hubspot-main"));
        properties.put("leadsync.identity.survivorship.fields", List.of(Map.of("field", "title", "rule",
                "source-priority")));

        var identity = load(properties).identity();

        assertThat(identity.phoneRegion()).isEqualTo("de");
        assertThat(identity.emailRules()).isEqualTo(io.leadsync.identity.EmailNormalizer.Rules.all());
        assertThat(identity.matching()).get().extracting(m -> m.matchProbability()).isEqualTo(0.95);
        assertThat(identity.survivorship().ruleFor("title"))
                .isEqualTo(io.leadsync.identity.SurvivorshipRules.Rule.SOURCE_PRIORITY);
        assertThat(identity.survivorship().ruleFor("company"))
                .isEqualTo(io.leadsync.identity.SurvivorshipRules.Rule.MOST_COMPLETE);
        assertThat(load(valid()).identity()).isEqualTo(io.leadsync.identity.IdentitySettings.defaults());
    }

    @Test
    void rejectsBadIdentitySettingsWithTheFullKey() {
        Map<String, Object> region = valid();
        region.put("leadsync.identity.phone-region", "XX");
        assertThatThrownBy(() -> load(region)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("leadsync.identity.phone-region").hasMessageContaining("unknown phone region");

        Map<String, Object> rule = valid();
        rule.put("leadsync.identity.survivorship.default", "newest");
        assertThatThrownBy(() -> load(rule)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("leadsync.identity.survivorship.default")
                .hasMessageContaining("expected most-recent, source-priority or most-complete");

        Map<String, Object> thresholds = valid();
        thresholds.put("leadsync.identity.matching.review-probability", "0.95");
        assertThatThrownBy(() -> load(thresholds)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("leadsync.identity.matching");

        Map<String, Object> typo = valid();
        typo.put("leadsync.identity.matching.match-probabilty", "0.95");
        assertThatThrownBy(() -> load(typo)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("leadsync.identity.matching.match-probabilty");
    }
}
