package dev.kv;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link KvStore#compareAndSwap}: the value was swapped, the key held another value
 * (which is returned; when absence was expected, any value), or the key was absent or expired.
 *
 * @param outcome what happened
 * @param current the value found when it did not match the expected one
 */
public record CasResult(Outcome outcome, Optional<byte[]> current) {

    /** What a compare-and-swap did. */
    public enum Outcome {
        SWAPPED,
        MISMATCH,
        NOT_FOUND
    }

    public CasResult {
        Objects.requireNonNull(outcome, "outcome");
        current = Objects.requireNonNull(current, "current").map(byte[]::clone);
    }

    static CasResult swapped() {
        return new CasResult(Outcome.SWAPPED, Optional.empty());
    }

    static CasResult mismatch(byte[] current) {
        return new CasResult(Outcome.MISMATCH, Optional.of(current));
    }

    static CasResult notFound() {
        return new CasResult(Outcome.NOT_FOUND, Optional.empty());
    }

    /** Whether the new value was stored. */
    public boolean isSwapped() {
        return outcome == Outcome.SWAPPED;
    }

    @Override
    public Optional<byte[]> current() {
        return current.map(byte[]::clone);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CasResult that
                && outcome == that.outcome
                && current.isPresent() == that.current.isPresent()
                && java.util.Arrays.equals(current.orElse(null), that.current.orElse(null));
    }

    @Override
    public int hashCode() {
        return Objects.hash(outcome, current.map(java.util.Arrays::hashCode));
    }

    @Override
    public String toString() {
        return "CasResult[" + outcome
                + current.map(value -> ", current=" + value.length + " bytes").orElse("") + "]";
    }
}
