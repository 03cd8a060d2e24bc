package io.leadsync.connector.salesforce;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorSettings;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SuppressWarnings("unchecked")
class SalesforceSettingsTest {
    private static final String PREFIX = "sync.connectors.salesforce-main";

    private static Map<String, Object> valid() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("type", "salesforce");
        settings.put("auth", new HashMap<>(Map.of("client-id", "3MVG9", "client-secret", "s3cret", "username",
                "integration@example.com", "password", "pw")));
        settings.put("read", new HashMap<>(Map.of("streams", List.of("contacts", "leads"))));
        settings.put("write", new HashMap<>());
        return settings;
    }

    /** The block as the host hands it over: the host has read {@code type}. */
    private static ConnectorSettings of(Map<String, Object> values) {
        ConnectorSettings settings = ConnectorSettings.of("salesforce-main", PREFIX, values);
        settings.string("type");
        return settings;
    }

    @Test
    void defaultsAreThoseOfAProductionOrg() {
        ConnectorSettings raw = of(valid());
        SalesforceSettings source = SalesforceSettings.forSource(raw);
        SalesforceSettings sink = SalesforceSettings.forSink(raw);
        raw.rejectUnknownKeys();

        assertThat(source.loginUrl().toString()).isEqualTo("https://login.salesforce.com");
        assertThat(source.apiVersion()).isEqualTo("60.0");
        assertThat(source.maxDailyShare()).isEqualTo(0.8);
        assertThat(source.read().streams()).as("persons first").containsExactly("leads", "contacts");
        assertThat(source.read().bulkThreshold()).isEqualTo(50_000);
        assertThat(sink.write().fields()).containsEntry("score", "Lead_Score__c")
                .containsEntry("reasons", "Score_Reasons__c");
        assertThat(sink.write().tasks().status()).isEqualTo("Not Started");
        assertThat(source.auth().password().toString()).isEqualTo("******");
        assertThat(source.auth().toString()).doesNotContain("pw").doesNotContain("s3cret");
    }

    @Test
    void changeDataCaptureIsOffByDefaultAndItsSettingsAreCheckedWithTheirFullKeys() {
        assertThat(SalesforceSettings.forSource(of(valid())).read().cdc()).isNull();

        Map<String, Object> on = valid();
        on.put("cdc", new HashMap<>(Map.of("enabled", "true")));
        SalesforceSettings.Cdc cdc = SalesforceSettings.forSource(of(on)).read().cdc();
        assertThat(cdc).isEqualTo(new SalesforceSettings.Cdc("/data/ChangeEvents", "api.pubsub.salesforce.com", 7443,
                false, 100, java.util.Set.of("Lead_Score__c", "Lead_Grade__c", "Score_Reasons__c", "Score_Model__c")));
        on.remove("write");
        assertThat(SalesforceSettings.forSource(of(on)).read().cdc().ownFields()).as("nothing written").isEmpty();

        Map<String, Object> channel = valid();
        channel.put("cdc", new HashMap<>(Map.of("enabled", "true", "channel", "LeadChangeEvent")));
        assertThatThrownBy(() -> SalesforceSettings.forSource(of(channel))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(PREFIX + ".cdc.channel").hasMessageContaining("/data/ChangeEvents");

        Map<String, Object> batch = valid();
        batch.put("cdc", new HashMap<>(Map.of("enabled", "true", "batch-size", "500")));
        assertThatThrownBy(() -> SalesforceSettings.forSource(of(batch))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(PREFIX + ".cdc.batch-size");

        Map<String, Object> noStream = valid();
        noStream.put("read", new HashMap<>(Map.of("streams", List.of("campaign_members"))));
        noStream.put("cdc", new HashMap<>(Map.of("enabled", "true")));
        assertThatThrownBy(() -> SalesforceSettings.forSource(of(noStream))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(PREFIX + ".cdc.enabled").hasMessageContaining("none of the streams");
    }

    @Test
    void aMissingCredentialNamesItsFullKeyAndTheVariableToSet() {
        Map<String, Object> values = valid();
        ((Map<String, Object>) values.get("auth")).remove("password");

        assertThatThrownBy(() -> SalesforceSettings.forSource(of(values))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(PREFIX + ".auth.password").hasMessageContaining("SALESFORCE_PASSWORD");
    }

    @Test
    void anUnknownFlowIsRefusedWithTheFlowsThereAre() {
        Map<String, Object> values = valid();
        ((Map<String, Object>) values.get("auth")).put("flow", "saml");

        assertThatThrownBy(() -> SalesforceSettings.forSource(of(values))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(PREFIX + ".auth.flow")
                .hasMessageContaining("password, refresh-token, jwt or client-credentials");
    }

    @Test
    void theJwtFlowNeedsAReadableKeystore() {
        Map<String, Object> values = valid();
        values.put("auth", Map.of("flow", "jwt", "client-id", "3MVG9", "username", "u@example.com", "keystore",
                Map.of("path", "/nonexistent/key.p12", "password", "x")));

        assertThatThrownBy(() -> SalesforceSettings.forSource(of(values))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(PREFIX + ".auth.keystore.path").hasMessageContaining("not a readable keystore");
    }

    @Test
    void badValuesNameTheirKey() {
        Map<String, Object> version = valid();
        version.put("api-version", "v60");
        assertThatThrownBy(() -> SalesforceSettings.forSource(of(version))).hasMessageContaining(PREFIX
                + ".api-version");

        Map<String, Object> stream = valid();
        stream.put("read", Map.of("streams", List.of("leads", "accounts")));
        assertThatThrownBy(() -> SalesforceSettings.forSource(of(stream))).hasMessageContaining(PREFIX
                + ".read.streams").hasMessageContaining("'accounts'");

        Map<String, Object> field = valid();
        field.put("write", Map.of("fields", Map.of("score", "Lead Score")));
        assertThatThrownBy(() -> SalesforceSettings.forSink(of(field))).hasMessageContaining(PREFIX
                + ".write.fields.score").hasMessageContaining("'Lead Score'");

        Map<String, Object> share = valid();
        share.put("limits", Map.of("max-daily-percent", "120"));
        assertThatThrownBy(() -> SalesforceSettings.forSource(of(share))).hasMessageContaining(PREFIX
                + ".limits.max-daily-percent").hasMessageContaining("between 1 and 100");
    }

    @Test
    void theDescribedSettingsCheckEachValueNamingItsFullKey() {
        Map<String, Object> overlap = valid();
        ((Map<String, Object>) overlap.get("read")).put("overlap", "PT-5M");
        assertThatThrownBy(() -> SalesforceSettings.forSource(of(overlap))).isInstanceOf(ConfigException.class)
                .hasMessage(PREFIX + ".read.overlap must not be negative");

        Map<String, Object> poll = valid();
        ((Map<String, Object>) poll.get("read")).put("bulk", Map.of("poll-interval", "0s"));
        assertThatThrownBy(() -> SalesforceSettings.forSource(of(poll))).isInstanceOf(ConfigException.class)
                .hasMessage(PREFIX + ".read.bulk.poll-interval must be positive");

        Map<String, Object> fields = valid();
        ((Map<String, Object>) fields.get("read")).put("lead-fields", List.of("Rating", "Lead Source"));
        assertThatThrownBy(() -> SalesforceSettings.forSource(of(fields))).isInstanceOf(ConfigException.class)
                .hasMessage(PREFIX + ".read.lead-fields 'Lead Source' is not a Salesforce field API name (such as"
                        + " Rating, Lead_Source_Detail__c or Account.Rating)");

        Map<String, Object> token = valid();
        ((Map<String, Object>) token.get("auth")).put("flow", "refresh-token");
        assertThatThrownBy(() -> SalesforceSettings.forSource(of(token))).isInstanceOf(ConfigException.class)
                .hasMessage(PREFIX + ".auth.refresh-token is required (set SALESFORCE_REFRESH_TOKEN, which the example"
                        + " config reads as ${SALESFORCE_REFRESH_TOKEN})");

        Map<String, Object> clientId = valid();
        ((Map<String, Object>) clientId.get("auth")).remove("client-id");
        assertThatThrownBy(() -> SalesforceSettings.forSource(of(clientId))).isInstanceOf(ConfigException.class)
                .hasMessage(PREFIX + ".auth.client-id is required (set SALESFORCE_CLIENT_ID, which the example config"
                        + " reads as ${SALESFORCE_CLIENT_ID})");
        assertThat(new SalesforceConnectorFactory().settings()).as("the reference lists them")
                .extracting(io.leadsync.connector.Setting::name).contains("auth.flow", "read.bulk.threshold",
                        "write.tasks.status");
    }

    @Test
    void aMisspeltKeyIsAnError() {
        Map<String, Object> values = valid();
        ((Map<String, Object>) values.get("read")).put("lead-feilds", List.of("Rating"));
        ConnectorSettings raw = of(values);
        SalesforceSettings.forSource(raw);
        SalesforceSettings.forSink(raw);

        assertThatThrownBy(raw::rejectUnknownKeys).isInstanceOf(ConfigException.class)
                .hasMessageContaining(PREFIX + ".read.lead-feilds");
    }
}
