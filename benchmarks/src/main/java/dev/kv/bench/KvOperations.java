package dev.kv.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The operations every implementation under test offers, in kv's vocabulary. A new kv operation is
 * one method here, one in each implementation and one {@code @Benchmark} in {@link
 * OperationsBenchmark}.
 */
interface KvOperations extends AutoCloseable {

    /** The live value, or null. */
    byte[] get(String key);

    boolean exists(String key);

    void set(String key, byte[] value);

    void set(String key, byte[] value, Duration ttl);

    boolean delete(String key);

    /** Replaces the value with {@code fn(current)} atomically; returns the new value. */
    byte[] update(String key, UnaryOperator<byte[]> fn);

    /** The live keys starting with {@code prefix}, in key order where the implementation has one. */
    List<String> keys(String prefix);

    /** The live values of {@code keys} that exist, by key, in one round trip. */
    Map<String, byte[]> getMany(List<String> keys);

    /** Writes every entry, all or none, in one round trip of writes. */
    void setMany(Map<String, byte[]> entries);

    /** Adds {@code delta} to the decimal counter at {@code key} (absent: 0) in one statement; returns the sum. */
    long increment(String key, long delta);

    /**
     * One page of the live keys starting with {@code prefix}, in key order: at most {@code limit}
     * keys after {@code after} (the keyset cursor; null for the first page).
     */
    List<String> keysPage(String prefix, String after, int limit);

    @Override
    void close();
}
