package io.leadsync.connector;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The lazy page iterator sources build their reads on: {@link #fetch()} is called only when the caller asks for
 * the next page, so a read never runs ahead of what the pipeline has stored.
 */
public abstract class PageIterator<T> implements Iterator<Page<T>> {
    private Page<T> buffered;
    private boolean done;

    /** Fetches the next page, or returns null when there is none; not called again after null. */
    protected abstract Page<T> fetch();

    @Override
    public final boolean hasNext() {
        if (buffered == null && !done) {
            buffered = fetch();
            done = buffered == null;
        }
        return buffered != null;
    }

    @Override
    public final Page<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Page<T> page = buffered;
        buffered = null;
        return page;
    }

    /** The pages as the stream {@link SourceConnector#read} returns. */
    public Stream<Page<T>> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }
}
