package dev.kv.memory;

import dev.kv.Entry;
import dev.kv.internal.OperationFront;
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

    long lastAccessNanos;
    int frequency;

    Node(String key, byte[] value, long version, long createdMicros, long updatedMicros, long expiresMicros) {
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

    /** The same entry with another value, expiry and time of writing. */
    Node rewritten(byte[] newValue, long newExpiresMicros, long nowMicros) {
        return new Node(key, newValue, version + 1, createdMicros, nowMicros, newExpiresMicros);
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
