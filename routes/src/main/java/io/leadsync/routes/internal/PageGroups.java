package io.leadsync.routes.internal;

import io.leadsync.connector.Page;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Groups the pages of a stream that are already read into one unit of work of about {@code records} records: the
 * group is stored in one transaction with the cursor of its last page, so a crash loses the whole group or nothing,
 * as it would a page. A vendor's pages are small (HubSpot's 100 records); a commit per page would cost more than the
 * page (an embedded H2 database writes its changed index pages at every commit). A group never waits for a page that
 * is not read yet: when the vendor is the slower side, each page is stored as it comes.
 */
final class PageGroups<T> implements Iterator<List<Page<T>>> {
    private final ReadAhead<Page<T>> pages;
    private final int records;

    PageGroups(ReadAhead<Page<T>> pages, int records) {
        this.pages = pages;
        this.records = records;
    }

    @Override
    public boolean hasNext() {
        return pages.hasNext();
    }

    @Override
    public List<Page<T>> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        List<Page<T>> group = new ArrayList<>();
        Page<T> first = pages.next();
        group.add(first);
        int size = first.size();
        while (size < records) {
            Optional<Page<T>> more = pages.nextIfReady();
            if (more.isEmpty()) {
                break;
            }
            group.add(more.get());
            size += more.get().size();
        }
        return group;
    }
}
