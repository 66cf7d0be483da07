package dev.kv.jcache;

import javax.cache.Cache;

/** An entry handed to iterators, writers and callers: a copy, unaffected by later changes of the cache. */
final class KvCacheEntry<K, V> implements Cache.Entry<K, V> {

    private final K key;
    private final V value;

    KvCacheEntry(K key, V value) {
        this.key = key;
        this.value = value;
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        return value;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("a cache entry cannot be unwrapped to " + clazz.getName());
    }

    @Override
    public String toString() {
        return "Entry[" + key + "=" + value + "]";
    }
}
