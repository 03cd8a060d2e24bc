package io.leadsync.routes.internal;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Wraps a lazy page iterator so that a failure to fetch a page arrives in order, as an element, rather than while
 * Camel's streaming splitter looks one element ahead. Without it, a failure fetching page N+1 would abort the split
 * before page N, already fetched, was stored.
 */
final class InOrderFailures<T> implements Iterator<Object> {
    /** Stands in the sequence where the fetch failed; processing it rethrows the failure. */
    record Failure(RuntimeException cause) {
    }

    private final Iterator<T> pages;
    private Failure failure;
    private boolean failureDelivered;

    InOrderFailures(Iterator<T> pages) {
        this.pages = pages;
    }

    @Override
    public boolean hasNext() {
        if (failure != null) {
            return !failureDelivered;
        }
        try {
            return pages.hasNext();
        } catch (RuntimeException e) {
            failure = new Failure(e);
            return true;
        }
    }

    @Override
    public Object next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (failure != null) {
            failureDelivered = true;
            return failure;
        }
        try {
            return pages.next();
        } catch (RuntimeException e) {
            failureDelivered = true;
            failure = new Failure(e);
            return failure;
        }
    }
}
