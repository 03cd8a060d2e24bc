package io.leadsync.connector;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the host gives a connector: the clock to use, and shared services such as the Camel context through
 * which HTTP connectors speak. Kept as a lookup so that this module knows no framework.
 */
public interface ConnectorContext {
    Clock clock();

    <T> Optional<T> service(Class<T> type);

    /**
     * One object per key for the life of the host, created on first use: what the source and the sink of one
     * configured instance share, such as the guard that keeps both under the vendor's rate limits.
     */
    <T> T shared(String key, Class<T> type, Supplier<T> create);

    static ConnectorContext of(Clock clock, Object... services) {
        Map<String, Object> shared = new ConcurrentHashMap<>();
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

            @Override
            public <T> T shared(String key, Class<T> type, Supplier<T> create) {
                return type.cast(shared.computeIfAbsent(key, k -> create.get()));
            }
        };
    }
}
