package io.leadsync.app.api;

import io.leadsync.app.ApiAccess;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/openapi.yml}: the OpenAPI 3 document of this API, written from the controllers at compile time by
 * micronaut-openapi ({@code META-INF/swagger/leadsync-1.yml} in the jar), so it cannot drift from the code.
 */
@OpenAPIDefinition(
        info = @Info(title = "leadsync", version = "1",
                description = "Admin API of leadsync: connectors, jobs, runs, profiles, dead letters, budget and"
                        + " metrics. Every call but /health needs 'Authorization: Bearer <token>' with a token from"
                        + " leadsync.api.tokens; writes need the admin role. The change intakes (/webhooks/hubspot/*,"
                        + " /v1/track, /v1/identify, /v1/batch) take no token: HubSpot's signature or a Segment write"
                        + " key authenticates them.",
                license = @License(name = "Apache-2.0")),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
@SecurityScheme(name = "hubspotSignature", type = SecuritySchemeType.APIKEY,
        in = io.swagger.v3.oas.annotations.enums.SecuritySchemeIn.HEADER, paramName = "X-HubSpot-Signature-v3",
        description = "HubSpot's v3 signature (HMAC-SHA256 with the app's client secret over method, URL, body and"
                + " X-HubSpot-Request-Timestamp, which must be at most 5 minutes old)")
@SecurityScheme(name = "segmentWriteKey", type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "The write key of a type: segment source as the user name, with an empty password")
@Controller("/api/openapi.yml")
@Secured(ApiAccess.READ)
public class OpenApiController {
    static final String DOCUMENT = "META-INF/swagger/leadsync-1.yml";
    private final String document;

    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the class path: the build writes it");
            }
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get
    @Produces("application/yaml")
    public String document() {
        return document;
    }
}
