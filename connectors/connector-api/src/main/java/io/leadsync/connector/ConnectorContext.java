package io.leadsync.connector;

import java.time.Clock;
import java.util.Optional;

/**
 * What the host gives a connector: the clock to use, and shared services such as the Camel context through
 * which HTTP connectors speak. Kept as a lookup so that this module knows no framework.
 */
public interface ConnectorContext {
    Clock clock();

    <T> Optional<T> service(Class<T> type);

    static ConnectorContext of(Clock clock, Object... services) {
        return new ConnectorContext() {
            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public <T> Optional<T> service(Class<T> type) {
                for (Object service : services) {
                    if (type.isInstance(service)) {
                        return Optional.of(type.cast(service));
                    }
                }
                return Optional.empty();
            }
        };
    }
}
