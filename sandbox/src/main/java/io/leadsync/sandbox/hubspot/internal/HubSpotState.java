package io.leadsync.sandbox.hubspot.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Everything the HubSpot simulator holds: objects per type, property definitions, associations to contacts.
 * All methods are synchronized: the simulator serves concurrent requests, and what a write changes is what the next
 * read returns.
 */
public final class HubSpotState {
    public static final List<String> TYPES = List.of("contacts", "emails", "meetings", "calls", "notes", "tasks");
    /** HubSpot-defined association type ids from an object type to contacts. */
    public static final Map<String, Integer> TO_CONTACT_TYPE_IDS = Map.of("tasks", 204, "emails", 198,
            "meetings", 200, "calls", 194, "notes", 202);
    /** ... and from contacts to the object type. */
    public static final Map<String, Integer> FROM_CONTACT_TYPE_IDS = Map.of("tasks", 203, "emails", 197,
            "meetings", 199, "calls", 193, "notes", 201);
    private static final Pattern PROPERTY_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Set<String> PROPERTY_TYPES = Set.of("string", "number", "enumeration", "datetime", "date",
            "bool");

    private final Clock clock;
    private final Map<String, TreeMap<Long, SimObject>> objects = new HashMap<>();
    private final Map<String, Map<String, PropertyDefinition>> properties = new HashMap<>();
    /** type -> object id -> associated contact ids. */
    private final Map<String, Map<String, Set<String>>> associations = new HashMap<>();
    private final Map<String, AtomicLong> nextId = new HashMap<>();
    private long version;
    private CachedQuery cachedQuery;
    private final List<Map<String, Object>> emailEvents = new ArrayList<>();
    private volatile ChangeListener listener = (kind, type, id, detail) -> { };

    /**
     * Told of each change a user or the API makes (not of seeding), inside the state's lock: it must only queue.
     * {@code kind} is {@code creation}, {@code propertyChange} (detail: the property and its new value, one call per
     * property), {@code deletion} or {@code merge} (detail: {@code mergedId}).
     */
    public interface ChangeListener {
        void changed(String kind, String type, String id, Map<String, String> detail);
    }

    public void listener(ChangeListener value) {
        this.listener = value;
    }

    public HubSpotState(Clock clock) {
        this.clock = clock;
        for (String type : TYPES) {
            objects.put(type, new TreeMap<>());
            associations.put(type, new HashMap<>());
            properties.put(type, new LinkedHashMap<>());
        }
        nextId.put("contacts", new AtomicLong(101));
        nextId.put("emails", new AtomicLong(5_000_001));
        nextId.put("meetings", new AtomicLong(6_000_001));
        nextId.put("calls", new AtomicLong(7_000_001));
        nextId.put("notes", new AtomicLong(8_000_001));
        nextId.put("tasks", new AtomicLong(9_000_001));
        BuiltInProperties.register(properties);
    }

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    public static void requireType(String type) {
        if (!TYPES.contains(type)) {
            throw ApiError.notFound("Unable to infer object type from: " + type);
        }
    }

    static String createdProperty(String type) {
        return "contacts".equals(type) ? "createdate" : "hs_createdate";
    }

    static String modifiedProperty(String type) {
        return "contacts".equals(type) ? "lastmodifieddate" : "hs_lastmodifieddate";
    }

    // ---------------------------------------------------------------- properties

    public synchronized List<PropertyDefinition> definitions(String type) {
        requireType(type);
        return List.copyOf(properties.get(type).values());
    }

    public synchronized Optional<PropertyDefinition> definition(String type, String name) {
        requireType(type);
        return Optional.ofNullable(properties.get(type).get(name));
    }

    public synchronized Set<String> propertyNames(String type) {
        requireType(type);
        return Set.copyOf(properties.get(type).keySet());
    }

    public synchronized PropertyDefinition defineProperty(String type, Map<String, Object> body) {
        requireType(type);
        String name = text(body.get("name"));
        String label = text(body.get("label"));
        String propertyType = text(body.get("type"));
        String fieldType = text(body.get("fieldType"));
        String groupName = text(body.get("groupName"));
        List<String> missing = new ArrayList<>();
        if (name == null) {
            missing.add("name");
        }
        if (label == null) {
            missing.add("label");
        }
        if (propertyType == null) {
            missing.add("type");
        }
        if (fieldType == null) {
            missing.add("fieldType");
        }
        if (groupName == null) {
            missing.add("groupName");
        }
        if (!missing.isEmpty()) {
            throw ApiError.validation("Missing required fields: " + missing);
        }
        if (!PROPERTY_NAME.matcher(name).matches()) {
            throw ApiError.validation("Property name '" + name + "' must start with a letter and contain only"
                    + " lowercase letters, digits and underscores");
        }
        if (!PROPERTY_TYPES.contains(propertyType)) {
            throw ApiError.validation("Invalid property type '" + propertyType + "'; expected one of "
                    + PROPERTY_TYPES);
        }
        if (properties.get(type).containsKey(name)) {
            throw new ApiError(409, "OBJECT_ALREADY_EXISTS", "Property named '" + name + "' already exists.");
        }
        PropertyDefinition definition = new PropertyDefinition(name, label, propertyType, fieldType, groupName,
                List.of(), false);
        properties.get(type).put(name, definition);
        return definition;
    }

