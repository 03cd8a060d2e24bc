package io.leadsync.identity;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The outcome of normalizing one value: the normalized value, or the reason it could not be normalized.
 * Normalizers never throw on bad input, so one bad field never stops a run.
 */
public final class Normalized<T> {
    private final T value;
    private final String problem;

    private Normalized(T value, String problem) {
        this.value = value;
        this.problem = problem;
    }

    public static <T> Normalized<T> of(T value) {
        return new Normalized<>(Objects.requireNonNull(value, "value"), null);
    }

    /** No value was given: not a problem, just nothing to normalize. */
    public static <T> Normalized<T> absent() {
        return new Normalized<>(null, null);
    }

    public static <T> Normalized<T> invalid(String problem) {
        return new Normalized<>(null, Objects.requireNonNull(problem, "problem"));
    }

    public Optional<T> value() {
        return Optional.ofNullable(value);
    }

    /** The value, or null when absent or invalid. */
    public T orNull() {
        return value;
    }

    /** Why the input could not be normalized, or empty. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    public boolean isValid() {
        return value != null;
    }

    public <R> Normalized<R> map(Function<T, R> mapper) {
        return value == null ? new Normalized<>(null, problem) : Normalized.of(mapper.apply(value));
    }

    @Override
    public String toString() {
        return value != null ? "Normalized[" + value + "]" : problem != null ? "Invalid[" + problem + "]" : "Absent";
    }
}
