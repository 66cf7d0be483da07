package dev.kv.jpa;

import dev.kv.KvStats;
import java.util.concurrent.atomic.LongAdder;

/** The operation counters of one store instance; cheap to bump from many threads. */
final class StoreCounters {

    final LongAdder gets = new LongAdder();
    final LongAdder hits = new LongAdder();
    final LongAdder sets = new LongAdder();
    final LongAdder deletes = new LongAdder();
    final LongAdder expirations = new LongAdder();

    void read(boolean hit) {
        gets.increment();
        if (hit) {
            hits.increment();
        }
    }

    KvStats snapshot(long entryCount, long totalValueBytes) {
        long reads = gets.sum();
        long found = hits.sum();
        return new KvStats(
                reads,
                found,
                reads - found,
                sets.sum(),
                deletes.sum(),
                expirations.sum(),
                0,
                entryCount,
                totalValueBytes);
    }
}
