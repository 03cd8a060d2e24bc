package io.leadsync.sandbox.faults;

import java.util.Map;

/**
 * What a simulator saw and injected since it started (or since {@link FaultInjector#resetStats()}). Control
 * requests ({@code /_sandbox/...}) are not counted.
 *
 * @param requests every vendor request that arrived, faulted or not
 * @param byClass  those requests by what they do (reads, writes, logins)
 * @param byRoute  those requests by method and path, ids in the path shown as {@code {id}}:
 *                 {@code "POST /crm/v3/objects/contacts/batch/update"}, {@code "PATCH /crm/v3/objects/contacts/{id}"}
 * @param injected faults injected, by kind
 */
public record FaultStats(long requests, Map<RequestClass, Long> byClass, Map<String, Long> byRoute,
                         Map<FaultKind, Long> injected) {
    public FaultStats {
        byClass = Map.copyOf(byClass);
        byRoute = Map.copyOf(byRoute);
        injected = Map.copyOf(injected);
    }

    public long reads() {
        return byClass.getOrDefault(RequestClass.READ, 0L);
    }

    public long writes() {
        return byClass.getOrDefault(RequestClass.WRITE, 0L);
    }

    /** Faults of this kind injected. */
    public long injected(FaultKind kind) {
        return injected.getOrDefault(kind, 0L);
    }

    /** Requests of one route, e.g. {@code route("POST /crm/v3/objects/contacts/batch/update")}. */
    public long route(String methodAndPath) {
        return byRoute.getOrDefault(methodAndPath, 0L);
    }
}
