package dev.kv.memory;

import dev.kv.Entry;
import dev.kv.internal.OperationFront;
import dev.kv.internal.WrittenExpiry;
import java.util.Optional;

/**
 * One stored entry. Immutable but for the access marks that the sampling eviction policies read;
 * those are written without synchronisation, as a lost update only blurs a heuristic.
 */
final class Node {

    /** The expiry of an entry that never expires. */
    static final long NEVER = Long.MAX_VALUE;

    final String key;
    final byte[] value;
    final long version;
    final long createdMicros;
    final long updatedMicros;
    final long expiresMicros;
    /** For an idle entry its idle period, else 0: its expiry is then its last refresh plus this. */
    final long idleMicros;

    long lastAccessNanos;
    int frequency;

    Node(String key, byte[] value, long version, long createdMicros, long updatedMicros, long expiresMicros) {
        this(key, value, version, createdMicros, updatedMicros, expiresMicros, 0);
    }

    Node(
            String key,
            byte[] value,
            long version,
            long createdMicros,
            long updatedMicros,
            long expiresMicros,
            long idleMicros) {
        this.idleMicros = idleMicros;
        this.key = key;
        this.value = value;
        this.version = version;
        this.createdMicros = createdMicros;
        this.updatedMicros = updatedMicros;
        this.expiresMicros = expiresMicros;
    }

    boolean liveAt(long nowMicros) {
        return expiresMicros > nowMicros;
    }

    boolean expires() {
        return expiresMicros != NEVER;
    }

    /** A new entry (version 1) written at {@code nowMicros}. */
    static Node created(String key, byte[] value, long nowMicros, WrittenExpiry expiry) {
        return new Node(key, value, 1, nowMicros, nowMicros, expiry.expiresMicros(), expiry.idleMicros());
    }

    /** The same entry with another value, expiry and time of writing. */
    Node rewritten(byte[] newValue, WrittenExpiry newExpiry, long nowMicros) {
        return new Node(
                key,
                newValue,
                version + 1,
                createdMicros,
                nowMicros,
                newExpiry.expiresMicros(),
                newExpiry.idleMicros());
    }

    /** The same entry, unchanged but for the expiry a read moved on: not a write (same version and times). */
    Node refreshed(long newExpiresMicros) {
        return new Node(key, value, version, createdMicros, updatedMicros, newExpiresMicros, idleMicros);
    }

    WrittenExpiry expiry() {
        return new WrittenExpiry(expiresMicros, idleMicros);
    }

    void touch() {
        lastAccessNanos = System.nanoTime();
        if (frequency < Integer.MAX_VALUE) {
            frequency++;
        }
    }

    Entry toEntry() {
        return new Entry(
                key,
                value,
                version,
                OperationFront.instant(createdMicros),
                OperationFront.instant(updatedMicros),
                expires() ? Optional.of(OperationFront.instant(expiresMicros)) : Optional.empty());
    }
}
