package io.leadsync.routes.internal;

import io.leadsync.connector.Cursor;
import io.leadsync.connector.Page;
import io.leadsync.connector.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PageGroupsTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static Page<Integer> page(int number, int records) {
        return new Page<>(IntStream.range(0, records).map(i -> number * 1000 + i).boxed().toList(),
                new Cursor(new StreamId("src", "stream"), 1, Integer.toString(number)));
    }

    /** Pages of {@code records} records; page {@code failAt} cannot be read; page {@code gateAt} waits for the gate. */
    private static final class Pages implements Iterator<Page<Integer>> {
        final int count;
        final int records;
        final int failAt;
        final int gateAt;
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger read = new AtomicInteger();

        Pages(int count, int records, int failAt, int gateAt) {
            this.count = count;
            this.records = records;
            this.failAt = failAt;
            this.gateAt = gateAt;
        }

        @Override
        public boolean hasNext() {
            return read.get() < count;
        }

        @Override
        public Page<Integer> next() {
            int number = read.incrementAndGet();
            if (number == gateAt) {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (number == failAt) {
                throw new IllegalStateException("page " + number + " was unreadable");
            }
            return page(number, records);
        }
    }

    private static void awaitRead(Pages pages, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pages.read.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
    }

    private static List<String> cursors(List<Page<Integer>> group) {
        return group.stream().map(p -> p.next().position()).toList();
    }

    @Test
    void pagesAlreadyReadAreGroupedUpToTheRecordsInOrderAndTheReadAheadStopsAtItsBudget() throws Exception {
        Pages pages = new Pages(12, 100, 0, 0);
        try (ReadAhead<Page<Integer>> ahead = new ReadAhead<>(pages, executor, Page::size, 500)) {
            PageGroups<Integer> groups = new PageGroups<>(ahead, 250);
            assertThat(groups.hasNext()).isTrue();
            awaitRead(pages, 5);
            // the budget: pages waiting weigh 500 records at most (5 pages), so no sixth page is read yet
            assertThat(pages.read.get()).isEqualTo(5);
            assertThat(cursors(groups.next())).containsExactly("1", "2", "3");
            awaitRead(pages, 8);
            assertThat(cursors(groups.next())).containsExactly("4", "5", "6");
            List<List<String>> rest = new ArrayList<>();
            groups.forEachRemaining(group -> rest.add(cursors(group)));
            assertThat(rest.stream().flatMap(List::stream).toList())
                    .containsExactly("7", "8", "9", "10", "11", "12");
        }
    }

    @Test
    void aGroupNeverWaitsForAPageNotReadYet() throws Exception {
        Pages pages = new Pages(4, 100, 0, 3);
        try (ReadAhead<Page<Integer>> ahead = new ReadAhead<>(pages, executor, Page::size, 1000)) {
            PageGroups<Integer> groups = new PageGroups<>(ahead, 1000);
            awaitRead(pages, 3);
            // page 3 is held by the vendor: the group is what has arrived
            assertThat(cursors(groups.next())).containsExactly("1", "2");
            pages.gate.countDown();
            assertThat(groups.hasNext()).isTrue();
            awaitRead(pages, 4);
            assertThat(cursors(groups.next())).containsExactly("3", "4");
            assertThat(groups.hasNext()).isFalse();
        }
    }

    @Test
    void aFailureToReadArrivesAfterTheGroupOfThePagesBeforeIt() throws Exception {
        Pages pages = new Pages(6, 100, 4, 0);
        ReadAhead<Page<Integer>> ahead = new ReadAhead<>(pages, executor, Page::size, 1000);
        InOrderFailures<List<Page<Integer>>> inOrder = new InOrderFailures<>(new PageGroups<>(ahead, 1000));
        awaitRead(pages, 4);
        List<Object> seen = new ArrayList<>();
        inOrder.forEachRemaining(seen::add);
        assertThat(seen).hasSize(2);
        @SuppressWarnings("unchecked")
        List<Page<Integer>> group = (List<Page<Integer>>) seen.get(0);
        assertThat(cursors(group)).containsExactly("1", "2", "3");
        assertThat(seen.get(1)).isInstanceOfSatisfying(InOrderFailures.Failure.class,
                failure -> assertThat(failure.cause()).hasMessage("page 4 was unreadable"));
        // nothing is read after the failure
        assertThat(pages.read.get()).isEqualTo(4);
        ahead.close();
    }
}
