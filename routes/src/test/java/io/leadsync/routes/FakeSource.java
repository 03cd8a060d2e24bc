package io.leadsync.routes;

import io.leadsync.connector.ConnectorDescriptor;
import io.leadsync.connector.CheckResult;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Page;
import io.leadsync.connector.Person;
import io.leadsync.connector.RejectedRecord;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * An in-memory source that pages like an incremental CRM API: records sorted by modification time, read from
 * the cursor minus an overlap. Faults are injected per test.
 */
final class FakeSource implements SourceConnector {
    final String name;
    final Map<String, Person> contacts = new ConcurrentHashMap<>();
    volatile int pageSize = 3;
    volatile Duration overlap = Duration.ofMinutes(5);
    volatile int cursorVersion = 1;
    /** Fail when the consumer asks for the page with this index (0-based); -1 never. */
    volatile int failAtPage = -1;
    /** Holds the read of the first page until released. */
    volatile CountDownLatch hold;
    final List<Cursor> readsFrom = new ArrayList<>();
    /** Ids asked for by each {@link #fetch} call. */
    final List<List<String>> fetches = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Fetch calls to fail before one succeeds; -1 fails every call. */
    volatile int failFetches;
    /** The live feed the fake offers, or null. */
    volatile io.leadsync.connector.ChangeFeed feed;
    /** Whether the fake can read records by id at all. */
    volatile boolean canFetch = true;

    FakeSource(String name) {
        this.name = name;
    }

    void put(String id, String email, String title, Instant modifiedAt, Map<String, String> attributes) {
        contacts.put(id, Person.builder(new ExternalId(name, id), modifiedAt).email(email).title(title)
                .firstName("First" + id).lastName("Last" + id).attributes(attributes).build());
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor("fake", name, List.of("contacts"), cursorVersion,
                Set.of(ConnectorDescriptor.Capability.READ));
    }

    @Override
    public CheckResult check() {
        return CheckResult.success("fake");
    }

    @Override
    public java.util.Optional<io.leadsync.connector.ChangeFeed> changeFeed() {
        return java.util.Optional.ofNullable(feed);
    }

    /** Reads contacts by id; an id the fake does not hold comes back deleted. */
    @Override
    public io.leadsync.connector.Fetched fetch(StreamId stream, java.util.Collection<String> ids) {
        if (!canFetch) {
            throw new UnsupportedOperationException(name + " cannot read " + stream + " records by id");
        }
        fetches.add(List.copyOf(ids));
        if (failFetches != 0) {
            if (failFetches > 0) {
                failFetches--;
            }
            throw new ConnectorException("fake source answered 503 to the read by id");
        }
        List<SourceRecord> items = new ArrayList<>();
        for (String id : ids) {
            Person person = contacts.get(id);
            items.add(person == null ? SourceRecord.deleted(stream, new ExternalId(name, id), Instant.now(), "{}")
                    : SourceRecord.of(stream, person, person.updatedAt(), "{\"id\":\"" + id + "\"}"));
        }
        return new io.leadsync.connector.Fetched(items);
    }

    @Override
    public synchronized Stream<Page<SourceRecord>> read(StreamId stream, Cursor from) {
        readsFrom.add(from);
        Instant since = from == null ? null : Instant.parse(from.position());
        Instant start = since == null ? Instant.MIN : since.minus(overlap);
        List<Person> ordered = contacts.values().stream()
                .filter(p -> !p.updatedAt().isBefore(start))
                .sorted(Comparator.comparing(Person::updatedAt).thenComparing(p -> p.id().id()))
                .toList();
        Iterator<Page<SourceRecord>> pages = new Iterator<>() {
            int index;
            Instant latest = since;

            @Override
            public boolean hasNext() {
                return index * pageSize < ordered.size();
            }

            @Override
            public Page<SourceRecord> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (hold != null && index == 0) {
                    try {
                        hold.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (index == failAtPage) {
                    throw new ConnectorException("fake source dropped the connection before page " + index);
                }
                List<Person> slice = ordered.subList(index * pageSize, Math.min(ordered.size(), (index + 1) * pageSize));
                index++;
                List<SourceRecord> items = new ArrayList<>();
                List<RejectedRecord> rejected = new ArrayList<>();
                for (Person person : slice) {
                    latest = latest == null || person.updatedAt().isAfter(latest) ? person.updatedAt() : latest;
                    if (person.attributes().containsKey("broken")) {
                        rejected.add(new RejectedRecord(stream, person.id().id(), "{\"id\":\"" + person.id().id() + "\"}",
                                "properties.lastmodifieddate: 'yesterday' is not an ISO-8601 instant"));
                    } else {
                        items.add(SourceRecord.of(stream, person, person.updatedAt(), "{\"id\":\"" + person.id().id() + "\"}"));
                    }
                }
                return new Page<>(items, rejected, new Cursor(stream, cursorVersion, latest.toString()));
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED), false);
    }
}
