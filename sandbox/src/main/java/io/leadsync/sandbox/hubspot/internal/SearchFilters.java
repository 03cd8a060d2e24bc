package io.leadsync.sandbox.hubspot.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** HubSpot search semantics: filter groups OR'ed, filters within a group AND'ed, one sort plus id. */
final class SearchFilters {
    private static final int MAX_GROUPS = 5;
    private static final int MAX_FILTERS_PER_GROUP = 6;

    private SearchFilters() {
    }

    static Predicate<SimObject> parse(HubSpotState state, String type, JsonNode groups) {
        if (groups.isMissingNode() || groups.isNull() || (groups.isArray() && groups.isEmpty())) {
            return object -> true;
        }
        if (!groups.isArray()) {
            throw ApiError.validation("filterGroups must be an array");
        }
        if (groups.size() > MAX_GROUPS) {
            throw ApiError.validation("Too many filter groups: " + groups.size() + " (at most " + MAX_GROUPS + ")");
        }
        List<Predicate<SimObject>> alternatives = new ArrayList<>();
        for (JsonNode group : groups) {
            JsonNode filters = group.path("filters");
            if (filters.size() > MAX_FILTERS_PER_GROUP) {
                throw ApiError.validation("Too many filters in a group: " + filters.size() + " (at most "
                        + MAX_FILTERS_PER_GROUP + ")");
            }
            List<Predicate<SimObject>> all = new ArrayList<>();
            for (JsonNode filter : filters) {
                all.add(filter(state, type, filter));
            }
            alternatives.add(object -> all.stream().allMatch(p -> p.test(object)));
        }
        return object -> alternatives.stream().anyMatch(p -> p.test(object));
    }

    private static Predicate<SimObject> filter(HubSpotState state, String type, JsonNode filter) {
        String property = filter.path("propertyName").asText("");
        String operator = filter.path("operator").asText("").toUpperCase(Locale.ROOT);
        if (property.isBlank()) {
            throw ApiError.validation("filter propertyName is required");
        }
        String propertyType = state.propertyType(type, property);
        String value = filter.hasNonNull("value") ? filter.path("value").asText() : null;
        List<String> values = new ArrayList<>();
        filter.path("values").forEach(v -> values.add(v.asText()));
        return switch (operator) {
            case "EQ" -> o -> value != null && Values.compare(propertyType, o.properties.get(property), value) == 0
                    && o.properties.get(property) != null;
            case "NEQ" -> o -> o.properties.get(property) == null
                    || Values.compare(propertyType, o.properties.get(property), value) != 0;
            case "GT" -> o -> ranged(propertyType, o, property, value, c -> c > 0);
            case "GTE" -> o -> ranged(propertyType, o, property, value, c -> c >= 0);
            case "LT" -> o -> ranged(propertyType, o, property, value, c -> c < 0);
            case "LTE" -> o -> ranged(propertyType, o, property, value, c -> c <= 0);
            case "HAS_PROPERTY" -> o -> o.properties.get(property) != null;
            case "NOT_HAS_PROPERTY" -> o -> o.properties.get(property) == null;
            case "IN" -> o -> o.properties.get(property) != null && values.stream()
                    .anyMatch(v -> Values.compare(propertyType, o.properties.get(property), v) == 0);
            case "NOT_IN" -> o -> o.properties.get(property) == null || values.stream()
                    .noneMatch(v -> Values.compare(propertyType, o.properties.get(property), v) == 0);
            case "CONTAINS_TOKEN" -> o -> o.properties.get(property) != null && value != null
                    && o.properties.get(property).toLowerCase(Locale.ROOT).contains(value.replace("*", "")
                    .toLowerCase(Locale.ROOT));
            default -> throw ApiError.validation("Unknown filter operator '" + operator + "'");
        };
    }

    /** Whether a property compares to a filter value as the test says; a missing property never matches. */
    private static boolean ranged(String propertyType, SimObject object, String property, String value,
                                  java.util.function.IntPredicate test) {
        String actual = object.properties.get(property);
        return actual != null && value != null && test.test(Values.compare(propertyType, actual, value));
    }

    static Comparator<SimObject> order(HubSpotState state, String type, JsonNode sorts) {
        Comparator<SimObject> byId = Comparator.comparingLong(o -> Long.parseLong(o.id));
        if (sorts.isMissingNode() || sorts.isNull() || !sorts.isArray() || sorts.isEmpty()) {
            return byId;
        }
        JsonNode sort = sorts.get(0);
        String property;
        boolean descending;
        if (sort.isTextual()) {
            String text = sort.asText();
            descending = text.startsWith("-");
            property = descending ? text.substring(1) : text;
        } else {
            property = sort.path("propertyName").asText("");
            descending = "DESCENDING".equalsIgnoreCase(sort.path("direction").asText("ASCENDING"));
        }
        String propertyType = state.propertyType(type, property);
        Comparator<SimObject> byProperty = (a, b) -> Values.compare(propertyType, a.properties.get(property),
                b.properties.get(property));
        return (descending ? byProperty.reversed() : byProperty).thenComparing(byId);
    }
}
