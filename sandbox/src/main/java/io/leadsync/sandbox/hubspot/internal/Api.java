package io.leadsync.sandbox.hubspot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.sandbox.faults.PartialBatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The HubSpot CRM endpoints the simulator answers, over {@link HubSpotState}. */
public final class Api {
    /** An answer: status, JSON body, extra headers. */
    public record Answer(int status, Object body) {
    }

    private static final int BATCH_LIMIT = 100;
    private static final int SEARCH_LIMIT = 200;
    private static final int LIST_LIMIT = 100;
    private static final int ASSOCIATION_BATCH_LIMIT = 1000;

    private final HubSpotState state;
    private final int searchResultCap;
    private final Duration searchIndexLag;
    private final Supplier<String> baseUrl;

    /** @param baseUrl the simulator's address (known once its server listens), for paging links */
    public Api(HubSpotState state, int searchResultCap, Duration searchIndexLag, Supplier<String> baseUrl) {
        this.state = state;
        this.searchResultCap = searchResultCap;
        this.searchIndexLag = searchIndexLag;
        this.baseUrl = baseUrl;
    }

    /** {@code POST /crm/v3/objects/contacts/merge}: {@code objectIdToMerge} merged into {@code primaryObjectId}. */
    private Answer merge(com.fasterxml.jackson.databind.JsonNode body) {
        String primary = body.path("primaryObjectId").asText("");
        String merged = body.path("objectIdToMerge").asText("");
        if (primary.isBlank() || merged.isBlank()) {
            throw ApiError.validation("primaryObjectId and objectIdToMerge are required");
        }
        if (primary.equals(merged)) {
            throw ApiError.validation("A contact cannot be merged with itself");
        }
        state.merge(primary, merged);
        return new Answer(200, view(state.live("contacts", primary), selected("contacts", null)));
    }

    public static boolean isSearch(String path) {
        return path.startsWith("/crm/v3/objects/") && path.endsWith("/search");
    }

    /** A batch read or update of CRM objects: where HubSpot answers 207 for the inputs that fail alone. */
    public static boolean isPartialBatch(String method, String path) {
        String[] parts = path.replaceAll("/+$", "").split("/");
        return "POST".equals(method) && parts.length == 7 && "crm".equals(parts[1]) && "v3".equals(parts[2])
                && "objects".equals(parts[3]) && "batch".equals(parts[5])
                && ("read".equals(parts[6]) || "update".equals(parts[6]));
    }

    /** Reads (GET, searches, batch and association reads) as opposed to writes. */
    public static boolean isRead(String method, String path) {
        return "GET".equals(method) || isSearch(path) || path.replaceAll("/+$", "").endsWith("/batch/read");
    }

