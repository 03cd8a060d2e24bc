package io.leadsync.sandbox.faults;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.Set;

/**
 * What a {@link FaultRule} does to a request it takes. Each kind names the parameters it accepts
 * ({@link FaultRule#params()}); any other parameter is refused when the rule is made.
 *
 * <p>Where the answer has a vendor's shape (429s, 5xx, 401s, per-record failures) each simulator writes its own
 * vendor's body and headers; the transport faults (slow, dropped, malformed, truncated, dead) are the same on
 * every simulator.
 */
public enum FaultKind {
    /**
     * The vendor's own rate-limit answer: HubSpot's 429 with {@code errorType: RATE_LIMIT} and
     * {@code X-HubSpot-RateLimit-*} headers, Salesforce's transient-overload answer, Mixpanel's 429, the REST
     * simulators' 429. The request is not processed. Parameters: {@code policy} (vendor-specific, see
     * {@code docs/sandbox.md}), {@code retryAfter} (seconds: adds a {@code Retry-After} header).
     */
    RATE_LIMIT("policy", "retryAfter"),
    /**
     * A 5xx with the vendor's error body; the request is not processed. Parameters: {@code status} (500-599,
     * default 500), {@code retryAfter} (seconds).
     */
    SERVER_ERROR("status", "retryAfter"),
    /**
     * The answer comes after the rule's {@link FaultRule#delay() delay} (the request is processed after it). A delay
     * long enough to look hung still ends when the simulator closes: the connection is then closed unanswered.
     */
    SLOW,
    /** The connection is closed without an answer and the request is not processed. */
    DROP_BEFORE,
    /**
     * The request is processed (a write changes the simulator's state), then the connection is closed without an
     * answer: the client cannot know the write happened.
     */
    DROP_AFTER,
    /**
     * Status 200 with a body that is not JSON (an HTML proxy page by default). Parameters: {@code processed}
     * ({@code true}: the vendor processes the request first and its answer is replaced), {@code body} (the text
     * sent), {@code contentType} (default {@code text/html; charset=utf-8}).
     */
    MALFORMED("processed", "body", "contentType"),
    /**
     * The real answer, cut partway. Parameters: {@code cut} ({@code body}, the default: a well-formed HTTP answer
     * whose body is cut, its Content-Length saying so, or a streamed answer that ends early; {@code connection}: the
     * connection closes partway, a fixed-length answer's declared Content-Length longer than what arrives, a streamed
     * answer without its last chunk), {@code at} (the share of the body kept, 0 to 1 exclusive, default 0.5; a
     * stream longer than 1 MiB is cut within its first MiB). A cut never falls just after a line break, so a JSONL
     * stream never looks complete.
     */
    TRUNCATED("cut", "at"),
    /**
     * The access token of the request stops working: HubSpot answers 401 {@code EXPIRED_AUTHENTICATION} to it until
     * the faults are cleared; Salesforce ends every session and answers 401 {@code INVALID_SESSION_ID}, so its
     * client logs in again; the REST simulators answer their 401 until cleared. Not applicable to Mixpanel.
     */
    EXPIRE_TOKEN,
    /**
     * A share of the records in a batch write fail with the vendor's per-record error and are left unchanged (HubSpot
     * 207 multi-status on {@code batch/update} and {@code batch/read}, Salesforce {@code success:false} entries on
     * composite sObject collections). At least one record of a batch fails. Parameters: {@code records} (the share
     * of a batch's records that fail, default 0.5), {@code error} (the vendor's error code or category),
     * {@code message}.
     */
    PARTIAL_BATCH("records", "error", "message"),
    /**
     * The vendor is unreachable: every matching request's connection is closed at once, unanswered and unprocessed,
     * until the rule is removed (the faults cleared).
     */
    DEAD;

    private final Set<String> parameters;

    FaultKind(String... parameters) {
        this.parameters = Set.of(parameters);
    }

    /** The parameters this kind accepts. */
    public Set<String> parameters() {
        return parameters;
    }

    /** A kind by name, case and {@code -}/{@code _} insensitive; a clear error names the kinds there are. */
    @JsonCreator
    public static FaultKind parse(String name) {
        String normalized = name.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (FaultKind kind : values()) {
            if (kind.name().equals(normalized)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown fault kind '" + name + "'; the kinds are "
                + java.util.Arrays.toString(values()));
    }
}
