package io.leadsync.connector;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting described as data, in the spirit of Debezium's {@code Field}: its name, type, default, validator,
 * whether it is a secret, and its documentation. The configuration's validation layers read values through it (the
 * host's {@code leadsync.*} and {@code sync.*} keys, a connector's block through {@link ConnectorSettings#get}, a
 * manifest's nodes), and the configuration reference ({@code docs/configuration.md}) is written from the same
 * descriptions, so the two cannot drift.
 *
 * <p>The {@link Type}s are the one place where a value's text becomes a value: every layer accepts the same words
 * for true and false, the same duration forms, the same number syntax.
 *
 * @param <T> the value's Java type
 */
public final class Setting<T> {

    /**
     * How a setting's text becomes its value.
     *
     * @param <T> the value's Java type
     */
    public interface Type<T> {
        /** The type as the reference names it: {@code whole number 1..200}, {@code duration}... */
        String describe();

        /**
         * Parses a value's text.
         *
         * @throws Invalid naming what was expected, e.g. {@code a whole number}
         */
        T parse(String text);
    }

    /** A text that is not a value of its type; the message says what was expected ({@code a whole number}). */
    public static final class Invalid extends IllegalArgumentException {
        private final String expected;

        public Invalid(String expected) {
            super(expected);
            this.expected = expected;
        }

        public String expected() {
            return expected;
        }
    }

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Set<String> TRUE_WORDS = Set.of("true", "yes", "on");
    private static final Set<String> FALSE_WORDS = Set.of("false", "no", "off");

    /** Any text. */
    public static final Type<String> TEXT = simple("text", text -> text);

    /** {@code true}, {@code yes}, {@code on} or {@code false}, {@code no}, {@code off}, in any case. */
    public static final Type<Boolean> BOOLEAN = simple("true or false", text -> {
        String word = text.strip().toLowerCase(Locale.ROOT);
        if (TRUE_WORDS.contains(word)) {
            return true;
        }
        if (FALSE_WORDS.contains(word)) {
            return false;
        }
        throw new Invalid("true or false");
    });

    /** A decimal number ({@code 0.9}, {@code 1e-3}, {@code 1_000}). */
    public static final Type<Double> DECIMAL = simple("number", text -> {
        try {
            return new java.math.BigDecimal(text.strip().replace("_", "")).doubleValue();
        } catch (NumberFormatException e) {
            throw new Invalid("a number");
        }
    });

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT5M}). */
    public static final Type<Duration> DURATION = simple("duration (500ms, 30s, 5m, 2h, 1d or PT5M)", text -> {
        Duration parsed = parseDuration(text);
        if (parsed == null) {
            throw new Invalid("a duration such as 30s, 5m or PT5M");
        }
        return parsed;
    });

    /** An absolute http(s) URL, kept without a trailing slash. */
    public static final Type<URI> URL = simple("http(s) URL", text -> {
        String trimmed = text.strip();
        try {
            URI uri = new URI(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new Invalid("an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new Invalid("an absolute http(s) URL");
        }
    });

    /** A list of names ({@code [a, b]} in YAML, or {@code a,b}). Parsed by the layers that see YAML lists. */
    public static final Type<List<String>> LIST = simple("list", text -> {
        List<String> items = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                items.add(part.strip());
            }
        }
        return List.copyOf(items);
    });

    /** A block of nested settings (described by their own settings). */
    public static final Type<Void> BLOCK = simple("block", text -> {
        throw new Invalid("a block of settings");
    });

    /** A list of blocks, e.g. {@code [{name: ops, role: admin, token: ...}]}. */
    public static final Type<Void> BLOCK_LIST = simple("list of blocks", text -> {
        throw new Invalid("a list of blocks");
    });

    /** A whole number between {@code min} and {@code max}. */
    public static Type<Integer> integer(int min, int max) {
        String range = max == Integer.MAX_VALUE ? "at least " + min : min + ".." + max;
        return simple("whole number " + range, text -> {
            int value;
            try {
                value = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new Invalid("a whole number");
            }
            if (value < min || value > max) {
                throw new Invalid(max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max);
            }
            return value;
        });
    }

    /** A whole number of at least {@code min}, up to {@link Long#MAX_VALUE}. */
    public static Type<Long> wholeNumber(long min) {
        return simple("whole number at least " + min, text -> {
            long value;
            try {
                value = Long.parseLong(text.strip().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new Invalid("a whole number");
            }
            if (value < min) {
                throw new Invalid("at least " + min);
            }
            return value;
        });
    }

    /** One of the given words. */
    public static Type<String> choice(Collection<String> values) {
        List<String> allowed = List.copyOf(values);
        return simple("one of " + String.join(", ", allowed), text -> {
            String value = text.strip();
            if (!allowed.contains(value)) {
                throw new Invalid("one of " + allowed);
            }
            return value;
        });
    }

    /**
     * A validator of a list setting: each item must be one of {@code allowed}, or the problem is
     * {@code has unknown value 'x'; expected some of [a, b]}.
     */
    public static Function<List<String>, String> itemsOf(Collection<String> allowed) {
        Set<String> known = Set.copyOf(allowed);
        return items -> {
            for (String item : items) {
                if (!known.contains(item)) {
                    return "has unknown value '" + item + "'; expected some of " + new java.util.TreeSet<>(known);
                }
            }
            return null;
        };
    }

    /** A type with its own parsing, e.g. a Quartz cron expression checked by the host. */
    public static <T> Type<T> custom(String describe, Function<String, T> parse) {
        return simple(describe, parse);
    }

    private static <T> Type<T> simple(String describe, Function<String, T> parse) {
        return new Type<>() {
            @Override
            public String describe() {
                return describe;
            }

            @Override
            public T parse(String text) {
                return parse.apply(text);
            }

            @Override
            public String toString() {
                return describe;
            }
        };
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601; null if it is neither. */
    public static Duration parseDuration(String text) {
        String trimmed = text.strip();
        Matcher matcher = SIMPLE_DURATION.matcher(trimmed.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private final String name;
    private final Type<T> type;
    private final T defaultValue;
    private final String defaultText;
    private final boolean secret;
    private final boolean required;
    private final String env;
    private final String doc;
    private final Function<T, String> validator;

    private Setting(String name, Type<T> type, T defaultValue, String defaultText, boolean secret, boolean required,
                    String env, String doc, Function<T, String> validator) {
        this.name = Values.requireText(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.secret = secret;
        this.required = required;
        this.env = env;
        this.doc = doc == null ? "" : doc;
        this.validator = validator;
    }

    /** A setting named relative to its block ({@code page-size}, or a path such as {@code read.page-size}). */
    public static <T> Setting<T> of(String name, Type<T> type) {
        return new Setting<>(name, type, null, null, false, false, null, "", null);
    }

    /** The default, shown in the reference as {@code String.valueOf(value)}. */
    public Setting<T> withDefault(T value) {
        return new Setting<>(name, type, value, value == null ? null : String.valueOf(value), secret, required, env,
                doc, validator);
    }

    /** How the reference shows the default when it is not a plain value ({@code the folder of model}). */
    public Setting<T> withDefaultText(String text) {
        return new Setting<>(name, type, defaultValue, text, secret, required, env, doc, validator);
    }

    /** A credential: never echoed in an error, masked everywhere; usually taken from {@code env}. */
    public Setting<T> secret() {
        return new Setting<>(name, type, defaultValue, defaultText, true, required, env, doc, validator);
    }

    public Setting<T> required() {
        return new Setting<>(name, type, defaultValue, defaultText, secret, true, env, doc, validator);
    }

    /** The environment variable the example configuration reads it from ({@code ${HUBSPOT_TOKEN}}). */
    public Setting<T> env(String variable) {
        return new Setting<>(name, type, defaultValue, defaultText, secret, required, variable, doc, validator);
    }

    public Setting<T> doc(String text) {
        return new Setting<>(name, type, defaultValue, defaultText, secret, required, env, text, validator);
    }

    /** A check beyond the type: returns the problem ({@code must not be negative}) or null. */
    public Setting<T> validate(Function<T, String> check) {
        return new Setting<>(name, type, defaultValue, defaultText, secret, required, env, doc, check);
    }

    public String name() {
        return name;
    }

    /** The same setting under another name (its path inside a nested block). */
    public Setting<T> named(String other) {
        return new Setting<>(other, type, defaultValue, defaultText, secret, required, env, doc, validator);
    }

    public Type<T> type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The default as the reference shows it, or null when there is none. */
    public String defaultText() {
        return defaultText;
    }

    public boolean isSecret() {
        return secret;
    }

    public boolean isRequired() {
        return required;
    }

    public String env() {
        return env;
    }

    public String doc() {
        return doc;
    }

    /** A setting whose value is a block or a list of blocks (documented by the settings under it). */
    public boolean isBlock() {
        return type == BLOCK || type == BLOCK_LIST;
    }

    /**
     * The value of a setting's text, or the default when the text is absent or blank.
     *
     * @param key the full key, named in the error ({@code sync.connectors.hubspot-main.read.page-size})
     * @throws ConfigException naming the key and what was expected; a secret's value is never echoed
     */
    public T read(String key, String text) {
        if (text == null || text.isBlank()) {
            if (required) {
                throw new ConfigException(key, "is required" + (env == null ? "" : " (set " + env
                        + ", which the example config reads as ${" + env + "})"));
            }
            return defaultValue;
        }
        T value;
        try {
            value = type.parse(text);
        } catch (Invalid e) {
            boolean range = e.expected().startsWith("between") || e.expected().startsWith("at least");
            throw new ConfigException(key, "must be " + e.expected() + (secret ? "" : " but was "
                    + (range ? text.strip() : "'" + text.strip() + "'")));
        }
        check(key, value);
        return value;
    }

    /** Applies the validator to a parsed value. */
    public void check(String key, T value) {
        if (validator != null && value != null) {
            String problem = validator.apply(value);
            if (problem != null) {
                throw new ConfigException(key, problem);
            }
        }
    }

    @Override
    public String toString() {
        return "Setting[" + name + ", " + type.describe() + "]";
    }
}
