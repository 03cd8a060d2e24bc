package io.leadsync.connector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a product-analytics source's event names become canonical activity types ({@code read.events} and
 * {@code read.unmapped} of a Mixpanel or Segment-compatible source): each mapped name gets its snake_case type;
 * other events are skipped, or all get the one type {@code unmapped} names.
 *
 * @param types    event name to activity type
 * @param unmapped {@code skip}, or the activity type every other event gets
 */
public record EventTypeMapping(Map<String, String> types, String unmapped) {
    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");

    /** {@code read.events}: a list of {@code {name, type}} blocks (a list, since keys would be normalized). */
    public static final Setting<Void> EVENTS = Setting.of("read.events", Setting.BLOCK_LIST)
            .doc("Event name to activity type: [{name: Viewed Pricing, type: pricing_page_view}] (a list, since keys"
                    + " would be normalized); each type snake_case, each name mapped once.");
    /** {@code read.unmapped}: {@code skip} or one activity type for every other event. */
    public static final Setting<String> UNMAPPED = Setting.of("read.unmapped", Setting.TEXT).withDefault("skip")
            .validate(value -> "skip".equals(value) || SNAKE.matcher(value).matches() ? null
                    : "must be skip or a snake_case activity type but was '" + value + "'")
            .doc("What other events become: skip (not read), or the snake_case activity type they all get.");
    /** Both settings, for a connector type's list. */
    public static final List<Setting<?>> SETTINGS = List.of(EVENTS, UNMAPPED);

    public EventTypeMapping {
        types = Map.copyOf(types);
        unmapped = Values.requireText(unmapped, "unmapped");
    }

    /**
     * The mapping of a connector block's {@code read.events} and {@code read.unmapped}.
     *
     * @throws ConfigException naming the full key of a type that is not snake_case or a name mapped twice
     */
    public static EventTypeMapping read(ConnectorSettings settings) {
        Map<String, String> types = new LinkedHashMap<>();
        for (ConnectorSettings event : settings.section("read").sectionList("events")) {
            String name = event.requiredString("name");
            String type = event.requiredString("type");
            if (!SNAKE.matcher(type).matches()) {
                throw new ConfigException(event.key("type"), "'" + type + "' is not a snake_case activity type");
            }
            if (types.put(name, type) != null) {
                throw new ConfigException(event.key("name"), "'" + name + "' is mapped twice");
            }
        }
        return new EventTypeMapping(types, settings.get(UNMAPPED));
    }

    /** The activity type of an event name, or empty when such events are skipped. */
    public Optional<String> typeOf(String eventName) {
        String type = types.get(eventName);
        if (type != null) {
            return Optional.of(type);
        }
        return "skip".equals(unmapped) ? Optional.empty() : Optional.of(unmapped);
    }
}
