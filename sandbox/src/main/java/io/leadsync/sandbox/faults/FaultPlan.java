package io.leadsync.sandbox.faults;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The faults a simulator injects: rules tried in order (the first that fires takes the request; a rule sees only
 * the requests no earlier rule took) and the seed that decides their shares. JSON:
 * {@code {"seed": 7, "rules": [{"kind": "RATE_LIMIT", "share": 0.2}]}}.
 *
 * @param seed  decides which matching requests a rule with a share below 1 takes
 * @param rules the rules, in order
 */
public record FaultPlan(long seed, List<FaultRule> rules) {
    /** No faults. */
    public static final FaultPlan NONE = new FaultPlan(0, List.of());

    public FaultPlan {
        rules = List.copyOf(rules);
    }

    @JsonCreator
    static FaultPlan fromJson(@JsonProperty("seed") Long seed, @JsonProperty("rules") List<FaultRule> rules) {
        return new FaultPlan(seed == null ? 0 : seed, rules == null ? List.of() : rules);
    }

    public static FaultPlan of(long seed, FaultRule... rules) {
        return new FaultPlan(seed, List.of(rules));
    }
}
