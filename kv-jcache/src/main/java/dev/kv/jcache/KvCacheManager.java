package dev.kv.jcache;

import dev.kv.KvStore;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * The caches of one URI and class loader. Their entries live in the manager's store under the namespace of the
 * manager ({@value KvCachingProvider#NAMESPACE}, else its URI) and of the cache name, so managers of the same
 * namespace in other processes share the caches of the same names.
 */
final class KvCacheManager implements CacheManager {

    private final KvCachingProvider provider;
    private final URI uri;
    private final ClassLoader classLoader;
    private final Properties properties;
    private final KvStore store;
    private final String namespace;
    private final Map<String, KvCache<?, ?>> caches = new ConcurrentHashMap<>();
    private final ExecutorService loads;
    private volatile boolean closed;

    KvCacheManager(KvCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties, KvStore store) {
        this.provider = provider;
        this.uri = uri;
        this.classLoader = classLoader;
        this.properties = properties;
        this.store = store;
        String configured = KvCachingProvider.setting(properties, KvCachingProvider.NAMESPACE);
        this.namespace = name(configured == null ? uri.toString() : configured);
        this.loads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "kv-jcache-load");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A namespace name holds no {@code :}; URL encoding keeps any name apart from every other. */
    private static String name(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private KvStore cacheStore(String cacheName) {
        return store.namespace(namespace, name(cacheName));
    }

    @Override
    public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(configuration, "configuration");
        synchronized (caches) {
            if (caches.containsKey(cacheName)) {
                throw new CacheException("cache " + cacheName + " exists already");
            }
            KvCache<K, V> cache = new KvCache<>(this, cacheName, cacheStore(cacheName), copy(configuration), loads);
            caches.put(cacheName, cache);
            return cache;
        }
    }

    private static <K, V> MutableConfiguration<K, V> copy(Configuration<K, V> configuration) {
        if (configuration instanceof CompleteConfiguration<K, V> complete) {
            return new MutableConfiguration<>(complete);
        }
        return new MutableConfiguration<K, V>()
                .setTypes(configuration.getKeyType(), configuration.getValueType())
                .setStoreByValue(configuration.isStoreByValue());
    }

    @Override
    public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        KvCache<?, ?> cache = caches.get(cacheName);
        if (cache == null) {
            return null;
        }
        CompleteConfiguration<?, ?> configuration = cache.configuration();
        if (!configuration.getKeyType().equals(keyType)) {
            throw new ClassCastException("cache " + cacheName + " has keys of "
                    + configuration.getKeyType().getName() + ", not " + keyType.getName());
        }
        if (!configuration.getValueType().equals(valueType)) {
            throw new ClassCastException("cache " + cacheName + " has values of "
                    + configuration.getValueType().getName() + ", not " + valueType.getName());
        }
        @SuppressWarnings("unchecked")
        Cache<K, V> typed = (Cache<K, V>) cache;
        return typed;
    }

    @Override
    public <K, V> Cache<K, V> getCache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        @SuppressWarnings("unchecked")
        Cache<K, V> cache = (Cache<K, V>) caches.get(cacheName);
        return cache;
    }

    @Override
    public Iterable<String> getCacheNames() {
        checkOpen();
        return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
    }

    /** Closes the cache if it is open here and deletes its entries from the store. */
    @Override
    public void destroyCache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        KvCache<?, ?> cache = caches.remove(cacheName);
        cacheStore(cacheName).clear();
        if (cache != null) {
            cache.closeInternal();
        }
    }

    @Override
    public void enableManagement(String cacheName, boolean enabled) {
        cache(cacheName).managementEnabled(enabled);
    }

    @Override
    public void enableStatistics(String cacheName, boolean enabled) {
        cache(cacheName).statisticsEnabled(enabled);
    }

    private KvCache<?, ?> cache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        KvCache<?, ?> cache = caches.get(cacheName);
        if (cache == null) {
            throw new IllegalArgumentException("no cache " + cacheName + " in " + uri);
        }
        return cache;
    }

    void release(KvCache<?, ?> cache) {
        caches.remove(cache.getName(), cache);
        cache.closeInternal();
    }

    @Override
    public CachingProvider getCachingProvider() {
        return provider;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        provider.release(this);
        for (KvCache<?, ?> cache : caches.values()) {
            cache.closeInternal();
        }
        caches.clear();
        loads.shutdown();
        store.close();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        if (clazz.isInstance(store)) {
            return clazz.cast(store);
        }
        throw new IllegalArgumentException("a kv cache manager cannot be unwrapped to " + clazz.getName());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cache manager " + uri + " is closed");
        }
    }
}
