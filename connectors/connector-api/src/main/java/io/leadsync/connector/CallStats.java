package io.leadsync.connector;

/**
 * What a connector instance's calls to its vendor met, counted since the instance was built: the pipeline stores the
 * difference over a run in the run's stats, and the circuit state at the run's end.
 *
 * @param attempts          HTTP requests sent, retries included
 * @param retries           attempts that repeated an earlier one
 * @param rateLimited       answers that asked to slow down (429, Salesforce's transient limits)
 * @param serverErrors      5xx answers
 * @param transportFailures attempts that got no answer (refused, reset, timed out)
 * @param malformed         successful answers whose body could not be read (not JSON, cut short)
 * @param rejected          calls refused at once because the vendor's circuit was open
 * @param rateLimitWaitMillis time spent waiting for the vendor's limits (permits and Retry-After)
 * @param circuit           the circuit's state: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 */
public record CallStats(long attempts, long retries, long rateLimited, long serverErrors, long transportFailures,
                        long malformed, long rejected, long rateLimitWaitMillis, String circuit) {

    public static final CallStats NONE = new CallStats(0, 0, 0, 0, 0, 0, 0, 0, "CLOSED");

    /** The counts since {@code earlier}, with this state. */
    public CallStats since(CallStats earlier) {
        return new CallStats(attempts - earlier.attempts, retries - earlier.retries, rateLimited - earlier.rateLimited,
                serverErrors - earlier.serverErrors, transportFailures - earlier.transportFailures,
                malformed - earlier.malformed, rejected - earlier.rejected,
                rateLimitWaitMillis - earlier.rateLimitWaitMillis, circuit);
    }
}
