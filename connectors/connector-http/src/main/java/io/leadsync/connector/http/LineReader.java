package io.leadsync.connector.http;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads the lines of a JSON Lines answer and says whether each ended with its line break, so that a last line cut
 * short (the connection closed mid-record) is told apart from a complete line that holds a bad record. Not
 * thread-safe.
 */
public final class LineReader implements AutoCloseable {
    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private boolean terminated = true;

    public LineReader(Reader in) {
        this.in = in;
    }

    /** The next line without its break ({@code \n} or {@code \r\n}), or null at the end. */
    public String readLine() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (position >= limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (line == null) {
                        return null;
                    }
                    terminated = false;
                    return strip(line);
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            if (line == null) {
                line = new StringBuilder(Math.max(16, position - start));
            }
            line.append(buffer, start, position - start);
            if (position < limit) {
                position++;
                terminated = true;
                return strip(line);
            }
        }
    }

    /** Whether the line last read ended with a line break (false: the answer ended in the middle of it). */
    public boolean lastLineTerminated() {
        return terminated;
    }

    private static String strip(StringBuilder line) {
        int length = line.length();
        if (length > 0 && line.charAt(length - 1) == '\r') {
            line.setLength(length - 1);
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
