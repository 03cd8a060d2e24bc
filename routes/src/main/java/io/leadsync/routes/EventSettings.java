package io.leadsync.routes;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the engine takes change events ({@code leadsync.events.*} and {@code sync.connectors.<name>.events}).
 *
 * @param enabled        whether changes are taken at all; off, {@link ChangeIntake#accept} refuses every batch and
 *                       no feed is opened, and the scheduled runs read the changes
 * @param debounce       how long the event worker waits after the first pending change before it runs, so that a
 *                       burst becomes one run
 * @param maxBatch       the most changes one event run takes (more wait for the next run, which starts at once)
 * @param maxAttempts    how many times a change whose record cannot be read is tried before it goes to the dead
 *                       letters with the reason
 * @param disabledSources connectors whose changes are refused and whose feed is not opened
 */
public record EventSettings(boolean enabled, Duration debounce, int maxBatch, int maxAttempts,
                            Set<String> disabledSources) {
    public EventSettings {
        Objects.requireNonNull(debounce, "debounce");
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("debounce must not be negative but is " + debounce);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1 but is " + maxBatch);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1 but is " + maxAttempts);
        }
        disabledSources = Set.copyOf(disabledSources);
    }

    /** On, a 1 s window, 1,000 changes a run, 5 attempts, every source. */
    public static EventSettings defaults() {
        return new EventSettings(true, Duration.ofSeconds(1), 1000, 5, Set.of());
    }

    /** Switched off: every batch refused, no feed opened. */
    public static EventSettings off() {
        return new EventSettings(false, Duration.ofSeconds(1), 1000, 5, Set.of());
    }

    /** Whether a source's changes are taken. */
    public boolean takes(String source) {
        return enabled && !disabledSources.contains(source);
    }

    public EventSettings withDebounce(Duration window) {
        return new EventSettings(enabled, window, maxBatch, maxAttempts, disabledSources);
    }
}
