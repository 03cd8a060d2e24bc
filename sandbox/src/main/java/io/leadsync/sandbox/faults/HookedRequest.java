package io.leadsync.sandbox.faults;

import java.nio.charset.StandardCharsets;

/** The request a {@link RequestHook} fired on, as its callback sees it. */
public final class HookedRequest {
    private final String method;
    private final String path;
    private final String query;
    private final byte[] body;
    private final RequestHook.Phase phase;
    private final int status;
    private volatile boolean drop;

    HookedRequest(String method, String path, String query, byte[] body, RequestHook.Phase phase, int status) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.body = body;
        this.phase = phase;
        this.status = status;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The raw query string, or null. */
    public String query() {
        return query;
    }

    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public RequestHook.Phase phase() {
        return phase;
    }

    /** The status the simulator is about to answer ({@link RequestHook.Phase#AFTER}); -1 before it is processed. */
    public int status() {
        return status;
    }

    /**
     * After the callback, close the connection without an answer: {@link RequestHook.Phase#BEFORE}, the request is
     * not processed (as if the client died before the vendor read it); {@link RequestHook.Phase#AFTER}, its effect
     * stays and its answer is never sent.
     */
    public void dropConnection() {
        drop = true;
    }

    boolean dropRequested() {
        return drop;
    }
}
