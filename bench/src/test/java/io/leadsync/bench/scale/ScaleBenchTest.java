package io.leadsync.bench.scale;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScaleBenchTest {
    @Test
    void theApiFloorIsTheSlowestVendorsLimitWithHubSpotsSearchAndWindowLimitsUsedAtOnce() {
        // 100 searches at 5 a second: 20 s; 190 other calls at 190 in ten seconds: 10 s, beside the searches
        assertThat(ScaleBench.apiFloorSeconds(Map.of(
                "hubspot POST /crm/v3/objects/emails/search", 60L,
                "hubspot POST /crm/v3/objects/calls/search", 40L,
                "hubspot POST /crm/v3/objects/contacts/batch/update", 190L,
                "salesforce GET /services/data/v60.0/query", 5_000L,
                "mixpanel GET /api/2.0/export", 30L))).isCloseTo(20.0, within(1e-9));
        // the window limit is the slower one
        assertThat(ScaleBench.apiFloorSeconds(Map.of(
                "hubspot POST /crm/v3/objects/emails/search", 10L,
                "hubspot GET /crm/v3/objects/contacts", 380L))).isCloseTo(20.0, within(1e-9));
        // Mixpanel's exports, 3 a second
        assertThat(ScaleBench.apiFloorSeconds(Map.of("mixpanel GET /api/2.0/export", 90L,
                "hubspot GET /crm/v3/objects/contacts", 19L))).isCloseTo(30.0, within(1e-9));
    }
}
