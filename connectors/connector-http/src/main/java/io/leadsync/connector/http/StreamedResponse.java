package io.leadsync.connector.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A successful answer whose body is read as a stream (a JSONL export of millions of lines), never held whole.
 * Closing it releases the connection; read it to the end or close it.
 */
public final class StreamedResponse implements AutoCloseable {
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;

    StreamedResponse(int status, Map<String, String> headers, InputStream body) {
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = body == null ? InputStream.nullInputStream() : body;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public InputStream body() {
        return body;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing a streamed answer failed", e);
        }
    }
}
