package io.leadsync.connector.rest.internal;

import com.fasterxml.jackson.core.JsonPointer;
import io.leadsync.connector.rest.ManifestException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.StringReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a connector manifest and checks everything it can before any call is made. */
public final class ManifestParser {
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*settings\\.([a-z0-9-]+)\\s*}}");
    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");
    static final List<String> AUTH_TYPES = List.of("none", "bearer", "basic", "api-key-header", "api-key-query",
            "oauth2-client-credentials");
    static final List<String> PAGINATION_TYPES = List.of("none", "offset", "page", "cursor", "next-url", "link-header");

    private final Set<String> settingNames = new LinkedHashSet<>();

    private ManifestParser() {
    }

    /** Parses a manifest's text; {@code file} names it in errors. */
    public static Manifest parse(String yaml, String file) {
        org.yaml.snakeyaml.nodes.Node document;
        try {
            document = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new ManifestException(file, line, null, "is not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ManifestException(file, 1, null, "is not valid YAML: " + e.getMessage());
        }
        if (document == null) {
            throw new ManifestException(file, 1, null, "is empty");
        }
        return new ManifestParser().manifest(Node.root(file, document));
    }

    private Manifest manifest(Node root) {
        root.only("type", "description", "settings", "requester", "streams");
        Node typeNode = root.get("type");
        String type = typeNode.text().strip();
        if (!TYPE.matcher(type).matches()) {
            throw typeNode.problem("'" + type + "' must be lower case letters, digits and dashes");
        }
        String description = root.text("description", type);
        Map<String, Manifest.Setting> settings = settings(root.optional("settings"));
        Manifest.Requester requester = requester(root.get("requester"));
        Node streamsNode = root.get("streams");
        Map<String, Manifest.Stream> streams = new LinkedHashMap<>();
        streamsNode.entries().forEach((name, node) -> streams.put(name, stream(name, node)));
        if (streams.isEmpty()) {
            throw streamsNode.problem("must define at least one stream");
        }
        return new Manifest(root.file(), type, description, settings, requester, streams);
    }

    private Map<String, Manifest.Setting> settings(Node node) {
        Map<String, Manifest.Setting> settings = new LinkedHashMap<>();
        if (node == null) {
            return settings;
        }
        node.entries().forEach((name, setting) -> {
            if (List.of("type", "read", "write", "retry").contains(name)) {
                throw setting.problem("is reserved for every connector; choose another name");
            }
            setting.only("default", "secret", "required", "env");
            settingNames.add(name);
            settings.put(name, new Manifest.Setting(name, setting.text("default", null), setting.bool("secret", false),
                    setting.bool("required", !setting.has("default")), setting.text("env", null)));
        });
        return settings;
    }

    private Manifest.Requester requester(Node node) {
        node.only("base-url", "auth", "headers", "retry", "fail");
        String baseUrl = template(node.get("base-url"));
        Manifest.Auth auth = auth(node.optional("auth"));
        Map<String, String> headers = new LinkedHashMap<>();
        Node headersNode = node.optional("headers");
        if (headersNode != null) {
            headersNode.entries().forEach((name, value) -> headers.put(name, template(value)));
        }
        Set<Integer> retryStatuses = new LinkedHashSet<>(List.of(429, 500, 502, 503, 504));
        int maxAttempts = 5;
        Duration backoff = Duration.ofSeconds(1);
        Node retry = node.optional("retry");
        if (retry != null) {
            retry.only("statuses", "max-attempts", "backoff");
            if (retry.has("statuses")) {
                retryStatuses.clear();
                for (Node status : retry.get("statuses").items()) {
                    retryStatuses.add(status(status));
                }
            }
            maxAttempts = retry.integer("max-attempts", 5, 1, 20);
            if (retry.has("backoff")) {
                backoff = duration(retry.get("backoff"));
            }
        }
        Map<Integer, String> failures = new LinkedHashMap<>();
        Node fail = node.optional("fail");
        if (fail != null) {
            fail.entries().forEach((status, message) -> {
                try {
                    int code = Integer.parseInt(status);
                    if (code < 400 || code > 599) {
                        throw message.problem("is not an error status (400-599)");
                    }
                    failures.put(code, message.text());
                } catch (NumberFormatException e) {
                    throw message.problem("is not an HTTP status");
                }
            });
        }
        return new Manifest.Requester(baseUrl, auth, headers, retryStatuses, maxAttempts, backoff, failures);
    }

    private Manifest.Auth auth(Node node) {
        if (node == null) {
            return new Manifest.Auth("none", Map.of());
        }
        String type = node.choice("type", null, AUTH_TYPES);
        List<String> keys = switch (type) {
            case "bearer" -> List.of("token");
            case "basic" -> List.of("user", "password");
            case "api-key-header" -> List.of("header", "key");
            case "api-key-query" -> List.of("parameter", "key");
            case "oauth2-client-credentials" -> List.of("token-url", "client-id", "client-secret");
            default -> List.of();
        };
        Map<String, String> values = new LinkedHashMap<>();
        String[] allowed = new String[keys.size() + 2];
        allowed[0] = "type";
        allowed[1] = "scope";
        for (int i = 0; i < keys.size(); i++) {
            allowed[i + 2] = keys.get(i);
        }
        node.only(allowed);
        for (String key : keys) {
            values.put(key, template(node.get(key)));
        }
        if (node.has("scope")) {
            values.put("scope", template(node.get("scope")));
        }
        return new Manifest.Auth(type, values);
    }

    private Manifest.Stream stream(String name, Node node) {
        if (!SNAKE.matcher(name).matches()) {
            throw node.problem("stream names are lower case letters, digits and _");
        }
        node.only("kind", "request", "records", "pagination", "incremental", "id", "sorted", "fields");
        Manifest.Kind kind = Manifest.Kind.valueOf(node.choice("kind", null, List.of("person", "activity"))
                .toUpperCase(Locale.ROOT));
        Node request = node.get("request").only("method", "path", "params");
        String method = request.choice("method", "GET", List.of("GET", "POST"));
        String path = template(request.get("path"));
        Map<String, String> params = new LinkedHashMap<>();
        Node paramsNode = request.optional("params");
        if (paramsNode != null) {
            paramsNode.entries().forEach((param, value) -> params.put(param, template(value)));
        }
        String records = pointer(node.get("records"));
        Manifest.Pagination pagination = pagination(node.optional("pagination"));
        Manifest.Incremental incremental = node.has("incremental") ? incremental(node.get("incremental")) : null;
        String id = pointer(node.get("id"));
        boolean sorted = node.bool("sorted", false);
        Manifest.Fields fields = kind == Manifest.Kind.PERSON ? personFields(node.get("fields"))
                : activityFields(node.get("fields"));
        return new Manifest.Stream(name, kind, method, path, params, records, pagination, incremental, id, sorted,
                fields);
    }

    private Manifest.Pagination pagination(Node node) {
        if (node == null) {
            return new Manifest.Pagination("none", 0, null, null, null, 1, null, null, null, null);
        }
        String type = node.choice("type", null, PAGINATION_TYPES);
        switch (type) {
            case "offset" -> node.only("type", "page-size", "offset-param", "limit-param", "has-more");
            case "page" -> node.only("type", "page-size", "page-param", "limit-param", "start-page", "has-more");
            case "cursor" -> node.only("type", "page-size", "limit-param", "cursor-param", "next-cursor");
            case "next-url" -> node.only("type", "page-size", "limit-param", "next-url");
            case "link-header" -> node.only("type", "page-size", "limit-param");
            default -> node.only("type");
        }
        int pageSize = node.integer("page-size", 100, 1, 10_000);
        String hasMore = node.has("has-more") ? pointer(node.get("has-more")) : null;
        return new Manifest.Pagination(type, pageSize,
                "offset".equals(type) ? node.text("offset-param") : null,
                node.has("limit-param") ? node.text("limit-param") : null,
                "page".equals(type) ? node.text("page-param") : null,
                node.integer("start-page", 1, 0, 1),
                hasMore,
                "cursor".equals(type) ? node.text("cursor-param") : null,
                "cursor".equals(type) ? pointer(node.get("next-cursor")) : null,
                "next-url".equals(type) ? pointer(node.get("next-url")) : null);
    }

    private Manifest.Incremental incremental(Node node) {
        node.only("field", "format", "zone", "request-param", "param-format", "overlap");
        String field = pointer(node.get("field"));
        TimeFormat format = timeFormat(node, "format", "iso-8601");
        String requestParam = node.text("request-param", null);
        TimeFormat paramFormat = node.has("param-format") ? timeFormat(node, "param-format", null) : format;
        Duration overlap = node.has("overlap") ? duration(node.get("overlap")) : Duration.ofMinutes(5);
        return new Manifest.Incremental(field, format, requestParam, paramFormat, overlap);
    }

    private Manifest.Fields personFields(Node node) {
        List<String> allowed = new java.util.ArrayList<>(Manifest.PERSON_FIELDS);
        allowed.add("attributes");
        allowed.add("linked-ids");
        node.only(allowed.toArray(String[]::new));
        Map<String, String> person = new LinkedHashMap<>();
        for (String field : Manifest.PERSON_FIELDS) {
            if (node.has(field)) {
                person.put(field, pointer(node.get(field)));
            }
        }
        if (!person.containsKey("email") && !node.has("linked-ids")) {
            throw node.problem("maps no email and no linked-ids: persons could never be matched across sources");
        }
        return new Manifest.Fields(person, pointers(node.optional("attributes")), pointers(node.optional("linked-ids")),
                null, null, null, null, null, Map.of());
    }

    private Manifest.Fields activityFields(Node node) {
        node.only("type", "occurred-at", "occurred-at-format", "person-email", "person-id", "properties");
        Node typeNode = node.get("type");
        Manifest.ActivityType type;
        if (typeNode.isScalar()) {
            String constant = typeNode.text().strip();
            if (!SNAKE.matcher(constant).matches()) {
                throw typeNode.problem("'" + constant + "' is not a snake_case activity type");
            }
            type = new Manifest.ActivityType(constant, null, Map.of(), null);
        } else {
            typeNode.only("from", "map", "default");
            Map<String, String> map = typeNode.has("map") ? typeNode.get("map").strings() : Map.of();
            map.forEach((from, to) -> {
                if (!SNAKE.matcher(to).matches()) {
                    throw typeNode.get("map").get(from).problem("'" + to + "' is not a snake_case activity type");
                }
            });
            String otherwise = typeNode.text("default", null);
            if (otherwise != null && !SNAKE.matcher(otherwise).matches()) {
                throw typeNode.get("default").problem("'" + otherwise + "' is not a snake_case activity type");
            }
            type = new Manifest.ActivityType(null, pointer(typeNode.get("from")), map, otherwise);
        }
        String occurredAt = pointer(node.get("occurred-at"));
        TimeFormat format = timeFormat(node, "occurred-at-format", "iso-8601");
        String email = node.has("person-email") ? pointer(node.get("person-email")) : null;
        String personId = node.has("person-id") ? pointer(node.get("person-id")) : null;
        if (email == null && personId == null) {
            throw node.problem("needs person-email or person-id: an activity must name its person");
        }
        return new Manifest.Fields(Map.of(), Map.of(), Map.of(), type, occurredAt, format, email, personId,
                pointers(node.optional("properties")));
    }

    private Map<String, String> pointers(Node node) {
        Map<String, String> pointers = new LinkedHashMap<>();
        if (node != null) {
            node.entries().forEach((name, value) -> pointers.put(name, pointer(value)));
        }
        return pointers;
    }

    private static String pointer(Node node) {
        String text = node.text().strip();
        try {
            JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw node.problem("'" + text + "' is not a JSON pointer (RFC 6901), e.g. /data/0/email");
        }
        return text;
    }

    private TimeFormat timeFormat(Node node, String key, String defaultValue) {
        if (!node.has(key)) {
            return TimeFormat.of(defaultValue, node.text("zone", null));
        }
        Node format = node.get(key);
        try {
            return TimeFormat.of(format.text().strip(), node.text("zone", null));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw format.problem("'" + format.text() + "' is not a time format: use iso-8601, epoch-seconds,"
                    + " epoch-millis or a pattern such as yyyy-MM-dd HH:mm:ss (" + e.getMessage() + ")");
        }
    }

    private static int status(Node node) {
        try {
            int status = Integer.parseInt(node.text().strip());
            if (status < 400 || status > 599) {
                throw node.problem("is not an error status (400-599)");
            }
            return status;
        } catch (NumberFormatException e) {
            throw node.problem("'" + node.text() + "' is not an HTTP status");
        }
    }

    private static Duration duration(Node node) {
        Duration duration = io.leadsync.connector.ConnectorSettings.parseDuration(node.text());
        if (duration == null) {
            throw node.problem("'" + node.text() + "' is not a duration such as 30s, 5m or PT5M");
        }
        return duration;
    }

    /** A text that may hold placeholders; each must name a declared setting. */
    private String template(Node node) {
        String text = node.text();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (!settingNames.contains(matcher.group(1))) {
                throw node.problem("refers to {{settings." + matcher.group(1) + "}}, which is not declared under"
                        + " settings; declared settings are " + settingNames);
            }
        }
        if (text.contains("{{") && !PLACEHOLDER.matcher(text).find()) {
            throw node.problem("has a malformed placeholder; write {{settings.<name>}}");
        }
        return text;
    }
}
