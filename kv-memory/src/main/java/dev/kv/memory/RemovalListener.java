package dev.kv.memory;

/**
 * Told of an entry the store removed by itself. It runs on the thread that removed the entry — a
 * writer, the cleaner, or under the default W-TinyLFU policy also a thread of the common
 * fork-join pool, where Caffeine does its maintenance — and must be quick and must not call the
 * store; an exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface RemovalListener {

    /**
     * @param key the entry's key
     * @param value the entry's value (a copy)
     * @param cause why it was removed
     */
    void onRemoval(String key, byte[] value, RemovalCause cause);
}
