package dev.kv.memory;

import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Evicts for the LRU, LFU, RANDOM and TTL policies, as Redis does: rather than keep every entry in
 * an ordered list that each read must update under a lock, it compares a sample of entries and
 * removes the worst. The sample is the next {@value MemoryOptions#EVICTION_SAMPLE} entries of a
 * cursor sweeping the hash map, whose order has nothing to do with use. Expired entries met on the
 * way go first.
 */
final class SampledEviction {

    private static final int MAX_MISSES = 1_000;

    private final EntryTable table;
    private final EvictionPolicy policy;
    private final ReentrantLock lock = new ReentrantLock();
    private final Node[] sample = new Node[MemoryOptions.EVICTION_SAMPLE];
    private Iterator<Node> cursor;

    SampledEviction(EntryTable table, EvictionPolicy policy) {
        this.table = table;
        this.policy = policy;
    }

    /**
     * Evicts until the store is within its bounds; one thread at a time. {@code written}, the entry
     * whose write took the store over, goes last: a write lands, as in a classic LRU or LFU cache.
     */
    void evictWhileOverBounds(Node written) {
        lock.lock();
        try {
            // A victim can be rewritten or removed by its own writer before it is evicted; give up
            // (leaving the store over its bound until the next write) only if that keeps happening.
            int misses = 0;
            while (table.overBounds() && misses < MAX_MISSES) {
                Node victim = victim(written);
                if (victim == null) {
                    return;
                }
                misses = table.evict(victim) ? 0 : misses + 1;
            }
        } finally {
            lock.unlock();
        }
    }

    private Node victim(Node written) {
        if (policy == EvictionPolicy.TTL) {
            for (ExpiryKey soonest : table.expiring()) {
                Node node = table.peek(soonest.key());
                if (node != null && node != written && node.expiresMicros == soonest.expiresMicros()) {
                    return node;
                }
            }
        }
        int size = fillSample(written);
        if (size == 0) {
            return written;
        }
        long now = table.expiryNow();
        for (int i = 0; i < size; i++) {
            if (!sample[i].liveAt(now)) {
                return sample[i];
            }
        }
        if (policy == EvictionPolicy.RANDOM) {
            return sample[ThreadLocalRandom.current().nextInt(size)];
        }
        Node worst = sample[0];
        for (int i = 1; i < size; i++) {
            if (worse(sample[i], worst)) {
                worst = sample[i];
            }
        }
        return worst;
    }

    private boolean worse(Node a, Node b) {
        if (policy == EvictionPolicy.LFU && a.frequency != b.frequency) {
            return a.frequency < b.frequency;
        }
        return a.lastAccessNanos - b.lastAccessNanos < 0;
    }

    private int fillSample(Node written) {
        int size = 0;
        boolean restarted = false;
        while (size < sample.length) {
            if (cursor == null || !cursor.hasNext()) {
                if (restarted) {
                    break;
                }
                cursor = table.nodes().iterator();
                restarted = true;
                if (!cursor.hasNext()) {
                    break;
                }
            }
            Node next = cursor.next();
            if (next != written) {
                sample[size++] = next;
            }
        }
        return size;
    }
}
