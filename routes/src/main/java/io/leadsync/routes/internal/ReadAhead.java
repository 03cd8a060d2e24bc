package io.leadsync.routes.internal;

import org.slf4j.MDC;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads the next page of a stream on another thread while the current one is stored: a vendor's answer time and
 * the parsing of its page overlap the store's work instead of adding to it. At most one page is read ahead (the
 * back-pressure: the reader waits until the store takes the page), pages keep their order, and a failure to read
 * arrives where the page would have, after every page before it. The reading thread carries the run's logging
 * context.
 */
final class ReadAhead<T> implements Iterator<T>, AutoCloseable {
    private final Iterator<T> pages;
    private final ExecutorService executor;
    private final Map<String, String> logContext;
    /** Held while a page is read: closing waits on it so that the stream is never closed under a read. */
    private final ReentrantLock reading = new ReentrantLock();
    private Future<Optional<T>> next;

    ReadAhead(Iterator<T> pages, ExecutorService executor) {
        this.pages = pages;
        this.executor = executor;
        Map<String, String> context = MDC.getCopyOfContextMap();
        this.logContext = context == null ? Map.of() : context;
    }

    private Future<Optional<T>> fetch() {
        return executor.submit(() -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            MDC.setContextMap(logContext);
            reading.lock();
            try {
                return pages.hasNext() ? Optional.of(pages.next()) : Optional.empty();
            } finally {
                reading.unlock();
                if (previous == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(previous);
                }
            }
        });
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = fetch();
        }
        return await(next).isPresent();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T page = await(next).get();
        next = fetch();
        return page;
    }

    private static <T> Optional<T> await(Future<Optional<T>> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next page", e);
        }
    }

    /**
     * Stops reading ahead: a read under way is interrupted and given a few seconds to end, so that the stream can be
     * closed after it.
     */
    @Override
    public void close() {
        Future<Optional<T>> pending = next;
        next = null;
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
