package io.leadsync.connector.rest;

/**
 * A connector manifest that cannot be used, with where and why:
 * {@code config/connectors/pipedrive.yml:14: streams.persons.pagination.type 'offst' is not a pagination type; ...}.
 * Thrown at start-up; the service does not start with a manifest it cannot honour.
 */
public class ManifestException extends RuntimeException {
    private final String file;
    private final int line;
    private final String key;

    public ManifestException(String file, int line, String key, String problem) {
        super(file + ":" + line + ": " + (key == null || key.isEmpty() ? "" : key + " ") + problem);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String key() {
        return key;
    }
}
