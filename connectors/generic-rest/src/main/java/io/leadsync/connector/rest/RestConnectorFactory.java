package io.leadsync.connector.rest;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorFactory;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.Secret;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.http.ApiClient;
import io.leadsync.connector.http.CallGuard;
import io.leadsync.connector.http.Authenticator;
import io.leadsync.connector.http.RetryPolicy;
import io.leadsync.connector.rest.internal.DeclarativeSource;
import io.leadsync.connector.rest.internal.Manifest;
import io.leadsync.connector.rest.internal.ManifestParser;
import org.apache.camel.CamelContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The connector type a manifest file defines ({@code config/connectors/<file>.yml}). An instance is configured like
 * any connector, {@code sync.connectors.<name>: {type: <manifest type>, <settings>..., read: {streams: [...]}}}, and
 * its settings are those the manifest declares. Declarative connectors read; they do not write.
 */
public final class RestConnectorFactory implements ConnectorFactory {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*settings\\.([a-z0-9-]+)\\s*}}");

    private final Manifest manifest;

    private RestConnectorFactory(Manifest manifest) {
        this.manifest = manifest;
    }

    /** Reads one manifest. */
    public static RestConnectorFactory of(String yaml, String file) {
        return new RestConnectorFactory(ManifestParser.parse(yaml, file));
    }

    /**
     * Reads every {@code *.yml} / {@code *.yaml} manifest in a directory, in file name order; none if the directory
     * does not exist.
     *
     * @throws ManifestException for the first invalid manifest, or two defining one type
     */
    public static List<RestConnectorFactory> loadAll(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<RestConnectorFactory> factories = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted().toList()) {
                RestConnectorFactory factory = of(Files.readString(file, StandardCharsets.UTF_8), file.toString());
                String previous = types.put(factory.type(), file.toString());
                if (previous != null) {
                    throw new ManifestException(file.toString(), 1, "type", "'" + factory.type()
                            + "' is already defined by " + previous);
                }
                factories.add(factory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the connector manifests in " + directory, e);
        }
        return factories;
    }

    @Override
    public String type() {
        return manifest.type();
    }

    /** The manifest file that defines this type. */
    /** The settings the manifest declares, then those every declarative connector has. */
    @Override
    public List<io.leadsync.connector.Setting<?>> settings() {
        List<io.leadsync.connector.Setting<?>> settings = new java.util.ArrayList<>();
        manifest.settings().forEach((name, declared) -> {
            io.leadsync.connector.Setting<String> setting = io.leadsync.connector.Setting.of(name,
                    io.leadsync.connector.Setting.TEXT).withDefault(declared.defaultValue())
                    .doc("Declared by " + java.nio.file.Path.of(file()).getFileName() + ".");
            if (declared.secret()) {
                setting = setting.secret();
            }
            if (declared.required()) {
                setting = setting.required();
            }
            if (declared.environment() != null) {
                setting = setting.env(declared.environment());
            }
            settings.add(setting);
        });
        settings.add(io.leadsync.connector.Setting.of("read.streams", io.leadsync.connector.Setting.LIST)
                .withDefaultText(streams().toString()).doc("Streams to read: " + String.join(", ", streams()) + "."));
        settings.add(io.leadsync.connector.Setting.of("retry.max-attempts", io.leadsync.connector.Setting.integer(1,
                20)).withDefault(manifest.requester().maxAttempts()).doc("Attempts per call before the run fails."));
        return List.copyOf(settings);
    }

    public String file() {
        return manifest.file();
    }

    public String description() {
        return manifest.description();
    }

    public List<String> streams() {
        return List.copyOf(manifest.streams().keySet());
    }

    @Override
    public SourceConnector createSource(ConnectorSettings settings, ConnectorContext context) {
        Map<String, String> values = new LinkedHashMap<>();
        manifest.settings().forEach((key, setting) -> {
            String value = settings.string(key, setting.defaultValue());
            if (value == null && setting.required()) {
                throw new ConfigException(settings.key(key), "is required by connector type '" + manifest.type()
                        + "' (" + manifest.file() + ")" + (setting.environment() == null ? ""
                        : "; set " + setting.environment() + ", e.g. " + key + ": ${" + setting.environment() + "}"));
            }
            values.put(key, value == null ? "" : value);
        });
        ConnectorSettings read = settings.section("read");
        List<String> streams = read.stringList("streams", List.copyOf(manifest.streams().keySet()),
                manifest.streams().keySet());
        List<String> ordered = new ArrayList<>();
        manifest.streams().values().stream().filter(s -> s.kind() == Manifest.Kind.PERSON && streams.contains(s.name()))
                .forEach(s -> ordered.add(s.name()));
        manifest.streams().values().stream().filter(s -> s.kind() == Manifest.Kind.ACTIVITY && streams.contains(s.name()))
                .forEach(s -> ordered.add(s.name()));
        java.util.function.UnaryOperator<String> resolve = template -> resolve(template, values);
        URI baseUrl = url(settings, resolve.apply(manifest.requester().baseUrl()));
        CamelContext camel = context.service(CamelContext.class).orElseThrow(() -> new ConfigException(
                settings.key("type"), "needs a Camel context to speak HTTP, and the host provided none"));
        Manifest.Requester requester = manifest.requester();
        RetryPolicy policy = RetryPolicy.standard(requester.retryStatuses(), requester.backoff());
        String hint = "Check the credentials configured under " + settings.key("") .replaceAll("\\.$", "") + ".";
        int maxAttempts = settings.section("retry").integer("max-attempts", requester.maxAttempts(), 1, 20);
        CallGuard guard = context.shared("call-guard/" + settings.name(), CallGuard.class,
                () -> new CallGuard(settings.name(), manifest.type(), policy, CallGuard.Settings.of(maxAttempts)));
        ApiClient client = new ApiClient(camel, guard, baseUrl,
                authenticator(requester.auth(), resolve, camel, settings, policy), hint);
        return new DeclarativeSource(manifest, settings.name(), ordered, client, resolve, context.clock());
    }

    @Override
    public SinkConnector createSink(ConnectorSettings settings, ConnectorContext context) {
        throw new ConfigException(settings.key("write"), "is not supported: '" + manifest.type()
                + "' is a declarative connector (" + manifest.file() + "), and declarative connectors only read");
    }

    private Authenticator authenticator(Manifest.Auth auth, java.util.function.UnaryOperator<String> resolve,
                                        CamelContext camel, ConnectorSettings settings, RetryPolicy policy) {
        Map<String, String> values = auth.values();
        switch (auth.type()) {
            case "bearer":
                return Authenticator.bearer(Secret.of(resolve.apply(values.get("token"))));
            case "basic":
                return Authenticator.basic(resolve.apply(values.get("user")), Secret.of(resolve.apply(values.get("password"))));
            case "api-key-header":
                return Authenticator.apiKeyHeader(resolve.apply(values.get("header")), Secret.of(resolve.apply(values.get("key"))));
            case "api-key-query":
                return Authenticator.apiKeyQuery(resolve.apply(values.get("parameter")), Secret.of(resolve.apply(values.get("key"))));
            case "oauth2-client-credentials": {
                URI tokenUrl = url(settings, resolve.apply(values.get("token-url")));
                ApiClient tokens = new ApiClient(camel, new CallGuard(settings.name() + " token", manifest.type(),
                        policy, CallGuard.Settings.of(3)),
                        URI.create(tokenUrl.getScheme() + "://" + tokenUrl.getRawAuthority()), Authenticator.none(),
                        "Check the client id and secret.");
                return Authenticator.oauth2ClientCredentials(tokens, tokenUrl, resolve.apply(values.get("client-id")),
                        Secret.of(resolve.apply(values.get("client-secret"))),
                        values.containsKey("scope") ? resolve.apply(values.get("scope")) : null);
            }
            default:
                return Authenticator.none();
        }
    }

    private URI url(ConnectorSettings settings, String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new URISyntaxException(text, "not absolute");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(settings.key("type"), "'" + manifest.type() + "' resolves a URL to '" + text
                    + "', which is not an absolute http(s) URL; check the settings it uses (" + manifest.file() + ")");
        }
    }

    static String resolve(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(values.getOrDefault(matcher.group(1), "")));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }
}
