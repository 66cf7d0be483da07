package dev.kv;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A live entry: its value and metadata.
 *
 * @param key the key
 * @param value the value (a copy: changing it changes nothing in the store)
 * @param version 1 when the entry was created, one more with every write since
 * @param createdAt when the entry was created (a write to an expired key creates it anew)
 * @param updatedAt when the entry was last written
 * @param expiresAt when the entry expires, or empty if it never does
 */
public record Entry(
        String key, byte[] value, long version, Instant createdAt, Instant updatedAt, Optional<Instant> expiresAt) {

    public Entry {
        Objects.requireNonNull(key, "key");
        value = Objects.requireNonNull(value, "value").clone();
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Entry that
                && key.equals(that.key)
                && Arrays.equals(value, that.value)
                && version == that.version
                && createdAt.equals(that.createdAt)
                && updatedAt.equals(that.updatedAt)
                && expiresAt.equals(that.expiresAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), version, createdAt, updatedAt, expiresAt);
    }

    @Override
    public String toString() {
        return "Entry[key=" + key + ", value=" + value.length + " bytes, version=" + version + ", createdAt="
                + createdAt + ", updatedAt=" + updatedAt + ", expiresAt="
                + expiresAt.map(Instant::toString).orElse("never")
                + "]";
    }
}
