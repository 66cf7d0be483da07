package dev.kv.jcache;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/** A created, updated, removed or expired entry; removed and expired events carry the old value as their value. */
final class KvCacheEntryEvent<K, V> extends CacheEntryEvent<K, V> {

    private static final long serialVersionUID = 1L;

    private final K key;
    private final V value;
    private final V oldValue;
    private final boolean oldValueAvailable;

    KvCacheEntryEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue, boolean oldValueAvailable) {
        super(source, type);
        this.key = key;
        this.value = value;
        this.oldValue = oldValue;
        this.oldValueAvailable = oldValueAvailable;
    }

    static <K, V> KvCacheEntryEvent<K, V> created(Cache<K, V> source, K key, V value) {
        return new KvCacheEntryEvent<>(source, EventType.CREATED, key, value, null, false);
    }

    static <K, V> KvCacheEntryEvent<K, V> updated(Cache<K, V> source, K key, V value, V oldValue) {
        return new KvCacheEntryEvent<>(source, EventType.UPDATED, key, value, oldValue, true);
    }

    static <K, V> KvCacheEntryEvent<K, V> removed(Cache<K, V> source, K key, V oldValue) {
        return new KvCacheEntryEvent<>(source, EventType.REMOVED, key, oldValue, oldValue, true);
    }

    static <K, V> KvCacheEntryEvent<K, V> expired(Cache<K, V> source, K key, V oldValue) {
        return new KvCacheEntryEvent<>(source, EventType.EXPIRED, key, oldValue, oldValue, true);
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
    public V getOldValue() {
        return oldValue;
    }

    @Override
    public boolean isOldValueAvailable() {
        return oldValueAvailable;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("a cache entry event cannot be unwrapped to " + clazz.getName());
    }
}
