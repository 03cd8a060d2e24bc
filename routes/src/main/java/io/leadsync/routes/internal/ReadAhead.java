package io.leadsync.routes.internal;

import org.slf4j.MDC;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * Reads the next pages of a stream on another thread while the current ones are stored: a vendor's answer time and
 * the parsing of its pages overlap the store's work instead of adding to it. Pages are read one at a time, in order,
 * as long as the pages read and not yet taken weigh less than the budget (the back-pressure: the reader waits until
 * the store takes pages; at least one page is always read ahead). A failure to read arrives where the page would
 * have, after every page before it. The reading thread carries the run's logging context.
 *
 * <p>{@link #nextIfReady} lets the store take the pages already read without waiting (see {@link PageGroups}).
 */
final class ReadAhead<T> implements Iterator<T>, AutoCloseable {
    private final Iterator<T> pages;
    private final ExecutorService executor;
    private final ToIntFunction<T> weight;
    private final int budget;
    private final Map<String, String> logContext;
    /** Held while a page is read: closing waits on it so that the stream is never closed under a read. */
    private final ReentrantLock reading = new ReentrantLock();

    /** Guards the fields below; waited on by the consumer for the next item. */
    private final Object lock = new Object();
    private final ArrayDeque<Item<T>> ready = new ArrayDeque<>();
    private long buffered;
    private boolean inFlight;
    private boolean finished;
    private boolean closed;
    private Future<?> reader;

    /** A page read, the end of the stream, or the failure that ends it. */
    private record Item<T>(T page, RuntimeException failure, Error error) {
        boolean isPage() {
            return failure == null && error == null && page != null;
        }
    }

    /** Reads one page ahead. */
    ReadAhead(Iterator<T> pages, ExecutorService executor) {
        this(pages, executor, page -> 1, 1);
    }

    /**
     * @param weight how much a page weighs (e.g. its records)
     * @param budget pages are read ahead while those waiting weigh less than this
     */
    ReadAhead(Iterator<T> pages, ExecutorService executor, ToIntFunction<T> weight, int budget) {
        this.pages = pages;
        this.executor = executor;
        this.weight = weight;
        this.budget = Math.max(1, budget);
        Map<String, String> context = MDC.getCopyOfContextMap();
        this.logContext = context == null ? Map.of() : context;
        synchronized (lock) {
            readIfRoom();   // the first page is read from now on
        }
    }

    /** Starts reading the next page if there is room and no read is under way. Called holding {@link #lock}. */
    private void readIfRoom() {
        if (inFlight || finished || closed || buffered >= budget) {
            return;
        }
        inFlight = true;
        try {
            reader = executor.submit(this::readOne);
        } catch (RejectedExecutionException e) {
            inFlight = false;
            finished = true;
            ready.add(new Item<>(null, new IllegalStateException("the stream cannot be read: the service is stopping",
                    e), null));
            lock.notifyAll();
        }
    }

    private void readOne() {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.setContextMap(logContext);
        Item<T> item;
        reading.lock();
        try {
            item = pages.hasNext() ? new Item<>(pages.next(), null, null) : new Item<>(null, null, null);
        } catch (RuntimeException e) {
            item = new Item<>(null, e, null);
        } catch (Error e) {
            item = new Item<>(null, null, e);
        } finally {
            reading.unlock();
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
        synchronized (lock) {
            inFlight = false;
            if (!closed) {
                ready.add(item);
                if (item.isPage()) {
                    buffered += weight.applyAsInt(item.page());
                } else {
                    finished = true;
                }
            }
            readIfRoom();
            lock.notifyAll();
        }
    }

    /** The next item, waiting for it to be read. Called holding {@link #lock}. */
    private Item<T> head() {
        readIfRoom();
        while (ready.isEmpty()) {
            if (closed) {
                throw new IllegalStateException("reading ahead was stopped");
            }
            try {
                lock.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next page", e);
            }
        }
        Item<T> head = ready.peek();
        if (head.failure() != null) {
            throw head.failure();
        }
        if (head.error() != null) {
            throw head.error();
        }
        return head;
    }

    private T take() {
        Item<T> head = ready.poll();
        buffered -= weight.applyAsInt(head.page());
        readIfRoom();
        return head.page();
    }

    @Override
    public boolean hasNext() {
        synchronized (lock) {
            return head().isPage();
        }
    }

    @Override
    public T next() {
        synchronized (lock) {
            if (!head().isPage()) {
                throw new NoSuchElementException();
            }
            return take();
        }
    }

    /** The next page if it has been read already; never waits, and leaves the end or a failure where it is. */
    Optional<T> nextIfReady() {
        synchronized (lock) {
            Item<T> head = ready.peek();
            return head != null && head.isPage() ? Optional.of(take()) : Optional.empty();
        }
    }

    /**
     * Stops reading ahead: a read under way is interrupted and given a few seconds to end, so that the stream can be
     * closed after it.
     */
    @Override
    public void close() {
        Future<?> pending;
        synchronized (lock) {
            closed = true;
            ready.clear();
            buffered = 0;
            pending = inFlight ? reader : null;
            lock.notifyAll();
        }
        if (pending == null || pending.isDone()) {
            return;
        }
        pending.cancel(true);
        try {
            if (reading.tryLock(5, TimeUnit.SECONDS)) {
                reading.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
