package io.leadsync.routes.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Pages 1..n; page {@code failAt} fails to be read; each read is recorded with the thread's run id. */
    private static final class Pages implements Iterator<Integer> {
        final int count;
        final int failAt;
        final AtomicInteger read = new AtomicInteger();
        final List<String> runIds = new ArrayList<>();

        Pages(int count, int failAt) {
            this.count = count;
            this.failAt = failAt;
        }

        @Override
        public boolean hasNext() {
            return read.get() < count;
        }

        @Override
        public Integer next() {
            int page = read.incrementAndGet();
            synchronized (runIds) {
                runIds.add(MDC.get("run"));
            }
            if (page == failAt) {
                throw new IllegalStateException("page " + page + " was unreadable");
            }
            return page;
        }
    }

    @Test
    void readsTheNextPageWhileTheCurrentOneIsStoredAndKeepsTheOrder() throws Exception {
        Pages pages = new Pages(5, 0);
        MDC.put("run", "42");
        try (ReadAhead<Integer> ahead = new ReadAhead<>(pages, executor)) {
            assertThat(ahead.next()).isEqualTo(1);
            // while page 1 is "stored", page 2 is read (and no further: one page ahead)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (pages.read.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(50);
            assertThat(pages.read.get()).isEqualTo(2);
            List<Integer> rest = new ArrayList<>();
            ahead.forEachRemaining(rest::add);
            assertThat(rest).containsExactly(2, 3, 4, 5);
        } finally {
            MDC.remove("run");
        }
        assertThat(pages.runIds).hasSize(5).containsOnly("42");
    }

    @Test
    void aFailureToReadArrivesAfterEveryPageBeforeIt() {
        Pages pages = new Pages(5, 3);
        InOrderFailures<Integer> inOrder = new InOrderFailures<>(new ReadAhead<>(pages, executor));
        List<Object> seen = new ArrayList<>();
        inOrder.forEachRemaining(seen::add);
        assertThat(seen).hasSize(3);
        assertThat(seen.subList(0, 2)).containsExactly(1, 2);
        assertThat(seen.get(2)).isInstanceOfSatisfying(InOrderFailures.Failure.class,
                failure -> assertThat(failure.cause()).hasMessage("page 3 was unreadable"));
    }

    @Test
    void closingInterruptsAHungReadAndWaitsForItToEnd() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        Iterator<Integer> hung = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                reading.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    ended.set(true);
                }
                throw new IllegalStateException("interrupted");
            }
        };
        ReadAhead<Integer> ahead = new ReadAhead<>(hung, executor);
        Thread consumer = new Thread(() -> assertThatThrownBy(ahead::hasNext).isInstanceOf(RuntimeException.class));
        consumer.start();
        assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
        consumer.interrupt();
        consumer.join(5_000);
        long started = System.nanoTime();
        ahead.close();
        assertThat(ended).isTrue();
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }
}
