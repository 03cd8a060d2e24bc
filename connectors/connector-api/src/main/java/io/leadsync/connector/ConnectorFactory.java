package io.leadsync.connector;

/**
 * Creates connectors of one type from their configuration. Found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.leadsync.connector.ConnectorFactory}), so adding a connector type adds a jar, not
 * a change to the host.
 *
 * <p>Called once per configured instance at start-up. A factory validates its whole block of settings and
 * throws {@link ConfigException} naming the full key of the first problem; unknown keys are errors.
 */
public interface ConnectorFactory {

    /** The type name written in config, e.g. {@code hubspot}. */
    String type();

    /**
     * The settings of this type's block ({@code sync.connectors.<name>.*}) described as data: what the factory reads
     * (through {@link ConnectorSettings#get}) and what the configuration reference documents. Empty when the type
     * documents its settings elsewhere only.
     */
    default java.util.List<Setting<?>> settings() {
        return java.util.List.of();
    }

    /**
     * Creates the source side of a configured instance.
     *
     * @throws ConfigException when the settings are invalid
     */
    default SourceConnector createSource(ConnectorSettings settings, ConnectorContext context) {
        throw new ConfigException(settings.key("type"), "'" + type() + "' cannot be read from");
    }

    /**
     * Creates the sink side of a configured instance.
     *
     * @throws ConfigException when the settings are invalid
     */
    default SinkConnector createSink(ConnectorSettings settings, ConnectorContext context) {
        throw new ConfigException(settings.key("type"), "'" + type() + "' cannot be written to");
    }
}
