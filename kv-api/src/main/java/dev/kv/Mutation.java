package dev.kv;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One write of an atomic batch ({@link KvStore#apply}): a put, with or without TTL, or a delete.
 *
 * @param key the key written
 * @param value the value to store, or empty for a delete
 * @param ttl the expiry of a put, or empty for none
 */
public record Mutation(String key, Optional<byte[]> value, Optional<Duration> ttl) {

    public Mutation {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(ttl, "ttl");
        value = value.map(byte[]::clone);
    }

    /** Stores {@code value} without expiry. */
    public static Mutation put(String key, byte[] value) {
        return new Mutation(
                key, Optional.of(Objects.requireNonNull(value, "value must not be null")), Optional.empty());
    }

    /** Stores {@code value}, to expire after {@code ttl}. */
    public static Mutation put(String key, byte[] value, Duration ttl) {
        return new Mutation(
                key,
                Optional.of(Objects.requireNonNull(value, "value must not be null")),
                Optional.of(Objects.requireNonNull(ttl, "ttl must not be null")));
    }

    /** Removes the key. */
    public static Mutation delete(String key) {
        return new Mutation(key, Optional.empty(), Optional.empty());
    }

    public boolean isDelete() {
        return value.isEmpty();
    }

    @Override
    public Optional<byte[]> value() {
        return value.map(byte[]::clone);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Mutation that
                && Objects.equals(key, that.key)
                && ttl.equals(that.ttl)
                && value.isPresent() == that.value.isPresent()
                && java.util.Arrays.equals(value.orElse(null), that.value.orElse(null));
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, ttl, value.map(java.util.Arrays::hashCode));
    }

    @Override
    public String toString() {
        return isDelete()
                ? "delete " + key
                : "put " + key + ttl.map(t -> " for " + t).orElse("");
    }
}
