package io.leadsync.routes;

import io.leadsync.connector.CallStats;
import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.Page;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.VendorCount;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** A source that forwards everything to a real one; tests override what they make go wrong. */
abstract class ForwardingSource implements SourceConnector {
    protected final SourceConnector delegate;

    ForwardingSource(SourceConnector delegate) {
        this.delegate = delegate;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return delegate.descriptor();
    }

    @Override
    public CheckResult check() {
        return delegate.check();
    }

    @Override
    public Stream<Page<SourceRecord>> read(StreamId stream, Cursor from) {
        return delegate.read(stream, from);
    }

    @Override
    public Cursor upgrade(Cursor stored) {
        return delegate.upgrade(stored);
    }

    @Override
    public Optional<VendorCount> count(StreamId stream, Cursor from, Cursor to) {
        return delegate.count(stream, from, to);
    }

    @Override
    public OptionalLong requestCount() {
        return delegate.requestCount();
    }

    @Override
    public Optional<CallStats> callStats() {
        return delegate.callStats();
    }
}
