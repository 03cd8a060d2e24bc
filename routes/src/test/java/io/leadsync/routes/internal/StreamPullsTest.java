package io.leadsync.routes.internal;

import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.Page;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class StreamPullsTest {
    private final ExecutorService lanes = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        lanes.shutdownNow();
    }

    /** A source whose first stream carries persons and whose others carry activities. */
    private static SourceConnector source(String name, String... streams) {
        return new SourceConnector() {
            @Override
            public ConnectorDescriptor descriptor() {
                return new ConnectorDescriptor("fake", name, List.of(streams), 1,
                        Set.of(ConnectorDescriptor.Capability.READ));
            }

            @Override
            public CheckResult check() {
                return CheckResult.success("fake");
            }

            @Override
            public Stream<Page<SourceRecord>> read(StreamId stream, Cursor from) {
                return Stream.empty();
            }

            @Override
            public boolean carriesPersons(String stream) {
                return stream.equals(streams[0]);
            }
        };
    }

    private static RunContext run(boolean dryRun, SourceConnector... sources) {
        SyncJob job = new SyncJob("job", null, List.of(sources), List.<SinkConnector>of(),
                SyncJob.TaskPolicy.defaults());
        return new RunContext(1, job, "test", "owner", Instant.now(), dryRun);
    }

    /** A source of activities only. */
    private static SourceConnector activitiesOnly(String name, String... streams) {
        SourceConnector source = source(name, streams);
        return new SourceConnector() {
            @Override
            public ConnectorDescriptor descriptor() {
                return source.descriptor();
            }

            @Override
            public CheckResult check() {
                return source.check();
            }

            @Override
            public Stream<Page<SourceRecord>> read(StreamId stream, Cursor from) {
                return Stream.empty();
            }

            @Override
            public boolean carriesPersons(String stream) {
                return false;
            }
        };
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as(what).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void personStreamsGoInTheJobsOrderOnTheRunsThreadAndEachSourcesActivitiesStartInALaneOnceItsPersonsAreStored() {
        RunContext run = run(false, source("crm", "contacts", "emails", "calls"),
                source("analytics", "profiles", "events"));
        List<String> order = new CopyOnWriteArrayList<>();
        Map<String, Thread> threads = new ConcurrentHashMap<>();
        Map<String, Boolean> parallel = new ConcurrentHashMap<>();
        // analytics' persons wait until crm's lane has started, and each lane's first stream until the other lane
        // has started: pulled one after the other, they would wait forever (a latch times out, the test fails)
        CountDownLatch emailsStarted = new CountDownLatch(1);
        CountDownLatch bothStarted = new CountDownLatch(2);
        new StreamPulls(lanes).pullAll(run, (r, stream) -> {
            String name = stream.source() + "/" + stream.stream();
            order.add(name);
            threads.put(name, Thread.currentThread());
            parallel.put(name, r.parallel());
            if (name.equals("crm/emails")) {
                emailsStarted.countDown();
            }
            if (name.equals("analytics/profiles")) {
                await(emailsStarted, "crm's activities pulled beside analytics' persons");
            }
            if (name.equals("crm/emails") || name.equals("analytics/events")) {
                bothStarted.countDown();
                await(bothStarted, "the other lane started");
                assertThat(r.workers()).contains(Thread.currentThread());
            }
        });
        assertThat(order.get(0)).isEqualTo("crm/contacts");
        assertThat(order).containsExactlyInAnyOrder("crm/contacts", "crm/emails", "crm/calls", "analytics/profiles",
                "analytics/events");
        assertThat(order.indexOf("crm/emails")).isLessThan(order.indexOf("crm/calls"));
        assertThat(order.indexOf("analytics/profiles")).isLessThan(order.indexOf("analytics/events"));
        assertThat(threads.get("crm/contacts")).isSameAs(Thread.currentThread());
        assertThat(threads.get("analytics/profiles")).isSameAs(Thread.currentThread());
        assertThat(threads.get("crm/emails")).isNotSameAs(Thread.currentThread())
                .isSameAs(threads.get("crm/calls")).isNotSameAs(threads.get("analytics/events"));
        assertThat(threads.get("analytics/events")).isNotSameAs(Thread.currentThread());
        // the persons pulled beside a lane check the lease instead of renewing it, as the lanes' pages do
        assertThat(parallel).containsEntry("crm/contacts", false).containsEntry("analytics/profiles", true)
                .containsEntry("crm/emails", true).containsEntry("analytics/events", true);
        // the lanes are done: the run knows no thread of theirs, and its pages renew the lease again
        assertThat(run.workers()).doesNotContain(threads.get("crm/emails"), threads.get("analytics/events"));
        assertThat(run.parallel()).isFalse();
        // an assertion failing in a lane is recorded as the pull's failure
        assertThat(run.stats().problems()).isEmpty();
        assertThat(run.hasFailed()).isFalse();
        assertThat(((Map<?, ?>) run.stats().toMap().get("timingsMillis")).containsKey("pull")).isTrue();
    }

    @Test
    void theActivitiesOfASourceWithoutPersonsWaitForEveryPersonStream() {
        RunContext run = run(false, source("crm", "contacts", "emails"), activitiesOnly("web", "visits"),
                source("analytics", "profiles", "events"));
        List<String> order = new CopyOnWriteArrayList<>();
        Map<String, Thread> threads = new ConcurrentHashMap<>();
        new StreamPulls(lanes).pullAll(run, (r, stream) -> {
            String name = stream.source() + "/" + stream.stream();
            order.add(name);
            threads.put(name, Thread.currentThread());
        });
        assertThat(order).containsExactlyInAnyOrder("crm/contacts", "crm/emails", "web/visits",
                "analytics/profiles", "analytics/events");
        assertThat(order.indexOf("web/visits")).isGreaterThan(order.indexOf("analytics/profiles"));
        assertThat(order.indexOf("crm/emails")).isGreaterThan(order.indexOf("crm/contacts"));
        assertThat(threads.get("web/visits")).isNotSameAs(Thread.currentThread());
        assertThat(run.parallel()).isFalse();
    }

    @Test
    void aLoneLaneAfterTheLastPersonsGoesOnTheRunsThreadAndOneBeforeThemDoesNot() {
        RunContext last = run(false, source("analytics", "profiles"), source("crm", "contacts", "emails"));
        Thread own = Thread.currentThread();
        List<String> onOwn = new CopyOnWriteArrayList<>();
        new StreamPulls(lanes).pullAll(last, (r, stream) -> {
            if (Thread.currentThread() == own) {
                onOwn.add(stream.source() + "/" + stream.stream());
            }
        });
        assertThat(onOwn).containsExactly("analytics/profiles", "crm/contacts", "crm/emails");

        RunContext first = run(false, source("crm", "contacts", "emails"), source("analytics", "profiles"));
        List<String> ownFirst = new CopyOnWriteArrayList<>();
        new StreamPulls(lanes).pullAll(first, (r, stream) -> {
            if (Thread.currentThread() == own) {
                ownFirst.add(stream.source() + "/" + stream.stream());
            }
        });
        assertThat(ownFirst).containsExactly("crm/contacts", "analytics/profiles");
    }

    @Test
    void aDryRunPullsEveryStreamInTheJobsOrderOnItsOwnThread() {
        RunContext run = run(true, source("crm", "contacts", "emails"), source("analytics", "profiles", "events"));
        List<String> order = new CopyOnWriteArrayList<>();
        Thread own = Thread.currentThread();
        new StreamPulls(lanes).pullAll(run, (r, stream) -> {
            assertThat(Thread.currentThread()).isSameAs(own);
            order.add(stream.source() + "/" + stream.stream() + (r.parallel() ? " beside" : ""));
        });
        assertThat(order).containsExactly("crm/contacts", "crm/emails", "analytics/profiles", "analytics/events");
    }

    @Test
    void oneSourceOfActivitiesIsPulledOnTheRunsThread() {
        RunContext run = run(false, source("crm", "contacts", "emails", "calls"));
        Thread own = Thread.currentThread();
        List<String> order = new CopyOnWriteArrayList<>();
        new StreamPulls(lanes).pullAll(run, (r, stream) -> {
            assertThat(Thread.currentThread()).isSameAs(own);
            order.add(stream.stream());
        });
        assertThat(order).containsExactly("contacts", "emails", "calls");
    }
}
