package io.leadsync.connector.http;

import io.leadsync.connector.Secret;
import io.leadsync.connector.http.internal.OAuth2ClientCredentials;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Puts a connector's credentials on each call. The credential values stay inside; an authenticator's
 * {@code toString()} names only its kind.
 */
public interface Authenticator {

    /** Adds credentials to a call's headers and query (both mutable). */
    void apply(Map<String, String> headers, Map<String, String> query);

    /**
     * After a 401: obtains fresh credentials if this kind can (an OAuth token), and says whether the call should
     * be tried once more.
     */
    default boolean refresh() {
        return false;
    }

    static Authenticator none() {
        return (headers, query) -> { };
    }

    static Authenticator bearer(Secret token) {
        return (headers, query) -> headers.put("Authorization", "Bearer " + token.reveal());
    }

    static Authenticator basic(String user, Secret password) {
        return (headers, query) -> headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password.reveal()).getBytes(StandardCharsets.UTF_8)));
    }

    static Authenticator apiKeyHeader(String header, Secret key) {
        return (headers, query) -> headers.put(header, key.reveal());
    }

    static Authenticator apiKeyQuery(String parameter, Secret key) {
        return (headers, query) -> query.put(parameter, key.reveal());
    }

    /**
     * OAuth 2.0 client credentials: a token from {@code tokenUrl}, kept until shortly before it expires and fetched
     * again after a 401.
     */
    static Authenticator oauth2ClientCredentials(ApiClient tokenClient, URI tokenUrl, String clientId,
                                                 Secret clientSecret, String scope) {
        return new OAuth2ClientCredentials(tokenClient, tokenUrl, clientId, clientSecret, scope);
    }
}