    /**
     * Routes a request; throws {@link ApiError} for HubSpot's error answers.
     *
     * @param batch the inputs of a batch read or update that fail (a PARTIAL_BATCH fault), unchanged, in the 207
     */
    public Answer handle(String method, String path, Map<String, String> query, String body, PartialBatch batch) {
        String[] parts = path.replaceAll("/+$", "").split("/");
        // ["", "crm", "v3", "objects", type, ...]
        if (parts.length >= 5 && "crm".equals(parts[1]) && "v3".equals(parts[2]) && "objects".equals(parts[3])) {
            String type = parts[4];
            HubSpotState.requireType(type);
            if (parts.length == 5) {
                return switch (method) {
                    case "GET" -> list(type, query);
                    case "POST" -> create(type, Json.read(body));
                    default -> throw notAllowed(method, path);
                };
            }
            if (parts.length == 6 && "search".equals(parts[5])) {
                requireMethod("POST", method, path);
                return search(type, Json.read(body));
            }
            if (parts.length == 6 && "merge".equals(parts[5]) && "contacts".equals(type)) {
                requireMethod("POST", method, path);
                return merge(Json.read(body));
            }
            if (parts.length == 7 && "batch".equals(parts[5])) {
                requireMethod("POST", method, path);
                return switch (parts[6]) {
                    case "read" -> batchRead(type, Json.read(body), batch);
                    case "update" -> batchUpdate(type, Json.read(body), batch);
                    case "create" -> batchCreate(type, Json.read(body));
                    default -> throw unknownPath(path);
                };
            }
            if (parts.length == 6) {
                String id = parts[5];
                return switch (method) {
                    case "GET" -> new Answer(200, view(state.live(type, id), selected(type, query.get("properties"))));
                    case "PATCH" -> {
                        Map<String, String> values = properties(Json.read(body).path("properties"), "properties");
                        state.update(type, id, values);
                        yield new Answer(200, view(state.live(type, id), selected(type, String.join(",", values.keySet()))));
                    }
                    case "DELETE" -> {
                        state.archive(type, id);
                        yield new Answer(204, null);
                    }
                    default -> throw notAllowed(method, path);
                };
            }
        }
        if (parts.length >= 5 && "crm".equals(parts[1]) && "v3".equals(parts[2]) && "properties".equals(parts[3])) {
            String type = parts[4];
            HubSpotState.requireType(type);
            if (parts.length == 5) {
                return switch (method) {
                    case "GET" -> new Answer(200, Map.of("results", state.definitions(type).stream().map(Api::view).toList()));
                    case "POST" -> new Answer(201, view(state.defineProperty(type, Json.MAPPER.convertValue(
                            Json.read(body), Map.class))));
                    default -> throw notAllowed(method, path);
                };
            }
            if (parts.length == 6) {
                requireMethod("GET", method, path);
                return new Answer(200, view(state.definition(type, parts[5]).orElseThrow(() -> ApiError.notFound(
                        "Unable to find property " + parts[5] + " of " + type))));
            }
        }
        if (parts.length == 8 && "crm".equals(parts[1]) && "v4".equals(parts[2]) && "associations".equals(parts[3])
                && "batch".equals(parts[6]) && "read".equals(parts[7])) {
            requireMethod("POST", method, path);
            return associationsBatchRead(parts[4], parts[5], Json.read(body));
        }
        if (parts.length == 7 && "crm".equals(parts[1]) && "v4".equals(parts[2]) && "objects".equals(parts[3])
                && "associations".equals(parts[5])) {
            requireMethod("GET", method, path);
            return objectAssociations(parts[4], parts[6], path);
        }
        if ("/email/public/v1/events".equals(path.replaceAll("/+$", ""))) {
            requireMethod("GET", method, path);
            return emailEvents(query);
        }
        throw unknownPath(path);
    }

