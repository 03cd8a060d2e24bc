package io.leadsync.app.api;

import io.leadsync.connector.segment.SegmentIntake;
import io.leadsync.routes.ChangeIntake;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.Map;

/**
 * A Segment-compatible product-event intake: {@code POST /v1/track}, {@code /v1/identify} and {@code /v1/batch} as
 * Segment's HTTP Tracking API takes them, so Segment, RudderStack or an app's backend can push events. Not behind the
 * API's bearer tokens: a call is authenticated by the write key of a {@code type: segment} source (HTTP Basic user
 * name, empty password), which also says which source it feeds; 401 without a known key.
 */
@io.swagger.v3.oas.annotations.security.SecurityRequirement(name = "segmentWriteKey")
@Controller("/v1")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SegmentController {
    private final Receivers receivers;
    private final ChangeIntake intake;

    public SegmentController(Receivers receivers, ChangeIntake intake) {
        this.receivers = receivers;
        this.intake = intake;
    }

    /** A Segment track call: an activity of the intake's events stream. */
    @Post("/track")
    @Consumes(MediaType.ALL)
    public HttpResponse<Map<String, Object>> track(HttpRequest<?> request, @Body byte[] body) {
        return receive("track", request, body);
    }

    /** A Segment identify call: a person of the intake's persons stream. */
    @Post("/identify")
    @Consumes(MediaType.ALL)
    public HttpResponse<Map<String, Object>> identify(HttpRequest<?> request, @Body byte[] body) {
        return receive("identify", request, body);
    }

    /** A Segment batch (at most 500 KB, 32 KB a message); each bad message is named in a 400 and the rest kept. */
    @Post("/batch")
    @Consumes(MediaType.ALL)
    public HttpResponse<Map<String, Object>> batch(HttpRequest<?> request, @Body byte[] body) {
        return receive("batch", request, body);
    }

    private HttpResponse<Map<String, Object>> receive(String call, HttpRequest<?> request, byte[] body) {
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        SegmentIntake segment = receivers.segmentFor(authorization).orElseThrow(() -> new ApiProblem(
                HttpStatus.UNAUTHORIZED, "Authorization", authorization == null
                ? "no write key: send it as HTTP Basic user name with an empty password (Authorization: Basic"
                + " base64(writeKey:))" : "the write key is not the write-key of any type: segment source"));
        byte[] bytes = body == null ? new byte[0] : body;
        return PushedChanges.answer(intake, segment.source(), () -> segment.read(call, bytes), "messageId");
    }
}
