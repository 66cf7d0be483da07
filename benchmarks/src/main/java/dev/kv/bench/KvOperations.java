package dev.kv.bench;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The operations every implementation under test offers, in kv's vocabulary. A new kv operation
 * (getMany, setMany, increment, paged scan) is one method here, one in each implementation and one
 * {@code @Benchmark} in {@link OperationsBenchmark}.
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

    @Override
    void close();
}
