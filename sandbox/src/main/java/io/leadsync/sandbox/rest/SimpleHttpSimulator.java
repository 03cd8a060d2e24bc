package io.leadsync.sandbox.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.leadsync.sandbox.faults.FaultInjector;
import io.leadsync.sandbox.faults.FaultKind;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.faults.PartialBatch;
import io.leadsync.sandbox.faults.SimulatorServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the small REST simulators share: a loopback HTTP server with the sandbox's faults and control endpoint
 * ({@link SimulatorServer}), JSON answers, a request log. Subclasses answer {@link #answer} (synchronized: their
 * state needs no further locking) and give their vendor's 401, 429 and error bodies. A
 * {@link FaultKind#RATE_LIMIT} fault answers 429 with {@code Retry-After: 1}; an {@link FaultKind#EXPIRE_TOKEN}
 * fault makes every request answer the vendor's 401 until the faults are cleared; {@link FaultKind#PARTIAL_BATCH}
 * does not apply (these APIs are read-only).
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

    /** A request as the simulator saw it; status -1 when the connection was closed before an answer began. */
    public record Request(String method, String path, Map<String, String> query, Map<String, String> headers,
                          int status) {
    }

    private final SimulatorServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile boolean tokenExpired;

    SimpleHttpSimulator(int port, String name) {
        server = SimulatorServer.start(name, port, 4, new Vendor());
    }

    public URI baseUrl() {
        return server.baseUrl();
    }

    /** {@code <base>/_sandbox}: the control endpoint (faults and counters over HTTP, no token needed). */
    public URI controlUrl() {
        return server.controlUrl();
    }

    /** The faults this simulator injects and its counters; the control endpoint changes the same ones. */
    public FaultInjector faults() {
        return server.faults();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    abstract Answer answer(String method, String path, Map<String, String> query, Map<String, String> headers);

    /** This vendor's 401. */
    abstract Answer unauthorized();

    /** The body of a 429 in this vendor's shape. */
    abstract Object rateLimitBody();

    /** The body of an error with this status in this vendor's shape. */
    abstract Object errorBody(int status, String message);

    private final class Vendor implements SimulatorServer.Vendor {
        @Override
        public void handle(HttpExchange exchange, PartialBatch batch) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Answer answer;
            try {
                answer = tokenExpired ? unauthorized()
                        : answer(method, path, query(exchange.getRequestURI().getRawQuery()), headers(exchange));
            } catch (RuntimeException e) {
                LOG.error("simulator failed on {} {}", method, path, e);
                answer = new Answer(500, errorBody(500, "internal error: " + e), Map.of());
            }
            try (exchange) {
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
            }
        }

        @Override
        public SimulatorServer.Answer rateLimited(FaultRule rule, SimulatorServer.VendorRequest request) {
            return SimulatorServer.Answer.json(429, rateLimitBody()).withHeader("Retry-After", "1");
        }

        @Override
        public SimulatorServer.Answer serverError(int status, FaultRule rule, SimulatorServer.VendorRequest request) {
            return SimulatorServer.Answer.json(status, errorBody(status, status == 503 ? "Service Unavailable"
                    : "Internal Server Error"));
        }

        @Override
        public SimulatorServer.Answer expireToken(FaultRule rule, SimulatorServer.VendorRequest request) {
            tokenExpired = true;
            return SimulatorServer.Answer.json(401, unauthorized().body());
        }

        @Override
        public boolean applies(FaultKind kind, SimulatorServer.VendorRequest request) {
            return kind != FaultKind.PARTIAL_BATCH;
        }

        @Override
        public void validate(FaultRule rule) {
            if (rule.kind() == FaultKind.PARTIAL_BATCH) {
                throw new IllegalArgumentException("PARTIAL_BATCH does not apply: this API has no batch writes");
            }
            if (rule.kind() == FaultKind.RATE_LIMIT && rule.params().containsKey("policy")) {
                throw new IllegalArgumentException("this API's 429 has no policy; leave 'policy' out");
            }
        }

        @Override
        public void faultsCleared() {
            tokenExpired = false;
        }

        @Override
        public void answered(SimulatorServer.VendorRequest request, int status) {
            Map<String, String> headers = new LinkedHashMap<>();
            request.headers().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            requests.add(new Request(request.method(), request.path(), query(request.rawQuery()), headers, status));
        }
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                values.get(0)));
        return headers;
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
        server.close();
    }
}
