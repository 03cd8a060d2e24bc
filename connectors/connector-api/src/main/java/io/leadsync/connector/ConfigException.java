package io.leadsync.connector;

/**
 * Invalid configuration, named by its full key: {@code sync.connectors.hubspot-main.token is required}.
 * Thrown at start-up; the service does not start with a configuration it cannot honour. Credentials in the problem
 * (a URL with a password) are masked.
 */
public class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String problem) {
        super(key + " " + Secrets.mask(problem));
        this.key = key;
    }

    public String key() {
        return key;
    }
}
