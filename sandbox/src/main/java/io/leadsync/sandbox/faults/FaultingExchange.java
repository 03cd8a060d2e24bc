package io.leadsync.sandbox.faults;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The exchange a simulator answers through: the request body already read, the answer passed on as is, or cut,
 * replaced or never sent as the request's fault says. Runs the {@link RequestHook.Phase#AFTER} hooks when the
 * simulator, having processed the request, starts its answer. Once the connection is "dropped", every further write
 * fails and {@link SimulatorServer} closes the socket without an answer (or without the rest of it).
 */
final class FaultingExchange extends HttpExchange {
    /** What happens to the simulator's answer. */
    enum Mode { PASS, DROP_AFTER, TRUNCATE, REPLACE }

    /** Streams are cut within their first MiB: the cutter holds that much. */
    static final int STREAM_CUT_LIMIT = 1 << 20;

    /** Runs the AFTER hooks with the status the simulator is about to send; true if one asked to drop. */
    interface AfterHook {
        boolean run(int status);
    }

    private final HttpExchange real;
    private final byte[] requestBody;
    private final Mode mode;
    private final FaultRule rule;
    private final SimulatorServer.Answer replacement;
    private final AfterHook afterHook;
    private final java.util.function.IntConsumer answered;
    private boolean reported;
    private InputStream requestStream;
    private boolean headersSent;
    private volatile boolean dropped;
    private boolean closed;
    private int status = -1;
    private OutputStream target;
    private final OutputStream responseBody = new OutputStream() {
        private boolean bodyClosed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (dropped) {
                throw droppedConnection();
            }
            if (target == null) {
                throw new IOException("the answer's headers have not been sent");
            }
            target.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            if (dropped) {
                throw droppedConnection();
            }
            if (target != null) {
                target.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (bodyClosed) {
                return;
            }
            bodyClosed = true;
            if (target != null && !dropped) {
                target.close();
            }
        }
    };

    FaultingExchange(HttpExchange real, byte[] requestBody, Mode mode, FaultRule rule,
                     SimulatorServer.Answer replacement, AfterHook afterHook, java.util.function.IntConsumer answered) {
        this.real = real;
        this.requestBody = requestBody;
        this.mode = mode;
        this.rule = rule;
        this.replacement = replacement;
        this.afterHook = afterHook;
        this.answered = answered;
    }

    /**
     * Tells the simulator the request is answered, once: as the answer's status goes out (before the client can
     * have the answer, so that a client counting the simulator's requests right after its call finds this one), or
     * at the end with -1 when the connection was dropped first.
     */
    void report() {
        if (!reported) {
            reported = true;
            answered.accept(status);
        }
    }

    static IOException droppedConnection() {
        return new IOException("connection dropped by a sandbox fault");
    }

    boolean dropped() {
        return dropped;
    }

    private IOException drop() {
        dropped = true;
        return droppedConnection();
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
        if (dropped) {
            throw droppedConnection();
        }
        if (headersSent) {
            throw new IOException("the answer's headers were sent already");
        }
        headersSent = true;
        if (afterHook.run(code)) {
            throw drop();
        }
        switch (mode) {
            case PASS -> {
                status = code;
                report();
                real.sendResponseHeaders(code, length);
                target = real.getResponseBody();
            }
            case DROP_AFTER -> throw drop();
            case REPLACE -> {
                real.getResponseHeaders().clear();
                real.getResponseHeaders().add("Content-Type", replacement.contentType());
                replacement.headers().forEach((name, value) -> real.getResponseHeaders().add(name, value));
                status = replacement.status();
                report();
                real.sendResponseHeaders(replacement.status(), replacement.body().length == 0 ? -1
                        : replacement.body().length);
                try (OutputStream out = real.getResponseBody()) {
                    out.write(replacement.body());
                }
                target = OutputStream.nullOutputStream();
            }
            case TRUNCATE -> {
                status = code;
                report();
                if (length < 0) {
                    real.sendResponseHeaders(code, length);
                    target = real.getResponseBody();
                } else {
                    if (length == 0) {
                        real.sendResponseHeaders(code, 0);
                    }
                    target = new CutStream(code, length);
                }
            }
            default -> throw new IllegalStateException(mode.toString());
        }
    }

    /**
     * Holds the answer (a fixed-length one whole, a stream up to {@link #STREAM_CUT_LIMIT}) and sends only its first
     * part: in a well-formed answer (cut=body) or followed by a closed connection (cut=connection).
     */
    private final class CutStream extends OutputStream {
        private final int code;
        private final long declared;
        private final boolean connection = "connection".equals(rule.param("cut", "body"));
        private final double at = Double.parseDouble(rule.param("at", "0.5"));
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private boolean finished;
        private boolean streamClosed;

        CutStream(int code, long declared) {
            this.code = code;
            this.declared = declared;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (finished) {
                return;
            }
            buffer.write(bytes, offset, length);
            if (declared == 0 && buffer.size() >= STREAM_CUT_LIMIT) {
                finish();
            }
        }

        @Override
        public void close() throws IOException {
            if (streamClosed) {
                return;
            }
            streamClosed = true;
            if (!finished) {
                finish();
            }
            real.getResponseBody().close();
        }

        private void finish() throws IOException {
            finished = true;
            byte[] bytes = buffer.toByteArray();
            int cut = cutPoint(bytes, Math.min(bytes.length, declared == 0 ? STREAM_CUT_LIMIT : bytes.length), at);
            if (declared > 0) {
                real.sendResponseHeaders(code, connection ? declared : cut == 0 ? -1 : cut);
            }
            OutputStream out = real.getResponseBody();
            out.write(bytes, 0, cut);
            out.flush();
            if (connection) {
                throw drop();
            }
        }
    }

    /**
     * Where to cut a body whose first {@code length} bytes are these, keeping about {@code at} of them: at least one
     * byte kept and one lost, and never just after a line break (a JSONL stream cut there would look complete).
     */
    static int cutPoint(byte[] bytes, int length, double at) {
        if (length < 2) {
            return 0;
        }
        int cut = (int) Math.max(1, Math.min(length - 1, Math.round(length * at)));
        if (bytes[cut - 1] == '\n') {
            cut = cut + 1 <= length - 1 ? cut + 1 : Math.max(1, cut - 1);
        }
        return cut;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            responseBody.close();
        } catch (IOException e) {
            // the client went away, or a cut answer dropped the connection
        }
        if (!dropped) {
            real.close();
        }
    }

    // ---------------------------------------------------------------- delegation

    @Override
    public InputStream getRequestBody() {
        if (requestStream == null) {
            requestStream = new ByteArrayInputStream(requestBody);
        }
        return requestStream;
    }

    @Override
    public OutputStream getResponseBody() {
        return responseBody;
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public Headers getRequestHeaders() {
        return real.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
        return real.getResponseHeaders();
    }

    @Override
    public URI getRequestURI() {
        return real.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
        return real.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return real.getHttpContext();
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return real.getRemoteAddress();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return real.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return real.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return real.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        real.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        throw new UnsupportedOperationException("the sandbox's exchanges keep their streams");
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return real.getPrincipal();
    }
}
