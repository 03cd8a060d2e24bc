package io.leadsync.connector.http;

import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.Secrets;

/**
 * A vendor answered a call successfully but its body could not be read: not JSON (an HTML page from a proxy), cut
 * short, or without the part every answer of that call has (a page without its list of results). Never taken as an
 * empty page: the stream that made the call fails, its cursor stays where it was, and the run says so. The message
 * names the vendor, the call and the start of the body.
 */
public final class MalformedResponseException extends ConnectorException {
    private static final int SAMPLE = 200;

    public MalformedResponseException(String vendor, String connector, String call, int status, String body,
                                      int attempts) {
        super(vendor + " answered " + call + " (" + connector + ") with " + status + " and a body that is not JSON"
                + (attempts > 1 ? ", " + attempts + " times" : "") + ": " + sample(body));
    }

    /** A readable answer that lacks what every answer of the call has; {@code call} says which call and where. */
    public MalformedResponseException(String vendor, String call, String problem, String body) {
        super(vendor + " answered " + call + " with a body that " + problem + ": " + sample(body));
    }

    /** The start of a body, on one line, with anything that looks like a secret masked. */
    public static String sample(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String line = body.strip().replaceAll("\\s+", " ");
        String cut = line.length() <= SAMPLE ? line : line.substring(0, SAMPLE) + "… (" + body.length() + " chars)";
        return "'" + Secrets.mask(cut) + "'";
    }
}
