package io.leadsync.connector.http.internal;

import io.leadsync.connector.AuthenticationException;
import io.leadsync.connector.Secret;
import io.leadsync.connector.http.ApiClient;
import io.leadsync.connector.http.ApiRequest;
import io.leadsync.connector.http.ApiResponse;
import io.leadsync.connector.http.Authenticator;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** OAuth 2.0 client credentials grant (RFC 6749 section 4.4), with the token cached until near its expiry. */
public final class OAuth2ClientCredentials implements Authenticator {
    private static final long EXPIRY_MARGIN_SECONDS = 30;

    private final ApiClient tokenClient;
    private final URI tokenUrl;
    private final String clientId;
    private final Secret clientSecret;
    private final String scope;
    private final Clock clock = Clock.systemUTC();
    private String accessToken;
    private Instant expiresAt = Instant.MIN;

    public OAuth2ClientCredentials(ApiClient tokenClient, URI tokenUrl, String clientId, Secret clientSecret,
                                   String scope) {
        this.tokenClient = tokenClient;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
    }

    @Override
    public synchronized void apply(Map<String, String> headers, Map<String, String> query) {
        if (accessToken == null || clock.instant().isAfter(expiresAt)) {
            fetch();
        }
        headers.put("Authorization", "Bearer " + accessToken);
    }

    @Override
    public synchronized boolean refresh() {
        fetch();
        return true;
    }

    private void fetch() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret.reveal());
        if (scope != null && !scope.isBlank()) {
            form.put("scope", scope);
        }
        ApiResponse response = tokenClient.send(ApiRequest.form(tokenUrl.toString(), form));
        String token = response.body().path("access_token").asText("");
        if (!response.isSuccess() || token.isBlank()) {
            throw new AuthenticationException("the token endpoint " + tokenUrl + " refused client " + clientId + " ("
                    + response.status() + " " + response.category() + ": " + response.message() + ")");
        }
        accessToken = token;
        long expiresIn = response.body().path("expires_in").asLong(3600);
        expiresAt = clock.instant().plusSeconds(Math.max(0, expiresIn - EXPIRY_MARGIN_SECONDS));
    }

    @Override
    public String toString() {
        return "OAuth2ClientCredentials[" + tokenUrl + ", client " + clientId + "]";
    }
}
