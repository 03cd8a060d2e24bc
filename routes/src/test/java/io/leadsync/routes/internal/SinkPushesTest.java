package io.leadsync.routes.internal;

import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.routes.SyncJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SinkPushesTest {
    private final ExecutorService lanes = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        lanes.shutdownNow();
    }

    private static SinkConnector sink(String name) {
        return new SinkConnector() {
            @Override
            public ConnectorDescriptor descriptor() {
                return new ConnectorDescriptor("fake", name, List.of(), 1,
                        Set.of(ConnectorDescriptor.Capability.WRITE));
            }

            @Override
            public CheckResult check() {
                return CheckResult.success("fake");
            }

            @Override
            public int maxBatchSize() {
                return 100;
            }

            @Override
            public List<RecordResult> write(List<FieldChange> changes) {
                return List.of();
            }
        };
    }

    private static RunContext run(boolean dryRun, SinkConnector... sinks) {
        SyncJob job = new SyncJob("job", null, List.<SourceConnector>of(), List.of(sinks),
                SyncJob.TaskPolicy.defaults());
        return new RunContext(1, job, "test", "owner", Instant.now(), dryRun);
    }

    @Test
    void eachSinkIsPushedBesideTheOthersTheFirstOnTheRunsThread() {
        SinkConnector crm = sink("crm");
        SinkConnector other = sink("other-crm");
        RunContext run = run(false, crm, other);
        Map<String, Thread> threads = new ConcurrentHashMap<>();
        Map<String, Boolean> parallel = new ConcurrentHashMap<>();
        // each push waits until the other has started: pushed one after the other they would wait forever
        CountDownLatch bothStarted = new CountDownLatch(2);
        new SinkPushes(lanes).pushAll(run, List.of(crm, other), (r, sink) -> {
            String name = sink.descriptor().name();
            threads.put(name, Thread.currentThread());
            parallel.put(name, r.parallel());
            bothStarted.countDown();
            try {
                assertThat(bothStarted.await(10, TimeUnit.SECONDS)).as("the other push started").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (sink == other) {
                assertThat(r.workers()).contains(Thread.currentThread());
            }
        });
        assertThat(threads.get("crm")).isSameAs(Thread.currentThread());
        assertThat(threads.get("other-crm")).isNotSameAs(Thread.currentThread());
        assertThat(parallel).containsEntry("crm", true).containsEntry("other-crm", true);
        assertThat(run.parallel()).isFalse();
        assertThat(run.workers()).doesNotContain(threads.get("other-crm"));
        assertThat(run.hasFailed()).isFalse();
        assertThat(((Map<?, ?>) run.stats().toMap().get("timingsMillis")).containsKey("push")).isTrue();
    }

    @Test
    void aFailingPushLeavesTheOtherToFinishAndIsRecorded() {
        SinkConnector crm = sink("crm");
        SinkConnector other = sink("other-crm");
        RunContext run = run(false, crm, other);
        List<String> finished = new CopyOnWriteArrayList<>();
        new SinkPushes(lanes).pushAll(run, List.of(crm, other), (r, sink) -> {
            if (sink == other) {
                throw new IllegalStateException("other-crm is down");
            }
            finished.add(sink.descriptor().name());
        });
        assertThat(finished).containsExactly("crm");
        assertThat(run.hasFailed()).isTrue();
        assertThat(run.parallel()).isFalse();
    }

    @Test
    void aDryRunPushesOneSinkAfterTheOtherOnItsOwnThread() {
        SinkConnector crm = sink("crm");
        SinkConnector other = sink("other-crm");
        RunContext run = run(true, crm, other);
        Thread own = Thread.currentThread();
        List<String> order = new CopyOnWriteArrayList<>();
        new SinkPushes(lanes).pushAll(run, List.of(crm, other), (r, sink) -> {
            assertThat(Thread.currentThread()).isSameAs(own);
            order.add(sink.descriptor().name() + (r.parallel() ? " beside" : ""));
        });
        assertThat(order).containsExactly("crm", "other-crm");
    }
}
