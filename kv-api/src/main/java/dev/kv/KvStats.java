package dev.kv;

/**
 * What a store has done since it was opened, and what it holds now. The counters count the calls of
 * this store instance; another instance on the same table counts its own.
 *
 * @param gets keys read by {@code get}, {@code getEntry} and {@code getMany}
 * @param hits reads that found a live entry
 * @param misses reads that found none
 * @param sets values stored ({@code set}, a successful {@code setIfAbsent}, {@code update},
 *     {@code increment}, each entry of {@code setMany} and {@code apply})
 * @param deletes live entries removed by a delete of any kind, or by an {@code update} returning null
 * @param expirations expired entries removed, by cleanup or when a read met them
 * @param evictions entries removed to stay within a size bound (in-memory stores)
 * @param entryCount live entries held now
 * @param totalValueBytes bytes of the live values held now
 */
public record KvStats(
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
