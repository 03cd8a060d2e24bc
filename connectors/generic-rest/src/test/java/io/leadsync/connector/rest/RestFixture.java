package io.leadsync.connector.rest;

import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.SourceConnector;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Instances of the shipped example manifests. */
final class RestFixture implements AutoCloseable {
    final DefaultCamelContext camel = new DefaultCamelContext();

    RestFixture() {
        camel.start();
    }

    static RestConnectorFactory example(String file) {
        Path path = Path.of("../../config/connectors", file);
        try {
            return RestConnectorFactory.of(Files.readString(path), path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SourceConnector source(RestConnectorFactory factory, String name, Map<String, Object> settings) {
        return factory.createSource(ConnectorSettings.of(name, "sync.connectors." + name, settings),
                ConnectorContext.of(Clock.systemUTC(), camel));
    }

    @Override
    public void close() {
        camel.stop();
    }
}
