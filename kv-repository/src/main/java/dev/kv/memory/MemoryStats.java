package dev.kv.memory;

/**
 * Counters of an in-memory store since it was opened.
 *
 * @param gets calls of {@code get} and {@code getEntry}
 * @param hits gets that found a live entry
 * @param misses gets that found none
 * @param sets writes that stored a value ({@code set}, a successful {@code setIfAbsent}, {@code update})
 * @param deletes live entries removed by {@code delete} or by an {@code update} returning null
 * @param expirations expired entries removed
 * @param evictions entries removed to stay within the bounds
 * @param entryCount entries held now, including expired ones not removed yet
 * @param totalValueBytes bytes of the values held now
 */
public record MemoryStats(
        long gets,
        long hits,
        long misses,
        long sets,
        long deletes,
        long expirations,
        long evictions,
        long entryCount,
        long totalValueBytes) {

    /** Hits per get, between 0 and 1; 0 before the first get. */
    public double hitRate() {
        return gets == 0 ? 0 : (double) hits / gets;
    }
}
