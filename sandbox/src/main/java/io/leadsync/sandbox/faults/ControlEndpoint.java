package io.leadsync.sandbox.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** {@code /_sandbox/...} on every simulator: see {@link SimulatorServer}. */
final class ControlEndpoint {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String simulator;
    private final FaultInjector faults;

    ControlEndpoint(String simulator, FaultInjector faults) {
        this.simulator = simulator;
        this.faults = faults;
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().replaceAll("/+$", "");
            String method = exchange.getRequestMethod();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            try {
                switch (path) {
                    case SimulatorServer.CONTROL_PATH -> {
                        requireMethod(method, "GET");
                        send(exchange, 200, index(exchange));
                    }
                    case SimulatorServer.CONTROL_PATH + "/faults" -> {
                        switch (method) {
                            case "GET" -> {
                            }
                            case "PUT" -> faults.setPlan(JSON.readValue(body, FaultPlan.class));
                            case "POST" -> faults.add(rules(body).toArray(FaultRule[]::new));
                            case "DELETE" -> faults.clear();
                            default -> throw new MethodNotAllowed("GET, PUT, POST, DELETE");
                        }
                        send(exchange, 200, faults.view());
                    }
                    case SimulatorServer.CONTROL_PATH + "/stats" -> {
                        switch (method) {
                            case "GET" -> {
                            }
                            case "DELETE" -> faults.resetStats();
                            default -> throw new MethodNotAllowed("GET, DELETE");
                        }
                        send(exchange, 200, faults.stats());
                    }
                    default -> send(exchange, 404, Map.of("error", "no control resource at " + path
                            + "; there are " + SimulatorServer.CONTROL_PATH + "/faults and "
                            + SimulatorServer.CONTROL_PATH + "/stats"));
                }
            } catch (MethodNotAllowed e) {
                exchange.getResponseHeaders().add("Allow", e.getMessage());
                send(exchange, 405, Map.of("error", method + " is not allowed on " + path + "; allowed: "
                        + e.getMessage()));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                send(exchange, 400, Map.of("error", reason(e)));
            }
        }
    }

    /**
     * A rule as JSON, an array of them, or rules in the compact text form one a line (blank lines and lines
     * starting with # are skipped).
     */
    private static List<FaultRule> rules(String body) throws JsonProcessingException {
        String text = body.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("no rule given: send a rule as JSON, e.g. {\"kind\":\"RATE_LIMIT\","
                    + "\"share\":0.2}, or in the compact form, e.g. RATE_LIMIT,share=0.2");
        }
        if (text.startsWith("{")) {
            return List.of(JSON.readValue(text, FaultRule.class));
        }
        if (text.startsWith("[")) {
            List<FaultRule> rules = new ArrayList<>();
            for (JsonNode node : JSON.readTree(text)) {
                rules.add(JSON.treeToValue(node, FaultRule.class));
            }
            return rules;
        }
        List<FaultRule> rules = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                rules.add(FaultRule.parse(line));
            }
        }
        return rules;
    }

    private Map<String, Object> index(HttpExchange exchange) {
        String base = "http://" + exchange.getRequestHeaders().getFirst("Host");
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("simulator", simulator);
        index.put("faults", base + SimulatorServer.CONTROL_PATH + "/faults");
        index.put("stats", base + SimulatorServer.CONTROL_PATH + "/stats");
        Map<String, Object> kinds = new LinkedHashMap<>();
        for (FaultKind kind : FaultKind.values()) {
            kinds.put(kind.name(), new TreeSet<>(kind.parameters()));
        }
        index.put("kinds", kinds);
        index.put("ruleFields", List.of("kind", "method", "path", "share", "count", "skip", "delayMillis", "params"));
        return index;
    }

    /** What was wrong, without Jackson's internals when a rule refused a value. */
    private static String reason(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException && cause.getMessage() != null
                    && !(cause instanceof JsonProcessingException)) {
                return cause.getMessage();
            }
        }
        return e instanceof JsonProcessingException json ? "not a valid fault rule or plan: " + json.getOriginalMessage()
                : e.getMessage();
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new MethodNotAllowed(allowed);
        }
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class MethodNotAllowed extends RuntimeException {
        MethodNotAllowed(String allowed) {
            super(allowed, null, false, false);
        }
    }
}
