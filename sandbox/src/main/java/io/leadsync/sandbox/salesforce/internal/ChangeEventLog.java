package io.leadsync.sandbox.salesforce.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The simulated org's change events, as Change Data Capture keeps them on its event bus: each committed change to
 * a selected object becomes an Avro-encoded event with the next replay id, retained (72 hours by default) so a
 * subscriber can resume after any replay id it saw. Changes of one transaction (one REST call) that do the same to
 * several records of an object (the same fields to the same values, or a deletion) become one event naming all of
 * their ids, as Salesforce groups them.
 *
 * <p>Changes are recorded while the simulator holds its state lock and {@linkplain #commit() committed} when the
 * call that made them ends; reading is thread-safe.
 */
public final class ChangeEventLog {
    /** Objects whose changes are published unless the test selects others (as an admin does in Setup). */
    public static final Set<String> DEFAULT_ENTITIES = Set.of("Lead", "Contact", "Task", "Event");
    /** Salesforce's placeholder record id of an overflow event. */
    public static final String OVERFLOW_RECORD_ID = "000000000000000AAA";

    /**
     * One event on the bus.
     *
     * @param replayId  its position, increasing
     * @param entity    the object it is about
     * @param changeType the header's change type
     * @param recordIds the records it names
     * @param schemaId  the id of the schema its payload is written in
     * @param payload   the Avro binary encoding of the event
     * @param eventId   its unique id (a UUID)
     * @param committed when the change was committed
     */
    public record Event(long replayId, String entity, String changeType, List<String> recordIds, String schemaId,
                        byte[] payload, String eventId, Instant committed) {
    }

    private record Pending(String entity, String id, String changeType, Map<String, Object> values,
                           Set<String> changed) {
    }

    private final Clock clock;
    private final Function<String, List<String>> fieldsOf;
    private final String commitUser;
    private final List<Event> events = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, ChangeEventSchemas.EventSchema> schemasById = new ConcurrentHashMap<>();
    private final Map<List<Object>, ChangeEventSchemas.EventSchema> schemas = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Set<String> entities = DEFAULT_ENTITIES;
    private volatile Duration retention = Duration.ofHours(72);
    private long nextReplayId = 1;
    private long commitNumber = 1;

    public ChangeEventLog(Clock clock, Function<String, List<String>> fieldsOf, String commitUser) {
        this.clock = clock;
        this.fieldsOf = fieldsOf;
        this.commitUser = commitUser;
    }

    /** Selects the objects whose changes are published (Setup, Change Data Capture). */
    public void select(Set<String> selected) {
        entities = Set.copyOf(selected);
    }

    public Set<String> selected() {
        return entities;
    }

    public void retention(Duration value) {
        retention = Objects.requireNonNull(value);
    }

    /** Called (on some thread) after events were added. */
    public void onPublished(Runnable listener) {
        listeners.add(listener);
    }

    /** The schema an object's events are written in now. */
    public ChangeEventSchemas.EventSchema schema(String entity) {
        List<String> fields = fieldsOf.apply(entity);
        // built once per object and field list: a custom field added later makes a new schema with a new id
        return schemas.computeIfAbsent(List.of(entity, fields), key -> {
            ChangeEventSchemas.EventSchema schema = ChangeEventSchemas.of(entity, fields);
            schemasById.putIfAbsent(schema.id(), schema);
            return schema;
        });
    }

    public Optional<ChangeEventSchemas.EventSchema> schemaById(String id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** Records a change of the current transaction; {@code changed} names the fields set (all of them for CREATE). */
    public void record(String entity, String id, String changeType, Map<String, Object> values, Set<String> changed) {
        if (!entities.contains(entity)) {
            return;
        }
        synchronized (pending) {
            pending.add(new Pending(entity, id, changeType, new LinkedHashMap<>(values), new LinkedHashSet<>(changed)));
        }
    }

    /** Ends the current transaction: its changes become events. */
    public void commit() {
        List<Pending> transaction;
        synchronized (pending) {
            if (pending.isEmpty()) {
                return;
            }
            transaction = new ArrayList<>(pending);
            pending.clear();
        }
        // same object, same change, same fields to the same values: one event for all its records
        Map<List<Object>, List<Pending>> groups = new LinkedHashMap<>();
        for (Pending change : transaction) {
            List<Object> key = change.changeType().equals("CREATE")
                    ? List.of(change.entity(), change.changeType(), change.id())
                    : List.of(change.entity(), change.changeType(), changedValues(change));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(change);
        }
        String transactionKey = UUID.randomUUID().toString();
        Instant now = clock.instant();
        List<Event> added = new ArrayList<>();
        synchronized (this) {
            int sequence = 1;
            long commit = commitNumber++;
            for (List<Pending> group : groups.values()) {
                Pending first = group.get(0);
                List<String> ids = group.stream().map(Pending::id).toList();
                added.add(append(first.entity(), first.changeType(), ids, first.values(), first.changed(),
                        transactionKey, sequence++, commit, now));
            }
        }
        published();
    }

    private static Map<String, Object> changedValues(Pending change) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String field : change.changed()) {
            if (!field.equals("LastModifiedDate")) {
                values.put(field, change.values().get(field));
            }
        }
        return values;
    }

    /**
     * Publishes a gap event, as Salesforce does when it could not build the events of some changes: a
     * {@code GAP_*} change type naming the records, or {@code GAP_OVERFLOW} (no ids given) when a transaction
     * changed more records than it sends events for.
     */
    public Event gap(String entity, String changeType, List<String> recordIds) {
        if (!changeType.startsWith("GAP_")) {
            throw new IllegalArgumentException("a gap event's change type starts with GAP_, not " + changeType);
        }
        List<String> ids = changeType.equals("GAP_OVERFLOW") ? List.of(OVERFLOW_RECORD_ID) : List.copyOf(recordIds);
        Event event;
        synchronized (this) {
            event = append(entity, changeType, ids, Map.of(), Set.of(), UUID.randomUUID().toString(), 1,
                    commitNumber++, clock.instant());
        }
        published();
        return event;
    }

    private Event append(String entity, String changeType, List<String> ids, Map<String, Object> values,
                         Set<String> changed, String transactionKey, int sequence, long commit, Instant now) {
        ChangeEventSchemas.EventSchema schema = schema(entity);
        byte[] payload = ChangeEventSchemas.encode(schema, new ChangeEventSchemas.Header(entity, ids, changeType,
                transactionKey, sequence, now, commit, commitUser), values, changed);
        Event event = new Event(nextReplayId++, entity, changeType, ids, schema.id(), payload,
                UUID.randomUUID().toString(), now);
        events.add(event);
        expire(now);
        return event;
    }

    private void expire(Instant now) {
        Instant oldest = now.minus(retention);
        int drop = 0;
        while (drop < events.size() - 1 && events.get(drop).committed().isBefore(oldest)) {
            drop++;
        }
        if (drop > 0) {
            events.subList(0, drop).clear();
        }
    }

    private void published() {
        listeners.forEach(Runnable::run);
    }

    /** The replay id of the newest event, 0 before the first. */
    public synchronized long latest() {
        return nextReplayId - 1;
    }

    /** The replay id just before the oldest retained event (where {@code EARLIEST} starts). */
    public synchronized long beforeOldest() {
        return events.isEmpty() ? nextReplayId - 1 : events.get(0).replayId() - 1;
    }

    /**
     * What a subscriber reads next: events and the replay id read up to (past the last event returned, or past
     * events of other objects when the topic covers one object).
     */
    public record Batch(List<Event> events, long readTo) {
    }

    /** Up to {@code max} events after a replay id whose object a topic covers ({@code null}: every object). */
    public synchronized Batch after(long replayId, String entity, int max) {
        int low = 0;
        int high = events.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (events.get(mid).replayId() <= replayId) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        List<Event> found = new ArrayList<>();
        long readTo = replayId;
        for (int i = low; i < events.size() && found.size() < max; i++) {
            Event event = events.get(i);
            if (entity == null || entity.equals(event.entity())) {
                found.add(event);
            }
            readTo = event.replayId();
        }
        return new Batch(found, readTo);
    }

    /** Every retained event (a copy), oldest first. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }
}
