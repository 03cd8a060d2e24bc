package io.leadsync.sandbox.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.Headers;
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
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server every simulator runs on (JDK HttpServer on 127.0.0.1): it counts each vendor request, runs the
 * {@link RequestHook}s, applies the {@link FaultInjector}'s faults around the simulator's own answer
 * ({@link Vendor}), and serves the control endpoint under {@value #CONTROL_PATH} (no vendor credentials needed):
 * <ul>
 *   <li>{@code GET /_sandbox}: what the endpoint offers and the fault kinds with their parameters;</li>
 *   <li>{@code GET /_sandbox/faults}: the plan, each rule's matched/fired counts, the counters;</li>
 *   <li>{@code PUT /_sandbox/faults} with a {@link FaultPlan} as JSON: replaces the plan;</li>
 *   <li>{@code POST /_sandbox/faults} with a {@link FaultRule} as JSON (or an array of them), or rules in the compact
 *       text form one a line: adds them;</li>
 *   <li>{@code DELETE /_sandbox/faults}: removes every rule;</li>
 *   <li>{@code GET /_sandbox/stats}: the counters ({@link FaultStats}); {@code DELETE /_sandbox/stats} zeroes them.</li>
 * </ul>
 * Bad input answers 400 {@code {"error": "..."}} saying what was wrong.
 */
public final class SimulatorServer implements AutoCloseable {
    /** Where the control endpoint lives on every simulator; no vendor path starts with it. */
    public static final String CONTROL_PATH = "/_sandbox";
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);
    private static final String PROXY_PAGE = """
            <!DOCTYPE html>
            <html><head><title>503 Service Temporarily Unavailable</title></head>
            <body><h1>Service Temporarily Unavailable</h1>
            <p>The server is temporarily unable to service your request due to maintenance downtime or capacity
            problems. Please try again later.</p>
            <hr><address>proxy at 127.0.0.1</address></body></html>
            """;

    /** A request as it arrived (its body read whole). */
    public record VendorRequest(String method, String path, String rawQuery, Headers headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A request header's first value, or null. */
        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** An answer a fault sends instead of the simulator's own. */
    public record Answer(int status, String contentType, Map<String, String> headers, byte[] body) {
        public Answer {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        public static Answer json(int status, Object body) {
            try {
                return new Answer(status, "application/json;charset=UTF-8", Map.of(),
                        ControlEndpoint.JSON.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write " + body, e);
            }
        }

        public static Answer text(int status, String contentType, String body) {
            return new Answer(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
        }

        /** The same answer with one more header (replacing one of that name). */
        public Answer withHeader(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(headers);
            copy.keySet().removeIf(name::equalsIgnoreCase);
            copy.put(name, value);
            return new Answer(status, contentType, copy, body);
        }
    }

    /**
     * What a simulator supplies: its own answers, and its vendor's shape of the faults that have one. Called on the
     * server's request threads, concurrently.
     */
    public interface Vendor {
        /**
         * Answers a request as the vendor would (through {@code exchange}, whose request body is already read).
         *
         * @param batch which records of a batch write fail ({@link PartialBatch#NONE} unless a PARTIAL_BATCH fault
         *              took the request): answer them with the vendor's per-record error and leave them unchanged
         */
        void handle(HttpExchange exchange, PartialBatch batch) throws IOException;

        /** The vendor's rate-limit answer ({@link FaultKind#RATE_LIMIT}, its {@code policy} parameter). */
        Answer rateLimited(FaultRule rule, VendorRequest request);

        /** The vendor's answer with this 5xx status. */
        Answer serverError(int status, FaultRule rule, VendorRequest request);

        /**
         * Makes the request's access token stop working and returns the vendor's 401. Only called where
         * {@link #applies} allows {@link FaultKind#EXPIRE_TOKEN}.
         */
        default Answer expireToken(FaultRule rule, VendorRequest request) {
            throw new IllegalStateException("EXPIRE_TOKEN does not apply here");
        }

        /**
         * Whether a fault of this kind can take this request. By default every kind but EXPIRE_TOKEN and
         * PARTIAL_BATCH, which a simulator allows where its vendor has tokens and batch writes.
         */
        default boolean applies(FaultKind kind, VendorRequest request) {
            return kind != FaultKind.EXPIRE_TOKEN && kind != FaultKind.PARTIAL_BATCH;
        }

        /** What the request does, for the counters; by default GET and HEAD read, the rest write. */
        default RequestClass classify(VendorRequest request) {
            return request.method().equals("GET") || request.method().equals("HEAD") ? RequestClass.READ
                    : RequestClass.WRITE;
        }

        /** Refuses (IllegalArgumentException) a rule the vendor cannot apply, e.g. an unknown {@code policy}. */
        default void validate(FaultRule rule) {
        }

        /** Undoes lasting effects of faults (expired tokens) when the faults are cleared. */
        default void faultsCleared() {
        }

        /**
         * Called once a request is over, for the simulator's own request log: the status the client received, -1
         * when the connection was closed before an answer began.
         */
        default void answered(VendorRequest request, int status) {
        }
    }

    private final String name;
    private final Vendor vendor;
    private final HttpServer server;
    private final ExecutorService executor;
    private final FaultInjector faults;
    private final ControlEndpoint control;
    private final URI baseUrl;
    private final CountDownLatch closing = new CountDownLatch(1);

    private SimulatorServer(String name, int port, int threads, Vendor vendor) throws IOException {
        this.name = name;
        this.vendor = Objects.requireNonNull(vendor, "vendor");
        this.faults = new FaultInjector(vendor::validate, vendor::faultsCleared);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, name + "-simulator");
            thread.setDaemon(true);
            return thread;
        });
        this.baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        this.control = new ControlEndpoint(name, faults);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts a simulator's server.
     *
     * @param name    the simulator's name (threads, the control endpoint's answers)
     * @param port    port on 127.0.0.1; 0 picks a free one
     * @param threads requests handled at once (a slow or hooked request holds one)
     */
    public static SimulatorServer start(String name, int port, int threads, Vendor vendor) {
        try {
            return new SimulatorServer(name, port, threads, vendor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " simulator on port " + port, e);
        }
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code <base>/_sandbox}: the control endpoint. */
    public URI controlUrl() {
        return URI.create(baseUrl + CONTROL_PATH);
    }

    public FaultInjector faults() {
        return faults;
    }

    /** Stops at once: requests held by a delay end with a closed connection. */
    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- requests

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals(CONTROL_PATH) || path.startsWith(CONTROL_PATH + "/")) {
            control.handle(exchange);
            return;
        }
        String method = exchange.getRequestMethod();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        byte[] body;
        try {
            body = exchange.getRequestBody().readAllBytes();
        } catch (IOException e) {
            LOG.debug("{}: the client went away during {} {}", name, method, path);
            exchange.close();
            return;
        }
        VendorRequest request = new VendorRequest(method, path, rawQuery, exchange.getRequestHeaders(), body);
        faults.count(method, path, vendor.classify(request));
        if (faults.runHooks(RequestHook.Phase.BEFORE, method, path, rawQuery, body, -1)) {
            throw unanswered(request);
        }
        FaultInjector.Injection injection = faults.decide(method, path, kind -> vendor.applies(kind, request));
        if (injection == null) {
            answer(exchange, request, FaultingExchange.Mode.PASS, null, null, PartialBatch.NONE);
            return;
        }
        FaultRule rule = injection.rule();
        if (rule.delayMillis() > 0 && !pause(rule.delayMillis())) {
            throw unanswered(request);
        }
        switch (rule.kind()) {
            case DEAD, DROP_BEFORE -> throw unanswered(request);
            case RATE_LIMIT -> send(exchange, request, retryAfter(rule, vendor.rateLimited(rule, request)));
            case SERVER_ERROR -> send(exchange, request, retryAfter(rule, vendor.serverError(
                    Integer.parseInt(rule.param("status", "500")), rule, request)));
            case EXPIRE_TOKEN -> send(exchange, request, vendor.expireToken(rule, request));
            case MALFORMED -> {
                Answer page = Answer.text(200, rule.param("contentType", "text/html; charset=utf-8"),
                        rule.param("body", PROXY_PAGE));
                if (Boolean.parseBoolean(rule.param("processed", "false"))) {
                    answer(exchange, request, FaultingExchange.Mode.REPLACE, rule, page, PartialBatch.NONE);
                } else {
                    send(exchange, request, page);
                }
            }
            case TRUNCATED -> answer(exchange, request, FaultingExchange.Mode.TRUNCATE, rule, null, PartialBatch.NONE);
            case DROP_AFTER -> answer(exchange, request, FaultingExchange.Mode.DROP_AFTER, rule, null,
                    PartialBatch.NONE);
            case SLOW -> answer(exchange, request, FaultingExchange.Mode.PASS, rule, null, PartialBatch.NONE);
            case PARTIAL_BATCH -> answer(exchange, request, FaultingExchange.Mode.PASS, rule, null,
                    injection.partialBatch());
            default -> throw new IllegalStateException("unhandled fault kind " + rule.kind());
        }
    }

    /** The simulator answers through an exchange that applies the fault's mode; a dropped one closes the socket. */
    private void answer(HttpExchange exchange, VendorRequest request, FaultingExchange.Mode mode, FaultRule rule,
                        Answer replacement, PartialBatch batch) throws IOException {
        FaultingExchange faulting = new FaultingExchange(exchange, request.body(), mode, rule, replacement,
                status -> faults.runHooks(RequestHook.Phase.AFTER, request.method(), request.path(),
                        request.rawQuery(), request.body(), status), status -> vendor.answered(request, status));
        try {
            vendor.handle(faulting, batch);
        } catch (IOException e) {
            LOG.debug("{}: {} {} ended early: {}", name, request.method(), request.path(), e.getMessage());
        } finally {
            faulting.report();   // a dropped connection (-1), or a handler that never sent its status
            faulting.close();
        }
        if (faulting.dropped()) {
            // thrown out of the handler, this makes the JDK server close the socket without finishing the answer
            throw FaultingExchange.droppedConnection();
        }
    }

    private void send(HttpExchange exchange, VendorRequest request, Answer answer) {
        // recorded before the answer leaves: a client that counts the requests right after its call finds this one
        vendor.answered(request, answer.status());
        try {
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            answer.headers().forEach((header, value) -> exchange.getResponseHeaders().add(header, value));
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (IOException e) {
            LOG.debug("{}: the client went away before its {} answer", name, answer.status());
        } finally {
            exchange.close();
        }
    }

    private IOException unanswered(VendorRequest request) {
        vendor.answered(request, -1);
        return FaultingExchange.droppedConnection();
    }

    private static Answer retryAfter(FaultRule rule, Answer answer) {
        String seconds = rule.params().get("retryAfter");
        return seconds == null ? answer : answer.withHeader("Retry-After", seconds);
    }

    /** Waits; false if the simulator closed meanwhile. */
    private boolean pause(long millis) {
        try {
            return !closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
