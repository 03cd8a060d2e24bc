package io.leadsync.connector;

/** One stream of one configured source, e.g. {@code StreamId("hubspot-main", "contacts")}. */
public record StreamId(String source, String stream) {
    public StreamId {
        source = Values.requireText(source, "source");
        stream = Values.requireText(stream, "stream");
    }

    @Override
    public String toString() {
        return source + "/" + stream;
    }
}
