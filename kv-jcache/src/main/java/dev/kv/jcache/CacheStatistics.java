package dev.kv.jcache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/** The counters of one cache as JSR-107 defines them, served to JMX as the CacheStatistics MXBean. */
final class CacheStatistics implements CacheStatisticsMXBean {

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final LongAdder getNanos = new LongAdder();
    private final LongAdder putNanos = new LongAdder();
    private final LongAdder removeNanos = new LongAdder();
    private volatile boolean enabled;

    void enabled(boolean enabled) {
        this.enabled = enabled;
    }

    void hits(long count) {
        if (enabled) {
            hits.add(count);
        }
    }

    void misses(long count) {
        if (enabled) {
            misses.add(count);
        }
    }

    void puts(long count) {
        if (enabled) {
            puts.add(count);
        }
    }

    void removals(long count) {
        if (enabled) {
            removals.add(count);
        }
    }

    void getTime(long startNanos) {
        if (enabled) {
            getNanos.add(System.nanoTime() - startNanos);
        }
    }

    void putTime(long startNanos) {
        if (enabled) {
            putNanos.add(System.nanoTime() - startNanos);
        }
    }

    void removeTime(long startNanos) {
        if (enabled) {
            removeNanos.add(System.nanoTime() - startNanos);
        }
    }

    @Override
    public void clear() {
        for (LongAdder counter : new LongAdder[] {hits, misses, puts, removals, getNanos, putNanos, removeNanos}) {
            counter.reset();
        }
    }

    @Override
    public long getCacheHits() {
        return hits.sum();
    }

    @Override
    public float getCacheHitPercentage() {
        long gets = getCacheGets();
        return gets == 0 ? 0f : getCacheHits() * 100f / gets;
    }

    @Override
    public long getCacheMisses() {
        return misses.sum();
    }

    @Override
    public float getCacheMissPercentage() {
        long gets = getCacheGets();
        return gets == 0 ? 0f : getCacheMisses() * 100f / gets;
    }

    @Override
    public long getCacheGets() {
        return getCacheHits() + getCacheMisses();
    }

    @Override
    public long getCachePuts() {
        return puts.sum();
    }

    @Override
    public long getCacheRemovals() {
        return removals.sum();
    }

    /** Always 0: a kv cache never evicts; entries leave by removal or expiry. */
    @Override
    public long getCacheEvictions() {
        return 0;
    }

    @Override
    public float getAverageGetTime() {
        return averageMicros(getNanos, getCacheGets());
    }

    @Override
    public float getAveragePutTime() {
        return averageMicros(putNanos, getCachePuts());
    }

    @Override
    public float getAverageRemoveTime() {
        return averageMicros(removeNanos, getCacheRemovals());
    }

    private static float averageMicros(LongAdder nanos, long count) {
        return count == 0 ? 0f : (float) TimeUnit.NANOSECONDS.toMicros(nanos.sum()) / count;
    }
}
