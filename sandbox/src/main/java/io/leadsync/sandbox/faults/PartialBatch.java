package io.leadsync.sandbox.faults;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which records of one batch write a {@link FaultKind#PARTIAL_BATCH} fault fails, decided by the plan's seed and
 * the request's ordinal: the same batch in the same sequence fails the same records. A simulator asks it while
 * answering a batch, answers those records with its vendor's per-record error and leaves them unchanged.
 */
public final class PartialBatch {
    /** Fails nothing: the answer when no PARTIAL_BATCH fault took the request. */
    public static final PartialBatch NONE = new PartialBatch(null, 0);

    private final FaultRule rule;
    private final long random;

    PartialBatch(FaultRule rule, long random) {
        this.rule = rule;
        this.random = random;
    }

    /** Whether a fault took this request. */
    public boolean active() {
        return rule != null;
    }

    /**
     * The indexes (0-based, in the order of the request's records) that fail in a batch of {@code size} records:
     * each with the probability of the rule's {@code records} parameter, and at least one.
     */
    public Set<Integer> failing(int size) {
        Set<Integer> failing = new TreeSet<>();
        if (rule == null || size == 0) {
            return failing;
        }
        double share = Double.parseDouble(rule.param("records", "0.5"));
        int lowest = 0;
        double lowestDraw = 2;
        for (int i = 0; i < size; i++) {
            double draw = Mix.unit(Mix.mix(random, i));
            if (draw < share) {
                failing.add(i);
            }
            if (draw < lowestDraw) {
                lowestDraw = draw;
                lowest = i;
            }
        }
        if (failing.isEmpty()) {
            failing.add(lowest);
        }
        return failing;
    }

    /** The error code or category to answer with: the rule's {@code error} parameter, else the vendor's own. */
    public String error(String vendorDefault) {
        return rule == null ? vendorDefault : rule.param("error", vendorDefault);
    }

    /** The message to answer with: the rule's {@code message} parameter, else the vendor's own. */
    public String message(String vendorDefault) {
        return rule == null ? vendorDefault : rule.param("message", vendorDefault);
    }
}
