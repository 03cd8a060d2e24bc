package io.leadsync.connector;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A setting described as data reads, defaults, validates and refuses as every configuration layer needs. */
class SettingTest {
    private static final Setting<Integer> PAGE_SIZE = Setting.of("read.page-size", Setting.integer(1, 200))
            .withDefault(100).doc("Search page size.");
    private static final Setting<String> TOKEN = Setting.of("token", Setting.TEXT).secret().required()
            .env("HUBSPOT_TOKEN");
    private static final Setting<Duration> OVERLAP = Setting.of("read.overlap", Setting.DURATION)
            .withDefault(Duration.ofMinutes(5)).validate(d -> d.isNegative() ? "must not be negative" : null);

    private static ConnectorSettings block(Map<String, ?> values) {
        return ConnectorSettings.of("hubspot-main", "sync.connectors.hubspot-main", values);
    }

    @Test
    void readsANestedSettingThroughItsDescriptionAndRemembersTheKey() {
        ConnectorSettings settings = block(Map.of("token", "t", "read", Map.of("page-size", "200")));
        assertThat(settings.get(PAGE_SIZE)).isEqualTo(200);
        assertThat(settings.get(TOKEN)).isEqualTo("t");
        assertThat(settings.get(OVERLAP)).isEqualTo(Duration.ofMinutes(5));
        settings.rejectUnknownKeys();
    }

    @Test
    void namesTheFullKeyAndWhatWasExpected() {
        assertThatThrownBy(() -> block(Map.of("read", Map.of("page-size", "500"))).get(PAGE_SIZE))
                .hasMessage("sync.connectors.hubspot-main.read.page-size must be between 1 and 200 but was 500");
        assertThatThrownBy(() -> block(Map.of("read", Map.of("page-size", "lots"))).get(PAGE_SIZE))
                .hasMessage("sync.connectors.hubspot-main.read.page-size must be a whole number but was 'lots'");
        assertThatThrownBy(() -> block(Map.of("read", Map.of("overlap", "-PT1M"))).get(OVERLAP))
                .hasMessage("sync.connectors.hubspot-main.read.overlap must not be negative");
        assertThatThrownBy(() -> block(Map.of()).get(TOKEN)).hasMessage("sync.connectors.hubspot-main.token is"
                + " required (set HUBSPOT_TOKEN, which the example config reads as ${HUBSPOT_TOKEN})");
    }

    @Test
    void neverEchoesASecretItRefuses() {
        Setting<Integer> pin = Setting.of("pin", Setting.integer(0, 9999)).secret();
        assertThatThrownBy(() -> pin.read("x.pin", "s3cr3t")).hasMessage("x.pin must be a whole number");
    }

    @Test
    void everyLayerReadsTheSameWordsAndForms() {
        for (String yes : List.of("true", "YES", "on")) {
            assertThat(Setting.BOOLEAN.parse(yes)).isTrue();
        }
        for (String no : List.of("false", "No", "OFF")) {
            assertThat(Setting.BOOLEAN.parse(no)).isFalse();
        }
        assertThatThrownBy(() -> Setting.BOOLEAN.parse("maybe")).isInstanceOf(Setting.Invalid.class);
        assertThat(Setting.DURATION.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Setting.DURATION.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Setting.DURATION.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Setting.DECIMAL.parse("1_000.5")).isEqualTo(1000.5);
        assertThat(Setting.URL.parse("https://api.hubapi.com/").toString()).isEqualTo("https://api.hubapi.com");
        assertThatThrownBy(() -> Setting.URL.parse("api.hubapi.com")).isInstanceOf(Setting.Invalid.class);
        assertThat(Setting.wholeNumber(1).parse("250_000")).isEqualTo(250_000L);
        assertThat(Setting.choice(List.of("read", "admin")).parse("admin")).isEqualTo("admin");
    }
}
