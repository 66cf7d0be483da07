package dev.kv.memory;

/** Which entry a bounded in-memory store removes to make room for a write. */
public enum EvictionPolicy {
    /**
     * Window TinyLFU, by Caffeine: a small LRU window admits new entries, and an entry leaves the
     * main space only for one that a frequency sketch says is used more often. The best hit rate of
     * these policies on skewed workloads; the default. Eviction runs on the writing thread right
     * after the write, so concurrent writers may take the store past a bound for a moment.
     */
    WINDOW_TINY_LFU,
    /** Least recently used, among a sample of {@value MemoryOptions#EVICTION_SAMPLE} entries. */
    LRU,
    /** Least frequently used (ties: least recently), among a sample of {@value MemoryOptions#EVICTION_SAMPLE} entries. */
    LFU,
    /** A random entry. */
    RANDOM,
    /** The entry that expires soonest; among entries that never expire, LRU. */
    TTL,
    /** No eviction: a write that would exceed a bound fails with {@link dev.kv.CapacityExceededException}. */
    NONE
}
