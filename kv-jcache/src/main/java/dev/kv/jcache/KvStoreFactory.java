package dev.kv.jcache;

import dev.kv.KvStore;
import java.net.URI;
import java.util.Properties;

/**
 * Opens the store a {@link javax.cache.CacheManager} keeps its caches in. The provider takes the factory named by
 * the property {@value KvCachingProvider#STORE_FACTORY} (in the manager's properties or the system properties),
 * else the first one {@link java.util.ServiceLoader} finds, else its own: PostgreSQL when {@value
 * KvCachingProvider#JDBC_URL} is set, else a memory store. The manager closes the store when it closes; a factory
 * that shares one store among managers returns a view that owns nothing, such as {@link KvStore#namespace}.
 */
@FunctionalInterface
public interface KvStoreFactory {

    /**
     * The store of the manager of {@code uri}.
     *
     * @param uri the manager's URI
     * @param properties the manager's properties
     */
    KvStore open(URI uri, Properties properties);
}
