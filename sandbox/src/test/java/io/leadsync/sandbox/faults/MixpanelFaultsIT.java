package io.leadsync.sandbox.faults;

import io.leadsync.sandbox.mixpanel.MixpanelSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static io.leadsync.sandbox.faults.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault kinds that apply to Mixpanel, over real HTTP: its 429, its errors, cut JSONL streams. */
class MixpanelFaultsIT {
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString((MixpanelSimulator.USER + ":"
            + MixpanelSimulator.SECRET).getBytes(StandardCharsets.UTF_8));
    private static final String DAY = "project_id=" + MixpanelSimulator.PROJECT + "&from_date=2026-11-20"
            + "&to_date=2026-11-20";
    private MixpanelSimulator simulator;

    @BeforeEach
    void start() {
        simulator = MixpanelSimulator.start(MixpanelSimulator.Options.defaults().withoutRateLimits()
                .withClock(Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC)));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private HttpResponse<String> export(String query) throws Exception {
        return Http.send("GET", URI.create(simulator.exportUrl() + "/export?" + query), null, "Authorization", AUTH);
    }

    private static boolean allJson(List<String> lines) {
        return lines.stream().allMatch(Http::isJson);
    }

    @Test
    void rateLimitAnswersMixpanels429BodyWithoutRetryAfterUnlessAsked() throws Exception {
        simulator.faults().add(FaultRule.rateLimit().withCount(1));

        HttpResponse<String> limited = export(DAY);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(json(limited).path("request").asText()).isEqualTo("/api/2.0/export?" + DAY);
        assertThat(json(limited).path("error").asText()).startsWith("Query rate limit exceeded for project_id: "
                + MixpanelSimulator.PROJECT + ".");
        assertThat(limited.headers().firstValue("Retry-After")).isEmpty();
        simulator.faults().add(FaultRule.parse("RATE_LIMIT,retryAfter=5,count=1"));
        assertThat(export(DAY).headers().firstValue("Retry-After")).hasValue("5");
        assertThat(export(DAY).statusCode()).isEqualTo(200);
    }

    @Test
    void serverErrorAnswersMixpanelsErrorBody() throws Exception {
        simulator.faults().add(FaultRule.serverError(502).withCount(1));

        HttpResponse<String> failed = export(DAY);

        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(json(failed).path("error").asText()).isEqualTo("Bad Gateway");
        assertThat(json(failed).path("status").asText()).isEqualTo("error");
    }

    @Test
    void truncatedEndsTheExportStreamMidLine() throws Exception {
        simulator.generateDaily(300, 20, 9);
        List<String> whole = export(DAY).body().lines().toList();
        simulator.faults().add(FaultRule.truncated().withPath("/api/2.0/export").withCount(1));

        HttpResponse<String> cut = export(DAY);

        assertThat(cut.statusCode()).isEqualTo(200);
        List<String> lines = cut.body().lines().toList();
        assertThat(lines.size()).isBetween(whole.size() / 2 - 2, whole.size() / 2 + 2);
        assertThat(allJson(lines.subList(0, lines.size() - 1))).isTrue();
        assertThat(Http.isJson(lines.get(lines.size() - 1))).as("the last line is cut").isFalse();
        assertThat(whole.get(lines.size() - 1)).startsWith(lines.get(lines.size() - 1));
    }

    @Test
    void aLongExportIsCutWithinItsFirstMebibyteAndTheConnectionFormEndsWithoutTheLastChunk() throws Exception {
        simulator.generateDaily(20_000, 500, 9);
        simulator.faults().add(FaultRule.truncated().withCount(1));

        HttpResponse<String> cut = export(DAY);

        int length = cut.body().getBytes(StandardCharsets.UTF_8).length;
        assertThat(length).isBetween(FaultingExchange.STREAM_CUT_LIMIT / 2 - 1, FaultingExchange.STREAM_CUT_LIMIT / 2 + 1);
        assertThat(Http.isJson(cut.body().lines().reduce((a, b) -> b).orElseThrow())).isFalse();

        simulator.faults().add(FaultRule.parse("TRUNCATED,cut=connection,count=1"));
        assertThatThrownBy(() -> export(DAY)).isInstanceOf(IOException.class);
        assertThat(export(DAY).body().lines().count()).as("whole again").isGreaterThan(19_000);
    }

    @Test
    void malformedAndSlowApplyToTheExport() throws Exception {
        simulator.faults().add(FaultRule.malformed().withCount(1));

        HttpResponse<String> page = export(DAY);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).startsWith("<!DOCTYPE html>");
    }

    @Test
    void refusesFaultsThatDoNotApplyToMixpanel() {
        assertThatThrownBy(() -> simulator.faults().add(FaultRule.expireToken()))
                .hasMessage("EXPIRE_TOKEN does not apply to Mixpanel: its service accounts do not expire and nothing"
                        + " is written to it");
        assertThatThrownBy(() -> simulator.faults().add(FaultRule.partialBatch(0.5)))
                .hasMessageContaining("PARTIAL_BATCH does not apply to Mixpanel");
        assertThatThrownBy(() -> simulator.faults().add(FaultRule.rateLimit().withParam("policy", "hourly")))
                .hasMessage("Mixpanel's 429 has no policy; leave 'policy' out");
    }
}
