package io.leadsync.connector;

import java.util.List;
import java.util.Set;

/**
 * What a configured connector is and can do.
 *
 * @param type          the connector type as written in config ({@code hubspot})
 * @param name          the configured instance name ({@code hubspot-main}); the {@code source} of its ids
 * @param streams       the streams it reads, in the order they should be pulled (persons before activities)
 * @param cursorVersion the format version of the cursors it writes
 * @param capabilities  what it can do
 */
public record ConnectorDescriptor(String type, String name, List<String> streams, int cursorVersion,
                                  Set<Capability> capabilities) {
    public ConnectorDescriptor {
        type = Values.requireText(type, "type");
        name = Values.requireText(name, "name");
        streams = List.copyOf(streams);
        capabilities = Set.copyOf(capabilities);
        if (cursorVersion < 1) {
            throw new IllegalArgumentException("cursorVersion must be >= 1 but was " + cursorVersion);
        }
    }

    public enum Capability { READ, WRITE, TASKS }
}
