package io.leadsync.connector;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configuration block of one connector instance, e.g. everything under {@code sync.connectors.hubspot-main},
 * with typed accessors whose errors name the full key and what was expected.
 *
 * <p>Values are what YAML gives (strings, numbers, booleans, lists, maps); numbers and booleans may also come as
 * strings (environment variables). Every key a factory reads is remembered, so that {@link #rejectUnknownKeys()}
 * can report a misspelt key instead of silently ignoring it.
 */
public final class ConnectorSettings {

    private final String name;
    private final String prefix;
    private final Map<String, Object> values;
    private final Set<String> read = new LinkedHashSet<>();
    private final Map<String, ConnectorSettings> sections = new LinkedHashMap<>();

    private ConnectorSettings(String name, String prefix, Map<String, ?> values) {
        this.name = Values.requireText(name, "name");
        this.prefix = Values.requireText(prefix, "prefix");
        this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
    }

    /**
     * @param name   the connector instance name, e.g. {@code hubspot-main}
     * @param prefix the full key of the block, e.g. {@code sync.connectors.hubspot-main}
     * @param values the block's values
     */
    public static ConnectorSettings of(String name, String prefix, Map<String, ?> values) {
        return new ConnectorSettings(name, prefix, values);
    }

    public String name() {
        return name;
    }

    /** The full key of a setting of this block, for error messages. */
    public String key(String relative) {
        return prefix + "." + relative;
    }

    public boolean has(String key) {
        Object value = values.get(key);
        return value != null && !(value instanceof String text && text.isBlank());
    }

    public Optional<String> string(String key) {
        read.add(key);
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
            throw new ConfigException(key(key), "must be a single value but is " + describe(value));
        }
        String text = value.toString().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    public String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    public String requiredString(String key) {
        return string(key).orElseThrow(() -> new ConfigException(key(key), "is required"));
    }

    /**
     * A credential; required. The error suggests taking it from the environment, never echoes a value.
     */
    public Secret requiredSecret(String key, String environmentVariable) {
        return string(key).map(Secret::of).orElseThrow(() -> new ConfigException(key(key),
                "is required (set " + environmentVariable + ", which the example config reads as ${"
                        + environmentVariable + "})"));
    }

    public Optional<Secret> secret(String key) {
        return string(key).map(Secret::of);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        return read(Setting.of(key, Setting.integer(min, max)).withDefault(defaultValue), key);
    }

    public boolean bool(String key, boolean defaultValue) {
        return read(Setting.of(key, Setting.BOOLEAN).withDefault(defaultValue), key);
    }

    /** A duration as ISO-8601 ({@code PT5M}) or short form ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}). */
    public Duration duration(String key, Duration defaultValue) {
        return read(Setting.of(key, Setting.DURATION).withDefault(defaultValue), key);
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601; null if it is neither. */
    public static Duration parseDuration(String text) {
        return Setting.parseDuration(text);
    }

    /** An absolute http(s) URL without a trailing slash. */
    public URI url(String key, String defaultValue) {
        String text = string(key).orElse(defaultValue);
        if (text == null) {
            throw new ConfigException(key(key), "is required");
        }
        return Setting.of(key, Setting.URL).read(key(key), text);
    }

    /**
     * A described setting of this block ({@link Setting}): its name may be a path into nested blocks
     * ({@code read.page-size}); its type parses the value, its default stands in for an absent one, its validator
     * checks it. Errors name the full key.
     */
    public <T> T get(Setting<T> setting) {
        String name = setting.name();
        int dot = name.indexOf('.');
        if (dot > 0) {
            return section(name.substring(0, dot)).get(setting.named(name.substring(dot + 1)));
        }
        if (setting.isBlock()) {
            throw new IllegalArgumentException(name + " is a block: read it with section() or sectionList()");
        }
        return read(setting, name);
    }

    @SuppressWarnings("unchecked")
    private <T> T read(Setting<T> setting, String key) {
        if (setting.type() == Setting.LIST) {
            List<String> list = stringList(key, (List<String>) setting.defaultValue());
            setting.check(key(key), (T) list);
            return (T) list;
        }
        return setting.read(key(key), string(key).orElse(null));
    }

    /** A list of strings; a single comma-separated string is accepted too. */
    public List<String> stringList(String key, List<String> defaultValue) {
        read.add(key);
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        List<String> result = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            for (Object item : collection) {
                if (item == null || item instanceof Map<?, ?> || item instanceof Collection<?>) {
                    throw new ConfigException(key(key), "must be a list of names but holds " + describe(item));
                }
                result.add(item.toString().strip());
            }
        } else if (value instanceof Map<?, ?> map && isIndexed(map)) {
            // environment-style keys: streams[0], streams[1] arrive as a map of indexes
            map.values().forEach(item -> result.add(String.valueOf(item).strip()));
        } else if (value instanceof Map<?, ?>) {
            throw new ConfigException(key(key), "must be a list but is " + describe(value));
        } else {
            for (String part : value.toString().split(",")) {
                if (!part.isBlank()) {
                    result.add(part.strip());
                }
            }
        }
        return List.copyOf(result);
    }

    /** A list whose every value must be one of {@code allowed}. */
    public List<String> stringList(String key, List<String> defaultValue, Collection<String> allowed) {
        List<String> list = stringList(key, defaultValue);
        String problem = Setting.itemsOf(allowed).apply(list);
        if (problem != null) {
            throw new ConfigException(key(key), problem);
        }
        return list;
    }

    /** A nested block; an empty one if the key is absent. */
    public ConnectorSettings section(String key) {
        read.add(key);
        return sections.computeIfAbsent(key, k -> {
            Object value = values.get(k);
            if (value != null && !(value instanceof Map<?, ?>)) {
                throw new ConfigException(key(k), "must be a block of settings but is " + describe(value));
            }
            Map<String, Object> nested = new LinkedHashMap<>();
            if (value instanceof Map<?, ?> map) {
                map.forEach((nestedKey, nestedValue) -> nested.put(String.valueOf(nestedKey), nestedValue));
            }
            return new ConnectorSettings(name, key(k), nested);
        });
    }

    /**
     * A list of blocks, e.g. {@code events: [{name: Viewed Pricing, type: pricing_page_view}]}; empty if absent.
     * Use it wherever a name chosen by users (an event name, a vendor property) would otherwise be a key: the host's
     * configuration normalizes keys (Micronaut turns {@code Viewed Pricing} into {@code viewed-pricing}), never
     * values.
     */
    public List<ConnectorSettings> sectionList(String key) {
        read.add(key);
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof Collection<?> items)) {
            throw new ConfigException(key(key), "must be a list of blocks but is " + describe(value));
        }
        List<ConnectorSettings> blocks = new ArrayList<>();
        int index = 0;
        for (Object item : items) {
            String itemKey = key + "[" + index + "]";
            if (!(item instanceof Map<?, ?> map)) {
                throw new ConfigException(key(itemKey), "must be a block of settings but is " + describe(item));
            }
            Map<String, Object> nested = new LinkedHashMap<>();
            map.forEach((nestedKey, nestedValue) -> nested.put(String.valueOf(nestedKey), nestedValue));
            ConnectorSettings block = new ConnectorSettings(name, key(itemKey), nested);
            sections.put(itemKey, block);
            blocks.add(block);
            index++;
        }
        return blocks;
    }

    /** The keys present in this block, in their written order. */
    public Set<String> keys() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    /**
     * Fails on the first key of this block (or of a section read from it) that no accessor asked for: a typo must
     * not silently fall back to a default.
     */
    public void rejectUnknownKeys() {
        for (String key : values.keySet()) {
            if (!read.contains(key)) {
                throw new ConfigException(key(key), "is not a setting of this connector; known settings are "
                        + new TreeSet<>(read));
            }
        }
        sections.values().forEach(ConnectorSettings::rejectUnknownKeys);
    }

    private static boolean isIndexed(Map<?, ?> map) {
        return !map.isEmpty() && map.keySet().stream().allMatch(k -> String.valueOf(k).matches("\\d+"));
    }

    private static String describe(Object value) {
        if (value instanceof Map<?, ?>) {
            return "a block of settings";
        }
        if (value instanceof Collection<?>) {
            return "a list";
        }
        return value == null ? "empty" : "'" + value + "'";
    }

    @Override
    public String toString() {
        return "ConnectorSettings[" + prefix + ", keys=" + values.keySet() + "]";
    }
}
