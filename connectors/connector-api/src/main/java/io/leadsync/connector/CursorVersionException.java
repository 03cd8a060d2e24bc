package io.leadsync.connector;

/** A saved cursor was written by another version of the connector and cannot be used as it is. */
public class CursorVersionException extends ConnectorException {
    public CursorVersionException(Cursor stored, int currentVersion) {
        super("the saved cursor of " + stored.stream() + " has format version " + stored.version()
                + " but this connector reads version " + currentVersion
                + "; refusing to guess (it could re-pull or skip records). Reset the cursor explicitly to re-read"
                + " the stream, or run the connector version that wrote it");
    }
}
