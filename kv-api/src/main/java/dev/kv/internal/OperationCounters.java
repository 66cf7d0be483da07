package dev.kv.internal;

import dev.kv.KvStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The operation counters of one store instance, as {@link KvStats} reports them; cheap to bump from
 * many threads. A read bumps one adder, its hit or its miss.
 */
public final class OperationCounters {

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder sets = new LongAdder();
    private final LongAdder deletes = new LongAdder();
    private final LongAdder expirations = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /** A key read by a get: found live or not. */
    public void read(boolean hit) {
        (hit ? hits : misses).increment();
    }

    public void set() {
        sets.increment();
    }

    public void sets(long count) {
        sets.add(count);
    }

    public void deleted() {
        deletes.increment();
    }

    public void deleted(long count) {
        deletes.add(count);
    }

    public void expired() {
        expirations.increment();
    }

    public void expired(long count) {
        expirations.add(count);
    }

    public void evicted() {
        evictions.increment();
    }

    /** The counters with what the store holds now. */
    public KvStats stats(long entryCount, long totalValueBytes) {
        long hitCount = hits.sum();
        long missCount = misses.sum();
        return new KvStats(
                hitCount + missCount,
                hitCount,
                missCount,
                sets.sum(),
                deletes.sum(),
                expirations.sum(),
                evictions.sum(),
                entryCount,
                totalValueBytes);
    }
}
