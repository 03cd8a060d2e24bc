package io.leadsync.connector.rest.internal;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The manifest's time formats read what vendors write. */
class TimeFormatTest {
    private static final Instant NINE_THIRTY_UTC = Instant.parse("2026-11-01T09:30:00Z");

    @Test
    void iso8601AcceptsEveryOffsetFormVendorsSend() {
        TimeFormat iso = TimeFormat.of("iso-8601", null);
        assertThat(iso.parse("2026-11-01T09:30:00Z")).isEqualTo(NINE_THIRTY_UTC);
        assertThat(iso.parse("2026-11-01T09:30:00.000+0000")).as("Salesforce").isEqualTo(NINE_THIRTY_UTC);
        assertThat(iso.parse("2026-11-01T11:30:00+02:00")).isEqualTo(NINE_THIRTY_UTC);
        assertThat(iso.parse("2026-11-01T11:30:00+0200")).isEqualTo(NINE_THIRTY_UTC);
        assertThat(iso.parse("2026-11-01T11:30:00+02")).isEqualTo(NINE_THIRTY_UTC);
        assertThat(iso.parse("2026-11-01T04:30:00.123456-05:00")).isEqualTo(NINE_THIRTY_UTC.plusNanos(123_456_000));
        assertThat(iso.parse("2026-11-01t09:30:00z")).as("lower case").isEqualTo(NINE_THIRTY_UTC);
    }

    @Test
    void iso8601ReadsATimeWithoutOffsetInTheManifestsZone() {
        assertThat(TimeFormat.of("iso-8601", "Europe/Berlin").parse("2026-11-01T10:30:00"))
                .isEqualTo(NINE_THIRTY_UTC);
        assertThat(TimeFormat.of("iso-8601", null).parse("2026-11-01T09:30:00")).isEqualTo(NINE_THIRTY_UTC);
    }

    @Test
    void iso8601RefusesWhatIsNoTime() {
        TimeFormat iso = TimeFormat.of("iso-8601", null);
        assertThat(iso.parse("yesterday")).isNull();
        assertThat(iso.parse("2026-11-01T09:30:00+2")).isNull();
        assertThat(iso.parse("2026-11-01")).isNull();
    }
}
