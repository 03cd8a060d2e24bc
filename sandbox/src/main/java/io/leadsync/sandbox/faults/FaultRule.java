package io.leadsync.sandbox.faults;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One fault a simulator injects: what it does ({@link #kind}), to which requests ({@link #method}, {@link #path}),
 * how often ({@link #share}, decided deterministically by the plan's seed), how many times at most ({@link #count}),
 * after letting how many matching requests through ({@link #skip}), after which delay ({@link #delayMillis}), with
 * the kind's parameters ({@link #params}).
 *
 * <p>JSON: {@code {"kind":"RATE_LIMIT","method":"POST","path":"/crm/v3/objects/contacts/batch/update",
 * "share":0.2,"count":5,"skip":1,"delayMillis":0,"params":{"retryAfter":"1"}}}; only {@code kind} is required.
 * Compact text ({@link #parse}, {@link #toSpec}): {@code RATE_LIMIT,method=POST,path=/crm/v3/objects/contacts,
 * share=0.2,count=5,skip=1,delay=2s,retryAfter=1}.
 *
 * @param kind        what the fault does
 * @param method      the HTTP methods it applies to ({@code POST}, or several as {@code PATCH|POST}); null: any
 * @param path        the paths it applies to: a prefix ({@code /crm/v3/objects/contacts} matches
 *                    {@code /crm/v3/objects/contacts/batch/update}); {@code *} stands for any characters within a
 *                    path segment and {@code **} for any characters at all; a final {@code $} anchors the end. Null:
 *                    any path
 * @param share       the probability (0 to 1) that a matching request is taken, decided by the plan's seed and the
 *                    request's ordinal among those the rule matched, so the same sequence of requests meets the same
 *                    faults
 * @param count       the most times the rule fires; null: no limit
 * @param skip        matching requests let through before the rule may fire
 * @param delayMillis how long the simulator waits before answering (any kind; {@link FaultKind#SLOW} does only this)
 * @param params      the kind's parameters (see {@link FaultKind}); values are text
 */
@JsonPropertyOrder({"kind", "method", "path", "share", "count", "skip", "delayMillis", "params"})
public record FaultRule(FaultKind kind,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String method,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String path,
                        double share,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Integer count,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int skip,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long delayMillis,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> params) {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    public FaultRule {
        Objects.requireNonNull(kind, "kind is required");
        if (method != null) {
            method = method.strip().toUpperCase(Locale.ROOT);
            for (String each : method.split("\\|")) {
                if (!METHODS.contains(each)) {
                    throw new IllegalArgumentException("method '" + method + "' is not an HTTP method (one of "
                            + new java.util.TreeSet<>(METHODS) + ", or several joined by |)");
                }
            }
        }
        if (path != null) {
            path = path.strip();
            if (!path.startsWith("/") && !path.startsWith("*")) {
                throw new IllegalArgumentException("path '" + path + "' must start with / (a prefix or pattern of"
                        + " the request path)");
            }
        }
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be between 0 and 1 but was " + share);
        }
        if (count != null && count < 1) {
            throw new IllegalArgumentException("count must be at least 1 (leave it out for no limit) but was " + count);
        }
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be 0 or more but was " + skip);
        }
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis must be 0 or more but was " + delayMillis);
        }
        Map<String, String> sorted = new TreeMap<>(params == null ? Map.of() : params);
        for (Map.Entry<String, String> param : sorted.entrySet()) {
            if (!kind.parameters().contains(param.getKey())) {
                throw new IllegalArgumentException(kind + " has no parameter '" + param.getKey() + "'"
                        + (kind.parameters().isEmpty() ? "; it takes none"
                        : "; its parameters are " + new java.util.TreeSet<>(kind.parameters())));
            }
            Objects.requireNonNull(param.getValue(), () -> "parameter " + param.getKey() + " has no value");
            checkParameter(kind, param.getKey(), param.getValue());
        }
        params = Collections.unmodifiableMap(sorted);
    }

    @JsonCreator
    static FaultRule fromJson(@JsonProperty(value = "kind", required = true) FaultKind kind,
                              @JsonProperty("method") String method,
                              @JsonProperty("path") String path,
                              @JsonProperty("share") Double share,
                              @JsonProperty("count") Integer count,
                              @JsonProperty("skip") Integer skip,
                              @JsonProperty("delayMillis") Long delayMillis,
                              @JsonProperty("params") Map<String, String> params) {
        return new FaultRule(kind, method, path, share == null ? 1.0 : share, count, skip == null ? 0 : skip,
                delayMillis == null ? 0 : delayMillis, params);
    }

    // ---------------------------------------------------------------- factories

    /** A rule of this kind for every request, always, with no limit. */
    public static FaultRule of(FaultKind kind) {
        return new FaultRule(kind, null, null, 1.0, null, 0, 0, Map.of());
    }

    public static FaultRule rateLimit() {
        return of(FaultKind.RATE_LIMIT);
    }

    /** A 5xx with the vendor's body. */
    public static FaultRule serverError(int status) {
        return of(FaultKind.SERVER_ERROR).withParam("status", Integer.toString(status));
    }

    public static FaultRule slow(Duration delay) {
        return of(FaultKind.SLOW).withDelay(delay);
    }

    public static FaultRule dropBefore() {
        return of(FaultKind.DROP_BEFORE);
    }

    public static FaultRule dropAfter() {
        return of(FaultKind.DROP_AFTER);
    }

    public static FaultRule malformed() {
        return of(FaultKind.MALFORMED);
    }

    /** The body cut at half, in a well-formed answer. */
    public static FaultRule truncated() {
        return of(FaultKind.TRUNCATED);
    }

    public static FaultRule expireToken() {
        return of(FaultKind.EXPIRE_TOKEN);
    }

    /** This share of the records of a batch write fail (at least one). */
    public static FaultRule partialBatch(double recordShare) {
        return of(FaultKind.PARTIAL_BATCH).withParam("records", Double.toString(recordShare));
    }

    public static FaultRule dead() {
        return of(FaultKind.DEAD);
    }

    // ---------------------------------------------------------------- withers

    public FaultRule withMethod(String value) {
        return new FaultRule(kind, value, path, share, count, skip, delayMillis, params);
    }

    public FaultRule withPath(String value) {
        return new FaultRule(kind, method, value, share, count, skip, delayMillis, params);
    }

    /** Method and path at once: {@code on("POST", "/crm/v3/objects/contacts/batch/update")}. */
    public FaultRule on(String methodValue, String pathValue) {
        return new FaultRule(kind, methodValue, pathValue, share, count, skip, delayMillis, params);
    }

    public FaultRule withShare(double value) {
        return new FaultRule(kind, method, path, value, count, skip, delayMillis, params);
    }

    /** Fires at most {@code value} times. */
    public FaultRule withCount(int value) {
        return new FaultRule(kind, method, path, share, value, skip, delayMillis, params);
    }

    /** Lets the first {@code value} matching requests through. */
    public FaultRule withSkip(int value) {
        return new FaultRule(kind, method, path, share, count, value, delayMillis, params);
    }

    public FaultRule withDelay(Duration value) {
        return new FaultRule(kind, method, path, share, count, skip, value.toMillis(), params);
    }

    public FaultRule withParam(String name, String value) {
        Map<String, String> copy = new TreeMap<>(params);
        copy.put(name, value);
        return new FaultRule(kind, method, path, share, count, skip, delayMillis, copy);
    }

    /** The delay before the answer. */
    @JsonIgnore
    public Duration delay() {
        return Duration.ofMillis(delayMillis);
    }

    /** A parameter's value, or the default when it is not set. */
    public String param(String name, String defaultValue) {
        return params.getOrDefault(name, defaultValue);
    }

    // ---------------------------------------------------------------- compact text

    /**
     * Reads the compact form {@code KIND[,name=value]...}: the names {@code method}, {@code path}, {@code share},
     * {@code count}, {@code skip} and {@code delay} ({@code 1500ms}, {@code 2s}, {@code 1m}, or milliseconds) set
     * the rule's fields, any other name is a parameter of the kind. Bad input is an IllegalArgumentException that
     * says what was wrong.
     */
    public static FaultRule parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String[] parts = spec.strip().split(",");
        if (parts[0].isBlank()) {
            throw new IllegalArgumentException("a fault rule starts with its kind, e.g. RATE_LIMIT,share=0.2; got '"
                    + spec + "'");
        }
        FaultKind kind = FaultKind.parse(parts[0]);
        String method = null;
        String path = null;
        double share = 1.0;
        Integer count = null;
        int skip = 0;
        long delay = 0;
        Map<String, String> params = new TreeMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty()) {
                continue;
            }
            int equals = part.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("'" + part + "' in fault rule '" + spec + "' is not name=value");
            }
            String name = part.substring(0, equals).strip();
            String value = part.substring(equals + 1).strip();
            switch (name) {
                case "method" -> method = value;
                case "path" -> path = value;
                case "share" -> share = number(name, value);
                case "count" -> count = (int) whole(name, value);
                case "skip" -> skip = (int) whole(name, value);
                case "delay" -> delay = millis(value);
                default -> params.put(name, value);
            }
        }
        return new FaultRule(kind, method, path, share, count, skip, delay, params);
    }

    /** The compact form {@link #parse} reads back to an equal rule. */
    public String toSpec() {
        List<String> parts = new ArrayList<>();
        parts.add(kind.name());
        if (method != null) {
            parts.add("method=" + method);
        }
        if (path != null) {
            parts.add("path=" + path);
        }
        if (share != 1.0) {
            parts.add("share=" + share);
        }
        if (count != null) {
            parts.add("count=" + count);
        }
        if (skip != 0) {
            parts.add("skip=" + skip);
        }
        if (delayMillis != 0) {
            parts.add("delay=" + delayMillis + "ms");
        }
        params.forEach((name, value) -> parts.add(name + "=" + value));
        return String.join(",", parts);
    }

    @Override
    public String toString() {
        return toSpec();
    }

    private static void checkParameter(FaultKind kind, String name, String value) {
        switch (name) {
            case "status" -> {
                long status = whole(name, value);
                if (status < 500 || status > 599) {
                    throw new IllegalArgumentException(kind + " status must be a 5xx status but was " + value);
                }
            }
            case "retryAfter" -> whole(name, value);
            case "at" -> {
                double at = number(name, value);
                if (!(at > 0 && at < 1)) {
                    throw new IllegalArgumentException("at (the share of the body kept) must be between 0 and 1,"
                            + " both excluded, but was " + value);
                }
            }
            case "records" -> {
                double records = number(name, value);
                if (!(records > 0 && records <= 1)) {
                    throw new IllegalArgumentException("records (the share of a batch that fails) must be above 0"
                            + " and at most 1 but was " + value);
                }
            }
            case "cut" -> {
                if (!value.equals("body") && !value.equals("connection")) {
                    throw new IllegalArgumentException("cut must be 'body' or 'connection' but was '" + value + "'");
                }
            }
            case "processed" -> {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException("processed must be true or false but was '" + value + "'");
                }
            }
            default -> {
                // free text (policy, error, message, body, contentType); vendors check what they understand
            }
        }
    }

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number but was '" + value + "'");
        }
    }

    private static long whole(String name, String value) {
        try {
            long number = Long.parseLong(value);
            if (number < 0) {
                throw new IllegalArgumentException(name + " must be 0 or more but was " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number but was '" + value + "'");
        }
    }

    private static long millis(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        long factor = 1;
        if (text.endsWith("ms")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("s")) {
            text = text.substring(0, text.length() - 1);
            factor = 1000;
        } else if (text.endsWith("m")) {
            text = text.substring(0, text.length() - 1);
            factor = 60_000;
        }
        try {
            double amount = Double.parseDouble(text.strip());
            if (amount < 0) {
                throw new NumberFormatException();
            }
            return Math.round(amount * factor);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("delay must be a duration such as 1500ms, 2s or 1m but was '" + value
                    + "'");
        }
    }
}
