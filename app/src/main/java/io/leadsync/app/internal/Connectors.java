package io.leadsync.app.internal;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorFactory;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.rest.ManifestException;
import io.leadsync.connector.rest.RestConnectorFactory;

import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The configured connector instances, created through the {@link ConnectorFactory} of their {@code type}: a
 * source when the block has {@code read}, a sink when it has {@code write}.
 */
public final class Connectors implements AutoCloseable {
    private final Map<String, SourceConnector> sources = new LinkedHashMap<>();
    private final Map<String, SinkConnector> sinks = new LinkedHashMap<>();

    /** The connector types on the class path (found through {@link ServiceLoader}). */
    public static Map<String, ConnectorFactory> discoverFactories() {
        Map<String, ConnectorFactory> factories = new LinkedHashMap<>();
        for (ConnectorFactory factory : ServiceLoader.load(ConnectorFactory.class)) {
            factories.put(factory.type(), factory);
        }
        return factories;
    }

    /**
     * The connector types on the class path and those the manifests in {@code manifestDir} declare.
     *
     * @throws ManifestException for an invalid manifest, or one whose type is built in
     */
    public static Map<String, ConnectorFactory> discoverFactories(Path manifestDir) {
        Map<String, ConnectorFactory> factories = discoverFactories();
        for (RestConnectorFactory manifest : RestConnectorFactory.loadAll(manifestDir)) {
            if (factories.containsKey(manifest.type())) {
                throw new ManifestException(manifest.file(), 1, "type",
                        "'" + manifest.type() + "' is a built-in connector type; choose another name");
            }
            factories.put(manifest.type(), manifest);
        }
        return factories;
    }

    public static Connectors create(Map<String, ConnectorSettings> configured, Map<String, ConnectorFactory> factories,
                                    ConnectorContext context) {
        Connectors connectors = new Connectors();
        try {
            configured.forEach((name, settings) -> {
                String type = settings.string("type").orElseThrow(() -> new ConfigException(settings.key("type"),
                        "is required; known connector types are " + new TreeSet<>(factories.keySet())));
                ConnectorFactory factory = factories.get(type);
                if (factory == null) {
                    throw new ConfigException(settings.key("type"), "'" + type + "' is not a known connector type;"
                            + " known types are " + new TreeSet<>(factories.keySet()));
                }
                boolean reads = settings.has("read");
                boolean writes = settings.has("write");
                if (!reads && !writes) {
                    throw new ConfigException("sync.connectors." + name, "needs a read block, a write block or both");
                }
                if (reads) {
                    connectors.sources.put(name, factory.createSource(settings, context));
                }
                if (writes) {
                    connectors.sinks.put(name, factory.createSink(settings, context));
                }
                settings.rejectUnknownKeys();
            });
        } catch (RuntimeException e) {
            connectors.close();
            throw e;
        }
        return connectors;
    }

    public Optional<SourceConnector> source(String name) {
        return Optional.ofNullable(sources.get(name));
    }

    public Optional<SinkConnector> sink(String name) {
        return Optional.ofNullable(sinks.get(name));
    }

    public Map<String, SourceConnector> sources() {
        return Map.copyOf(sources);
    }

    public Map<String, SinkConnector> sinks() {
        return Map.copyOf(sinks);
    }

    @Override
    public void close() {
        sources.values().forEach(SourceConnector::close);
        sinks.values().forEach(SinkConnector::close);
    }
}
