package io.leadsync.app.api;

import io.leadsync.connector.hubspot.HubSpotWebhooks;
import io.leadsync.routes.ChangeIntake;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code POST /webhooks/hubspot/{source}}: HubSpot's webhook batches for a HubSpot source that sets
 * {@code webhook.client-secret}. Not behind the API's bearer tokens: each request is authenticated by its
 * {@code X-HubSpot-Signature-v3} and timestamp (401 when missing, wrong or older than 5 minutes). Answers at once
 * with the counts; the pipeline reads the named contacts after a short debounce.
 */
@io.swagger.v3.oas.annotations.security.SecurityRequirement(name = "hubspotSignature")
@Controller("/webhooks/hubspot")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class HubSpotWebhookController {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotWebhookController.class);
    private final Receivers receivers;
    private final ChangeIntake intake;

    public HubSpotWebhookController(Receivers receivers, ChangeIntake intake) {
        this.receivers = receivers;
        this.intake = intake;
    }

    /**
     * A batch of HubSpot webhook events (a JSON array) for a HubSpot source; 200 with the counts when stored, 401
     * when unsigned, wrongly signed or stale, 400 naming what could not be read, 503 when it must be sent again.
     */
    @Post("/{source}")
    @Consumes(MediaType.ALL)
    public HttpResponse<Map<String, Object>> receive(@PathVariable String source, HttpRequest<?> request,
                                                     @Body byte[] body) {
        HubSpotWebhooks webhooks = receivers.hubSpot().get(source);
        if (webhooks == null) {
            throw ApiProblem.notFound("no HubSpot source '" + source + "' takes webhooks: set"
                    + " sync.connectors." + source + ".webhook.client-secret on a HubSpot source with a read block");
        }
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        try {
            webhooks.verify(request.getMethodName(), requestUrl(request), text,
                    request.getHeaders().get(HubSpotWebhooks.SIGNATURE_HEADER),
                    request.getHeaders().get(HubSpotWebhooks.TIMESTAMP_HEADER));
        } catch (HubSpotWebhooks.Refused e) {
            LOG.warn("{}: webhook request refused: {}", source, e.getMessage());
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, HubSpotWebhooks.SIGNATURE_HEADER, e.getMessage());
        }
        return PushedChanges.answer(intake, source, () -> webhooks.parse(text), "eventId");
    }

    /** The full URL the request arrived at, as HubSpot signs it: scheme, the Host header, raw path and query. */
    private static String requestUrl(HttpRequest<?> request) {
        String host = request.getHeaders().get(HttpHeaders.HOST);
        if (host == null) {
            host = request.getServerAddress().getHostString() + ":" + request.getServerAddress().getPort();
        }
        return (request.isSecure() ? "https" : "http") + "://" + host + request.getUri().toString();
    }
}
