package io.leadsync.sandbox.hubspot.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One CRM object held by the simulator; read and mutated only under the state's lock. */
public final class SimObject {
    final String id;
    final String type;
    final Map<String, String> properties = new LinkedHashMap<>();
    final Instant createdAt;
    Instant updatedAt;
    boolean archived;

    SimObject(String id, String type, Instant createdAt) {
        this.id = id;
        this.type = type;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    public String id() {
        return id;
    }

    public String type() {
        return type;
    }

    /** A copy of its properties. */
    public Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public boolean archived() {
        return archived;
    }
}
