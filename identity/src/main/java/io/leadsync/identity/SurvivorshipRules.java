package io.leadsync.identity;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which value of a field survives into a profile's golden record when its records disagree.
 *
 * @param defaultRule    the rule of fields not named in {@code byField}
 * @param byField        rules per field: canonical names ({@code email}, {@code first-name}, {@code last-name},
 *                       {@code title}, {@code company}, {@code domain}, {@code country}, {@code phone},
 *                       {@code owner-id}, {@code address}, {@code city}, {@code postal-code},
 *                       {@code date-of-birth}) or attribute names
 * @param sourcePriority connector names, most trusted first, for {@link Rule#SOURCE_PRIORITY}
 */
public record SurvivorshipRules(Rule defaultRule, Map<String, Rule> byField, List<String> sourcePriority) {

    /** How a field's surviving value is chosen among the non-empty ones. */
    public enum Rule {
        /** The value of the most recently updated record. */
        MOST_RECENT,
        /** The value of the record from the most trusted source (then the most recent). */
        SOURCE_PRIORITY,
        /** The longest value ({@code Jonathan} over {@code Jon}, {@code Acme Corporation} over {@code Acme}), then the most recent. */
        MOST_COMPLETE;

        /** The rule named in configuration: {@code most-recent}, {@code source-priority}, {@code most-complete}. */
        public static Rule parse(String name) {
            for (Rule rule : values()) {
                if (rule.key().equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return rule;
                }
            }
            throw new IllegalArgumentException("unknown survivorship rule '" + name
                    + "'; expected most-recent, source-priority or most-complete");
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public SurvivorshipRules {
        Objects.requireNonNull(defaultRule, "defaultRule");
        byField = Map.copyOf(byField);
        sourcePriority = List.copyOf(sourcePriority);
        boolean usesPriority = defaultRule == Rule.SOURCE_PRIORITY || byField.containsValue(Rule.SOURCE_PRIORITY);
        if (usesPriority && sourcePriority.isEmpty()) {
            throw new IllegalArgumentException("the source-priority rule needs the list of sources, most trusted"
                    + " first");
        }
    }

    /** The most recent non-empty value of every field. */
    public static SurvivorshipRules mostRecent() {
        return new SurvivorshipRules(Rule.MOST_RECENT, Map.of(), List.of());
    }

    /** The rule of one field. */
    public Rule ruleFor(String field) {
        return byField.getOrDefault(field, defaultRule);
    }
}
