package dev.kv;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One change of a store's {@link ChangeStream}.
 *
 * @param seq the change's position in the stream: every later change has a greater one
 * @param key the key that changed
 * @param type what happened to it
 * @param version for {@link Type#SET}, the version the write left; for a removal, the version removed
 * @param value for {@link Type#SET}, the value written (a copy); empty for a removal
 * @param expiresAt for {@link Type#SET}, when the entry expires; empty if it never does, and for a removal
 * @param at when the change was made: for {@link Type#SET} the entry's {@link Entry#updatedAt()}; for
 *     a removal the time the store judged it by (in PostgreSQL the database's clock)
 */
public record Change(
        long seq,
        String key,
        Type type,
        long version,
        Optional<byte[]> value,
        Optional<Instant> expiresAt,
        Instant at) {

    /** What happened to a key. */
    public enum Type {
        /** Written: created, replaced, its expiry set or removed. */
        SET,
        /** Removed while live, or evicted to make room. */
        DELETE,
        /** Removed after it had expired, by cleanup or by a write that found it expired. */
        EXPIRED
    }

    public Change {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        value = Objects.requireNonNull(value, "value").map(byte[]::clone);
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(at, "at");
    }

    @Override
    public Optional<byte[]> value() {
        return value.map(byte[]::clone);
    }

    /** This change with another key and value: what a view of the store (namespace, encryption) shows. */
    Change withKeyAndValue(String key, Optional<byte[]> value) {
        return new Change(seq, key, type, version, value, expiresAt, at);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Change that
                && seq == that.seq
                && key.equals(that.key)
                && type == that.type
                && version == that.version
                && value.isPresent() == that.value.isPresent()
                && Arrays.equals(value.orElse(null), that.value.orElse(null))
                && expiresAt.equals(that.expiresAt)
                && at.equals(that.at);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, key, type, version, value.map(Arrays::hashCode), expiresAt, at);
    }

    @Override
    public String toString() {
        return "Change[seq=" + seq + ", key=" + key + ", type=" + type + ", version=" + version + ", value="
                + value.map(bytes -> bytes.length + " bytes").orElse("none") + ", expiresAt="
                + expiresAt.map(Instant::toString).orElse("never") + ", at=" + at + "]";
    }
}
