package io.leadsync.routes;

import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.FollowUpTask;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.SinkConnector;

import java.util.List;
import java.util.OptionalLong;

/** A sink that hands every call to another; tests override what they change. */
class FakeSinkDelegate implements SinkConnector {
    final SinkConnector delegate;

    FakeSinkDelegate(SinkConnector delegate) {
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
    public int maxBatchSize() {
        return delegate.maxBatchSize();
    }

    @Override
    public void prepare() {
        delegate.prepare();
    }

    @Override
    public List<RecordResult> write(List<FieldChange> changes) {
        return delegate.write(changes);
    }

    @Override
    public boolean supportsTasks() {
        return delegate.supportsTasks();
    }

    @Override
    public List<RecordResult> createTasks(List<FollowUpTask> tasks) {
        return delegate.createTasks(tasks);
    }

    @Override
    public OptionalLong requestCount() {
        return delegate.requestCount();
    }
}
