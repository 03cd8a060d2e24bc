package io.leadsync.scoring;

import java.util.Objects;

/**
 * One grade or stage band: every score from {@code lowerBound} up to the next band's lower bound gets {@code label}.
 *
 * @param label      what is written to the CRM, e.g. {@code A} or {@code MQL}
 * @param lowerBound the lowest score in the band, 0..100
 */
public record Band(String label, int lowerBound) {
    public Band {
        Objects.requireNonNull(label, "label");
        if (label.isBlank()) {
            throw new IllegalArgumentException("a band's label must not be blank");
        }
        if (lowerBound < 0 || lowerBound > 100) {
            throw new IllegalArgumentException("band " + label + " lower bound " + lowerBound + " is outside 0..100");
        }
    }
}