    // ---------------------------------------------------------------- objects

    /** Creates an object after validating its properties and associations (the API path). */
    public synchronized SimObject create(String type, Map<String, String> values, List<String> contactIds) {
        requireType(type);
        validate(type, values, true);
        for (String contactId : contactIds) {
            SimObject contact = objects.get("contacts").get(parseId(contactId));
            if (contact == null || contact.archived) {
                throw ApiError.validation("One or more associations are invalid: contact " + contactId
                        + " does not exist");
            }
        }
        SimObject created = insert(type, values, now(), now(), contactIds);
        listener.changed("creation", type, created.id, Map.of());
        return created;
    }

    /** Puts an object in place as given (seeding), with its own timestamps; properties are not validated. */
    public synchronized SimObject insert(String type, Map<String, String> values, Instant createdAt, Instant updatedAt,
                                         List<String> contactIds) {
        requireType(type);
        String id = Long.toString(nextId.get(type).getAndIncrement());
        SimObject object = new SimObject(id, type, createdAt.truncatedTo(ChronoUnit.MILLIS));
        values.forEach((name, value) -> {
            if (value != null) {
                object.properties.put(name, value);
            }
        });
        object.properties.put("hs_object_id", id);
        object.properties.put(createdProperty(type), object.createdAt.toString());
        stamp(object, updatedAt.truncatedTo(ChronoUnit.MILLIS));
        objects.get(type).put(Long.parseLong(id), object);
        if (!contactIds.isEmpty()) {
            associations.get(type).computeIfAbsent(id, k -> new LinkedHashSet<>()).addAll(contactIds);
        }
        version++;
        return object;
    }

    public synchronized Optional<SimObject> get(String type, String id) {
        requireType(type);
        return Optional.ofNullable(objects.get(type).get(parseId(id)));
    }

    /** The object if it exists and is not archived, else a 404 as HubSpot answers it. */
    public synchronized SimObject live(String type, String id) {
        SimObject object = get(type, id).orElse(null);
        if (object == null || object.archived) {
            throw ApiError.notFound("resource not found");
        }
        return object;
    }

    public synchronized void update(String type, String id, Map<String, String> values) {
        SimObject object = live(type, id);
        validate(type, values, false);
        apply(object, values);
        propertiesChanged(type, id, values);
    }

    /** Updates without validation (test and demo hooks), like an edit in the HubSpot UI. */
    public synchronized void edit(String type, String id, Map<String, String> values) {
        apply(live(type, id), values);
        propertiesChanged(type, id, values);
    }

    private void propertiesChanged(String type, String id, Map<String, String> values) {
        values.forEach((name, value) -> listener.changed("propertyChange", type, id,
                Map.of("propertyName", name, "propertyValue", value == null ? "" : value)));
    }

    public synchronized void archive(String type, String id) {
        SimObject object = live(type, id);
        object.archived = true;
        stamp(object, now());
        version++;
        listener.changed("deletion", type, id, Map.of());
    }

    /** HubSpot's merge: the merged contact disappears, the primary lists it in hs_merged_object_ids. */
    public synchronized void merge(String primaryId, String mergedId) {
        SimObject primary = live("contacts", primaryId);
        SimObject merged = live("contacts", mergedId);
        objects.get("contacts").remove(Long.parseLong(merged.id));
        String previous = primary.properties.get("hs_merged_object_ids");
        String ids = previous == null || previous.isBlank() ? merged.id : previous + ";" + merged.id;
        for (Map<String, Set<String>> byObject : associations.values()) {
            byObject.values().forEach(contacts -> {
                if (contacts.remove(merged.id)) {
                    contacts.add(primary.id);
                }
            });
        }
        apply(primary, Map.of("hs_merged_object_ids", ids));
        listener.changed("merge", "contacts", primary.id, Map.of("mergedId", merged.id));
    }

    private void apply(SimObject object, Map<String, String> values) {
        values.forEach((name, value) -> {
            if (value == null || value.isEmpty()) {
                object.properties.remove(name);
            } else {
                object.properties.put(name, value);
            }
        });
        stamp(object, now());
        version++;
    }

    private static void stamp(SimObject object, Instant at) {
        object.updatedAt = at;
        object.properties.put(modifiedProperty(object.type), at.toString());
    }