    /**
     * The legacy email events API: {@code GET /email/public/v1/events?startTimestamp=&endTimestamp=&eventType=
     * &limit=&offset=}, newest first, {@code {events, hasMore, offset}} (limit up to 1000).
     */
    private Answer emailEvents(Map<String, String> query) {
        long start;
        long end;
        int limit;
        try {
            start = Long.parseLong(query.getOrDefault("startTimestamp", "0"));
            end = Long.parseLong(query.getOrDefault("endTimestamp", Long.toString(Long.MAX_VALUE)));
            limit = Integer.parseInt(query.getOrDefault("limit", "100"));
        } catch (NumberFormatException e) {
            throw ApiError.validation("startTimestamp, endTimestamp and limit must be numbers");
        }
        if (limit < 1 || limit > 1000) {
            throw ApiError.validation("limit must be between 1 and 1000 but was " + limit);
        }
        int offset = 0;
        if (query.containsKey("offset")) {
            try {
                offset = Integer.parseInt(new String(java.util.Base64.getUrlDecoder().decode(query.get("offset")),
                        java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiError.validation("offset is not valid");
            }
        }
        List<Map<String, Object>> matching = state.emailEvents(start, end, query.get("eventType"));
        int to = Math.min(matching.size(), offset + limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", matching.subList(Math.min(offset, matching.size()), to));
        body.put("hasMore", to < matching.size());
        body.put("offset", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(to)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new Answer(200, body);
    }

    // ---------------------------------------------------------------- objects

    private Answer list(String type, Map<String, String> query) {
        int limit = intParam(query, "limit", 10);
        if (limit < 1 || limit > LIST_LIMIT) {
            throw ApiError.validation("limit must be between 1 and " + LIST_LIMIT + " but was " + limit);
        }
        long after = 0;
        if (query.containsKey("after")) {
            after = HubSpotState.parseId(query.get("after"));
            if (after < 0) {
                throw ApiError.validation("Invalid after: " + query.get("after"));
            }
        }
        boolean archived = Boolean.parseBoolean(query.getOrDefault("archived", "false"));
        Set<String> selected = selected(type, query.get("properties"));
        List<SimObject> page = state.list(type, after, limit, archived);
        boolean more = page.size() > limit;
        List<SimObject> shown = more ? page.subList(0, limit) : page;
        List<Map<String, Object>> results = new ArrayList<>();
        for (SimObject object : shown) {
            Map<String, Object> view = view(object, selected);
            if ("contacts".equals(query.get("associations")) && !"contacts".equals(type)) {
                List<Map<String, Object>> links = state.contactsOf(type, object.id).stream()
                        .map(id -> Map.<String, Object>of("id", id, "type", typeLabel(type))).toList();
                view.put("associations", Map.of("contacts", Map.of("results", links)));
            }
            results.add(view);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", results);
        if (more) {
            String next = shown.get(shown.size() - 1).id;
            body.put("paging", Map.of("next", Map.of("after", next,
                    "link", baseUrl.get() + "/crm/v3/objects/" + type + "?after=" + next)));
        }
        return new Answer(200, body);
    }

    private Answer create(String type, JsonNode body) {
        Map<String, String> values = properties(body.path("properties"), "properties");
        List<String> contacts = associatedContacts(type, body.path("associations"), "associations");
        SimObject object = state.create(type, values, contacts);
        return new Answer(201, view(object, selected(type, String.join(",", values.keySet()))));
    }

    private Answer batchCreate(String type, JsonNode body) {
        JsonNode inputs = inputs(body, BATCH_LIMIT);
        List<Map<String, String>> values = new ArrayList<>();
        List<List<String>> contacts = new ArrayList<>();
        int index = 0;
        for (JsonNode input : inputs) {
            values.add(properties(input.path("properties"), "inputs[" + index + "].properties"));
            contacts.add(associatedContacts(type, input.path("associations"), "inputs[" + index + "].associations"));
            index++;
        }
        for (Map<String, String> each : values) {
            state.validate(type, each, true);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            results.add(view(state.create(type, values.get(i), contacts.get(i)),
                    selected(type, String.join(",", values.get(i).keySet()))));
        }
        return new Answer(201, Map.of("status", "COMPLETE", "results", results));
    }

    private Answer batchRead(String type, JsonNode body, PartialBatch batch) {
        JsonNode inputs = inputs(body, BATCH_LIMIT);
        Set<String> selected = selected(type, body.has("properties") ? join(body.path("properties")) : null);
        Set<Integer> failing = batch.failing(inputs.size());
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int index = 0;
        for (JsonNode input : inputs) {
            String id = input.path("id").asText();
            var object = state.get(type, id).filter(o -> !o.archived);
            if (failing.contains(index++)) {
                failed.add(id);
            } else if (object.isPresent()) {
                results.add(view(object.get(), selected));
            } else {
                missing.add(id);
            }
        }
        String notFound = "Could not get some " + type + " objects, they may be deleted or not exist.";
        return partial(results, missing, notFound, failed, batch, notFound);
    }

    /**
     * HubSpot's batch update: 100 inputs at most, duplicate ids and invalid property values fail the whole batch
     * (400), ids that do not exist fail alone (207).
     */
    private Answer batchUpdate(String type, JsonNode body, PartialBatch batch) {
        JsonNode inputs = inputs(body, BATCH_LIMIT);
        Map<String, Map<String, String>> updates = new LinkedHashMap<>();
        Set<String> duplicates = new LinkedHashSet<>();
        int index = 0;
        for (JsonNode input : inputs) {
            String id = input.path("id").asText("");
            if (id.isBlank()) {
                throw ApiError.validation("inputs[" + index + "].id is required");
            }
            Map<String, String> values = properties(input.path("properties"), "inputs[" + index + "].properties");
            if (updates.put(id, values) != null) {
                duplicates.add(id);
            }
            index++;
        }
        if (!duplicates.isEmpty()) {
            throw ApiError.validation("Duplicate IDs found in batch input: " + duplicates
                    + ". IDs must be unique");
        }
        for (Map<String, String> values : updates.values()) {
            state.validate(type, values, false);
        }
        Set<Integer> failing = batch.failing(updates.size());
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int position = 0;
        for (Map.Entry<String, Map<String, String>> update : updates.entrySet()) {
            String id = update.getKey();
            var object = state.get(type, id).filter(o -> !o.archived);
            if (failing.contains(position++)) {
                failed.add(id);
            } else if (object.isEmpty()) {
                missing.add(id);
            } else {
                state.update(type, id, update.getValue());
                results.add(view(state.live(type, id), selected(type, String.join(",", update.getValue().keySet()))));
            }
        }
        String notFound = "Object not found. objectId are usually numeric.";
        return partial(results, missing, notFound, failed, batch, notFound);
    }

    /**
     * 200 when every input succeeded, else HubSpot's 207: {@code errors} groups the ids that failed by category
     * (those not found, and those a PARTIAL_BATCH fault failed, OBJECT_NOT_FOUND unless the fault names another).
     */
    private static Answer partial(List<Map<String, Object>> results, List<String> missing, String message,
                                  List<String> failed, PartialBatch batch, String failedMessage) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "COMPLETE");
        body.put("results", results);
        Map<String, Map<String, Object>> errors = new LinkedHashMap<>();
        if (!missing.isEmpty()) {
            errors.put("OBJECT_NOT_FOUND", error("OBJECT_NOT_FOUND", message, missing));
        }
        if (!failed.isEmpty()) {
            String category = batch.error("OBJECT_NOT_FOUND");
            String text = batch.message(failedMessage);
            Map<String, Object> same = errors.get(category);
            if (same != null && text.equals(same.get("message"))) {
                @SuppressWarnings("unchecked")
                List<String> ids = new ArrayList<>((List<String>) ((Map<String, Object>) same.get("context")).get("ids"));
                ids.addAll(failed);
                same.put("context", Map.of("ids", ids));
            } else {
                errors.put(category + "/" + text, error(category, text, failed));
            }
        }
        if (errors.isEmpty()) {
            return new Answer(200, body);
        }
        body.put("numErrors", errors.size());
        body.put("errors", List.copyOf(errors.values()));
        return new Answer(207, body);
    }

    private static Map<String, Object> error(String category, String message, List<String> ids) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", "error");
        error.put("category", category);
        error.put("message", message);
        error.put("context", Map.of("ids", List.copyOf(ids)));
        error.put("errors", List.of());
        return error;
    }

    // ---------------------------------------------------------------- search

    private Answer search(String type, JsonNode body) {
        int limit = body.has("limit") ? body.path("limit").asInt(-1) : 10;
        if (limit < 0 || limit > SEARCH_LIMIT) {
            throw ApiError.validation("limit must be between 0 and " + SEARCH_LIMIT + " but was "
                    + body.path("limit").asText());
        }
        int after = 0;
        if (body.hasNonNull("after") && !body.path("after").asText().isBlank()) {
            try {
                after = Integer.parseInt(body.path("after").asText());
            } catch (NumberFormatException e) {
                throw ApiError.validation("after must be a number but was '" + body.path("after").asText() + "'");
            }
        }
        if (after >= searchResultCap) {
            throw ApiError.validation("The search endpoint returns at most " + searchResultCap
                    + " results for a query; after=" + after + " pages past them. Narrow the query instead.");
        }
        Predicate<SimObject> filter = SearchFilters.parse(state, type, body.path("filterGroups"));
        Comparator<SimObject> order = SearchFilters.order(state, type, body.path("sorts"));
        List<SimObject> matches = state.search(type, body.path("filterGroups").toString() + body.path("sorts"),
                filter, order, searchIndexLag);
        int end = Math.min(Math.min(matches.size(), after + limit), searchResultCap);
        Set<String> selected = selected(type, body.has("properties") ? join(body.path("properties")) : null);
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = after; i < end; i++) {
            results.add(view(matches.get(i), selected));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("total", matches.size());
        answer.put("results", results);
        if (end < matches.size()) {
            answer.put("paging", Map.of("next", Map.of("after", Integer.toString(end))));
        }
        return new Answer(200, answer);
    }

    // ---------------------------------------------------------------- associations

    private Answer associationsBatchRead(String from, String to, JsonNode body) {
        HubSpotState.requireType(from);
        HubSpotState.requireType(to);
        JsonNode inputs = inputs(body, ASSOCIATION_BATCH_LIMIT);
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> none = new ArrayList<>();
        for (JsonNode input : inputs) {
            String id = input.path("id").asText();
            List<String> targets = targets(from, to, id);
            if (targets.isEmpty()) {
                none.add(id);
                continue;
            }
            results.add(Map.of("from", Map.of("id", id), "to", targets.stream().map(target -> Map.of(
                    "toObjectId", Long.parseLong(target),
                    "associationTypes", List.of(associationType(from, to)))).toList()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "COMPLETE");
        answer.put("results", results);
        if (none.isEmpty()) {
            return new Answer(200, answer);
        }
        answer.put("numErrors", none.size());
        answer.put("errors", none.stream().map(id -> Map.of("status", "error", "category", "OBJECT_NOT_FOUND",
                "message", "No " + to + " is associated with " + from + " " + id + ".",
                "context", Map.of("fromObjectId", List.of(id)))).toList());
        return new Answer(207, answer);
    }

    private Answer objectAssociations(String from, String to, String path) {
        HubSpotState.requireType(from);
        HubSpotState.requireType(to);
        String id = path.split("/")[5];
        state.live(from, id);
        List<Map<String, Object>> results = targets(from, to, id).stream().map(target -> Map.<String, Object>of(
                "toObjectId", Long.parseLong(target), "associationTypes", List.of(associationType(from, to)))).toList();
        return new Answer(200, Map.of("results", results));
    }

    private List<String> targets(String from, String to, String id) {
        if ("contacts".equals(to) && !"contacts".equals(from)) {
            return state.contactsOf(from, id);
        }
        if ("contacts".equals(from) && !"contacts".equals(to)) {
            return state.objectsOfContact(to, id);
        }
        throw ApiError.validation("Associations between " + from + " and " + to + " are not supported here");
    }

    private static Map<String, Object> associationType(String from, String to) {
        Integer typeId = "contacts".equals(to) ? HubSpotState.TO_CONTACT_TYPE_IDS.get(from)
                : HubSpotState.FROM_CONTACT_TYPE_IDS.get(to);
        Map<String, Object> type = new LinkedHashMap<>();
        type.put("category", "HUBSPOT_DEFINED");
        type.put("typeId", typeId);
        type.put("label", null);
        return type;
    }

    /** Contact ids of an object's {@code associations}, validated: the type id must be the HubSpot-defined one. */
    private static List<String> associatedContacts(String type, JsonNode associations, String path) {
        if (associations.isMissingNode() || associations.isNull()) {
            return List.of();
        }
        if (!associations.isArray()) {
            throw ApiError.validation(path + " must be an array");
        }
        Integer expected = HubSpotState.TO_CONTACT_TYPE_IDS.get(type);
        List<String> contacts = new ArrayList<>();
        int index = 0;
        for (JsonNode association : associations) {
            String to = association.path("to").path("id").asText("");
            if (to.isBlank()) {
                throw ApiError.validation(path + "[" + index + "].to.id is required");
            }
            JsonNode types = association.path("types");
            if (!types.isArray() || types.isEmpty()) {
                throw ApiError.validation(path + "[" + index + "].types is required");
            }
            for (JsonNode associationType : types) {
                String category = associationType.path("associationCategory").asText("");
                int typeId = associationType.path("associationTypeId").asInt(-1);
                if (!"HUBSPOT_DEFINED".equals(category) || expected == null || typeId != expected) {
                    throw ApiError.validation("One or more associations are invalid: " + category + " " + typeId
                            + " is not a valid association type from " + type + " to contacts (expected HUBSPOT_DEFINED "
                            + expected + ")");
                }
            }
            contacts.add(to);
            index++;
        }
        return contacts;
    }

    // ---------------------------------------------------------------- views and parsing

    private static final List<String> CONTACT_DEFAULTS = List.of("createdate", "email", "firstname", "hs_object_id",
            "lastmodifieddate", "lastname");
    private static final List<String> OBJECT_DEFAULTS = List.of("hs_createdate", "hs_lastmodifieddate", "hs_object_id");

    /** The properties an answer shows: the defaults, plus those asked for (shown as null when unset). */
    private static Set<String> selected(String type, String requested) {
        Set<String> names = new LinkedHashSet<>("contacts".equals(type) ? CONTACT_DEFAULTS : OBJECT_DEFAULTS);
        if (requested != null) {
            for (String name : requested.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.strip());
                }
            }
        }
        return names;
    }

    static Map<String, Object> view(SimObject object, Set<String> selected) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String name : selected) {
            properties.put(name, object.properties.get(name));
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", object.id);
        view.put("properties", properties);
        view.put("createdAt", object.createdAt.toString());
        view.put("updatedAt", object.updatedAt.toString());
        view.put("archived", object.archived);
        if (object.archived) {
            view.put("archivedAt", object.updatedAt.toString());
        }
        return view;
    }

    private static Map<String, Object> view(PropertyDefinition definition) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", definition.name());
        view.put("label", definition.label());
        view.put("type", definition.type());
        view.put("fieldType", definition.fieldType());
        view.put("groupName", definition.groupName());
        view.put("options", definition.options().stream().map(o -> Map.of("label", o, "value", o)).toList());
        view.put("modificationMetadata", Map.of("readOnlyValue", definition.readOnly()));
        return view;
    }

