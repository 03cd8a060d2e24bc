package io.leadsync.sandbox.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fault rules read and write as JSON and as compact text, and refuse what they cannot mean. */
class FaultRuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRuleRoundTripsThroughJsonWithEveryField() throws Exception {
        FaultRule rule = FaultRule.rateLimit().on("POST|PATCH", "/services/data/*/composite/sobjects").withShare(0.2)
                .withCount(5).withSkip(1).withDelay(Duration.ofMillis(250)).withParam("retryAfter", "2");

        String json = JSON.writeValueAsString(rule);

        assertThat(JSON.readTree(json).path("params").path("retryAfter").asText()).isEqualTo("2");
        assertThat(JSON.readValue(json, FaultRule.class)).isEqualTo(rule);
    }

    @Test
    void onlyTheKindIsRequiredAndTheRestTakesDefaults() throws Exception {
        FaultRule rule = JSON.readValue("{\"kind\":\"dead\"}", FaultRule.class);

        assertThat(rule).isEqualTo(FaultRule.dead());
        assertThat(rule.share()).isEqualTo(1.0);
        assertThat(rule.count()).isNull();
        assertThat(rule.skip()).isZero();
        assertThat(rule.delay()).isEqualTo(Duration.ZERO);
        assertThat(JSON.writeValueAsString(rule)).isEqualTo("{\"kind\":\"DEAD\",\"share\":1.0}");
    }

    @Test
    void aShareOfZeroSurvivesTheRoundTrip() throws Exception {
        FaultRule never = FaultRule.serverError(503).withShare(0);

        assertThat(JSON.readValue(JSON.writeValueAsString(never), FaultRule.class).share()).isZero();
    }

    @Test
    void aPlanRoundTripsThroughJson() throws Exception {
        FaultPlan plan = FaultPlan.of(7, FaultRule.rateLimit().withShare(0.2), FaultRule.partialBatch(0.1)
                .on("POST", "/crm/v3/objects/contacts/batch/update"));

        assertThat(JSON.readValue(JSON.writeValueAsString(plan), FaultPlan.class)).isEqualTo(plan);
        assertThat(JSON.readValue("{}", FaultPlan.class)).isEqualTo(FaultPlan.NONE);
    }

    @Test
    void theCompactFormReadsBackToTheSameRule() {
        FaultRule rule = FaultRule.parse("truncated, method=get, path=/api/2.0/export, share=0.5, count=3, skip=2,"
                + " delay=1.5s, cut=connection, at=0.25");

        assertThat(rule.kind()).isEqualTo(FaultKind.TRUNCATED);
        assertThat(rule.method()).isEqualTo("GET");
        assertThat(rule.delayMillis()).isEqualTo(1500);
        assertThat(rule.params()).isEqualTo(Map.of("cut", "connection", "at", "0.25"));
        assertThat(rule.toSpec()).isEqualTo("TRUNCATED,method=GET,path=/api/2.0/export,share=0.5,count=3,skip=2,"
                + "delay=1500ms,at=0.25,cut=connection");
        assertThat(FaultRule.parse(rule.toSpec())).isEqualTo(rule);
        assertThat(FaultRule.parse("RATE_LIMIT").toSpec()).isEqualTo("RATE_LIMIT");
        assertThat(FaultRule.parse("slow,delay=2m").delay()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesWhatARuleCannotMeanWithTheReason() {
        assertThatThrownBy(() -> FaultRule.parse("TIMEOUT")).hasMessageContaining("unknown fault kind 'TIMEOUT'")
                .hasMessageContaining("RATE_LIMIT");
        assertThatThrownBy(() -> FaultRule.parse("RATE_LIMIT,share=1.5"))
                .hasMessage("share must be between 0 and 1 but was 1.5");
        assertThatThrownBy(() -> FaultRule.parse("RATE_LIMIT,status=503"))
                .hasMessage("RATE_LIMIT has no parameter 'status'; its parameters are [policy, retryAfter]");
        assertThatThrownBy(() -> FaultRule.parse("DROP_AFTER,at=0.5"))
                .hasMessage("DROP_AFTER has no parameter 'at'; it takes none");
        assertThatThrownBy(() -> FaultRule.parse("SERVER_ERROR,status=404"))
                .hasMessage("SERVER_ERROR status must be a 5xx status but was 404");
        assertThatThrownBy(() -> FaultRule.parse("TRUNCATED,cut=half")).hasMessageContaining("cut must be 'body' or"
                + " 'connection'");
        assertThatThrownBy(() -> FaultRule.parse("SLOW,delay=soon")).hasMessageContaining("delay must be a duration");
        assertThatThrownBy(() -> FaultRule.parse("DEAD,count=0")).hasMessageContaining("count must be at least 1");
        assertThatThrownBy(() -> FaultRule.parse("DEAD,method=FETCH")).hasMessageContaining("not an HTTP method");
        assertThatThrownBy(() -> FaultRule.parse("DEAD,path=crm")).hasMessageContaining("must start with /");
        assertThatThrownBy(() -> FaultRule.parse("DEAD,oops")).hasMessageContaining("is not name=value");
        assertThatThrownBy(() -> FaultRule.parse("PARTIAL_BATCH,records=0"))
                .hasMessageContaining("records (the share of a batch that fails) must be above 0");
    }

    @Test
    void refusesUnknownJsonFields() {
        assertThatThrownBy(() -> JSON.readValue("{\"kind\":\"DEAD\",\"probability\":0.5}", FaultRule.class))
                .hasMessageContaining("probability");
        assertThatThrownBy(() -> JSON.readValue("{\"share\":0.5}", FaultRule.class)).hasMessageContaining("kind");
    }

    @Test
    void everyKindNamesItsParameters() {
        assertThat(FaultKind.PARTIAL_BATCH.parameters()).containsExactlyInAnyOrder("records", "error", "message");
        assertThat(List.of(FaultKind.values())).allSatisfy(kind -> assertThat(FaultKind.parse(kind.name()
                .toLowerCase().replace('_', '-'))).isEqualTo(kind));
    }
}
