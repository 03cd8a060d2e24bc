package io.leadsync.sandbox.faults;

/** Deterministic draws from a seed and ordinals (SplitMix64's finalizer), the same on every JVM. */
final class Mix {
    private Mix() {
    }

    static long mix(long seed, long value) {
        long z = seed + 0x9E3779B97F4A7C15L * (value + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A number in [0, 1) from 53 bits of the value. */
    static double unit(long value) {
        return (value >>> 11) * 0x1.0p-53;
    }
}