    private static Map<String, String> properties(JsonNode node, String path) {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw ApiError.validation(path + " must be an object");
        }
        Map<String, String> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isContainerNode()) {
                throw ApiError.validation(path + "." + field.getKey() + " must be a value, not " + value.getNodeType());
            }
            values.put(field.getKey(), value.isNull() ? null : value.asText());
        });
        return values;
    }

    private static JsonNode inputs(JsonNode body, int limit) {
        JsonNode inputs = body.path("inputs");
        if (!inputs.isArray()) {
            throw ApiError.validation("inputs is required and must be an array");
        }
        if (inputs.size() > limit) {
            throw ApiError.validation("Too many inputs: " + inputs.size() + " exceeds the limit of " + limit
                    + " per batch");
        }
        return inputs;
    }

    private static String join(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(name -> names.add(name.asText()));
        return String.join(",", names);
    }

    private static int intParam(Map<String, String> query, String name, int defaultValue) {
        String value = query.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiError.validation(name + " must be a number but was '" + value + "'");
        }
    }

    private static String typeLabel(String type) {
        return type.substring(0, type.length() - 1) + "_to_contact";
    }

    private static void requireMethod(String expected, String method, String path) {
        if (!expected.equals(method)) {
            throw notAllowed(method, path);
        }
    }

    private static ApiError notAllowed(String method, String path) {
        return new ApiError(405, "METHOD_NOT_ALLOWED", "Method " + method + " is not allowed on " + path);
    }

    private static ApiError unknownPath(String path) {
        return new ApiError(404, "NOT_FOUND", "No endpoint at " + path);
    }
}