    /** HubSpot's validation of property values; a problem fails the whole request with 400. */
    void validate(String type, Map<String, String> values, boolean creating) {
        List<Map<String, Object>> problems = new ArrayList<>();
        Map<String, PropertyDefinition> defined = properties.get(type);
        values.forEach((name, value) -> {
            PropertyDefinition definition = defined.get(name);
            if (definition == null) {
                problems.add(problem("Property \"" + name + "\" does not exist", "PROPERTY_DOESNT_EXIST", name));
            } else if (definition.readOnly()) {
                problems.add(problem("\"" + name + "\" is a read only property; its value cannot be set.",
                        "READ_ONLY_VALUE", name));
            } else if (value != null && !value.isEmpty()) {
                switch (definition.type()) {
                    case "number" -> {
                        if (Values.number(value) == null) {
                            problems.add(problem(value + " was not a valid number.", "INVALID_FLOAT", name));
                        }
                    }
                    case "datetime", "date" -> {
                        if (Values.instant(value) == null) {
                            problems.add(problem(value + " was not a valid long or ISO-8601 date.", "INVALID_DATE", name));
                        }
                    }
                    case "enumeration", "bool" -> {
                        if (!definition.options().isEmpty() && !definition.options().contains(value)) {
                            problems.add(problem(value + " was not one of the allowed options: "
                                    + definition.options(), "INVALID_OPTION", name));
                        }
                    }
                    default -> {
                    }
                }
            }
        });
        if (creating && "tasks".equals(type) && Values.instant(values.get("hs_timestamp")) == null) {
            problems.add(problem("hs_timestamp is required and must be a long or ISO-8601 date", "REQUIRED_PROPERTY",
                    "hs_timestamp"));
        }
        if (!problems.isEmpty()) {
            throw ApiError.validation("Property values were not valid: " + Json.write(problems));
        }
    }

    private static Map<String, Object> problem(String message, String error, String name) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("isValid", false);
        problem.put("message", message);
        problem.put("error", error);
        problem.put("name", name);
        return problem;
    }

    /** Non-archived objects with id greater than {@code after}, by id. */
    public synchronized List<SimObject> list(String type, long after, int limit, boolean archived) {
        requireType(type);
        List<SimObject> page = new ArrayList<>();
        for (SimObject object : objects.get(type).tailMap(after, false).values()) {
            if (object.archived == archived) {
                page.add(object);
                if (page.size() == limit + 1) {
                    break;
                }
            }
        }
        return page;
    }

    public synchronized List<SimObject> all(String type, boolean archived) {
        requireType(type);
        return objects.get(type).values().stream().filter(o -> o.archived == archived).toList();
    }

    public synchronized int count(String type) {
        return objects.get(type).size();
    }

    // ---------------------------------------------------------------- search

    /** A search's matching objects in order; paging requests of one query reuse it while nothing changes. */
    private record CachedQuery(String key, long version, List<SimObject> results) {
    }

    public synchronized List<SimObject> search(String type, String queryKey, Predicate<SimObject> filter,
                                               Comparator<SimObject> order, Duration indexLag) {
        requireType(type);
        if (cachedQuery != null && cachedQuery.key().equals(type + "|" + queryKey) && cachedQuery.version() == version
                && indexLag.isZero()) {
            return cachedQuery.results();
        }
        Instant indexedUpTo = now().minus(indexLag);
        List<SimObject> results = objects.get(type).values().stream()
                .filter(object -> !object.archived)
                .filter(object -> !object.updatedAt.isAfter(indexedUpTo))
                .filter(filter)
                .sorted(order)
                .toList();
        cachedQuery = new CachedQuery(type + "|" + queryKey, version, results);
        return results;
    }

    public synchronized String propertyType(String type, String name) {
        PropertyDefinition definition = properties.get(type).get(name);
        return definition == null ? "string" : definition.type();
    }

    // ---------------------------------------------------------------- email events (v1 API)

    /** Records a marketing email event: OPEN, CLICK, BOUNCE, DELIVERED, SPAMREPORT or STATUSCHANGE. */
    public synchronized void addEmailEvent(String type, String recipient, Instant created, long campaignId,
                                           Map<String, Object> extra) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", "evt-" + (emailEvents.size() + 1) + "-" + Long.toHexString(created.toEpochMilli()));
        event.put("type", type);
        event.put("recipient", recipient);
        event.put("created", created.toEpochMilli());
        event.put("emailCampaignId", campaignId);
        event.put("appName", "BatchEmail");
        event.putAll(extra);
        emailEvents.add(event);
    }

    /** Email events created within [start, end], newest first, as the v1 API orders them. */
    public synchronized List<Map<String, Object>> emailEvents(long start, long end, String type) {
        return emailEvents.stream()
                .filter(e -> (long) e.get("created") >= start && (long) e.get("created") <= end)
                .filter(e -> type == null || type.equals(e.get("type")))
                .sorted(Comparator.comparing((Map<String, Object> e) -> (Long) e.get("created")).reversed()
                        .thenComparing(e -> (String) e.get("id")))
                .toList();
    }

    // ---------------------------------------------------------------- associations

    public synchronized List<String> contactsOf(String type, String id) {
        return List.copyOf(associations.get(type).getOrDefault(id, Set.of()));
    }

    /** Objects of a type associated with a contact. */
    public synchronized List<String> objectsOfContact(String type, String contactId) {
        List<String> ids = new ArrayList<>();
        associations.get(type).forEach((objectId, contacts) -> {
            if (contacts.contains(contactId)) {
                ids.add(objectId);
            }
        });
        ids.sort(Comparator.comparingLong(Long::parseLong));
        return ids;
    }

    static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }
}
