package io.leadsync.sandbox.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Real HTTP calls for the fault tests. Each call opens its own connection: the JDK client retries a GET once when a
 * pooled connection turns out closed, which would hide a dropped connection from the test.
 */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    private Http() {
    }

    static HttpRequest.Builder request(String method, URI uri, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    static HttpResponse<String> send(String method, URI uri, String body, String... headers)
            throws IOException, InterruptedException {
        return client().send(request(method, uri, body, headers).build(), HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> sendAsync(String method, URI uri, String body, String... headers) {
        return client().sendAsync(request(method, uri, body, headers).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    static boolean isJson(String body) {
        try {
            JSON.readTree(body);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
