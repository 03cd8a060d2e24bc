package io.leadsync.sandbox.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the small REST simulators share: a loopback HTTP server, JSON answers, a request log, injected 429s.
 * Subclasses answer {@link #answer}; requests are handled one at a time, so state needs no further locking.
 */
abstract class SimpleHttpSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimpleHttpSimulator.class);
    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status, JSON body (or null), extra headers. */
    record Answer(int status, Object body, Map<String, String> headers) {
        static Answer ok(Object body) {
            return new Answer(200, body, Map.of());
        }
    }

    /** A request as the simulator saw it. */
    public record Request(String method, String path, Map<String, String> query, Map<String, String> headers,
                          int status) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger rateLimited = new AtomicInteger();

    SimpleHttpSimulator(int port, String name) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 32);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " simulator on port " + port, e);
        }
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-simulator");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The next {@code times} requests are answered 429 with {@code Retry-After: 1}. */
    public void rateLimitNext(int times) {
        rateLimited.addAndGet(times);
    }

    abstract Answer answer(String method, String path, Map<String, String> query, Map<String, String> headers);

    /** The body of a 429 in this vendor's shape. */
    abstract Object rateLimitBody();

    private void handle(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
                values.get(0)));
        Answer answer;
        try {
            if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                answer = new Answer(429, rateLimitBody(), Map.of("Retry-After", "1"));
            } else {
                answer = answer(method, path, query, headers);
            }
        } catch (RuntimeException e) {
            LOG.error("simulator failed on {} {}", method, path, e);
            answer = new Answer(500, Map.of("error", "internal error: " + e), Map.of());
        }
        requests.add(new Request(method, path, query, headers, answer.status()));
        try {
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] bytes = answer.body() == null ? new byte[0]
                    : JSON.writeValueAsString(answer.body()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json;charset=utf-8");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            LOG.debug("client went away during {} {}", method, path);
        } finally {
            exchange.close();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            query.put(URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                    equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    static int intParam(Map<String, String> query, String name, int defaultValue) {
        try {
            return query.containsKey(name) ? Integer.parseInt(query.get(name)) : defaultValue;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
