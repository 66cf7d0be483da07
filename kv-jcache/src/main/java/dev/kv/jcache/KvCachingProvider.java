package dev.kv.jcache;

import dev.kv.KvStore;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.WeakHashMap;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The JSR-107 provider of kv: {@code Caching.getCachingProvider()} finds it through {@link ServiceLoader}. Each
 * {@link CacheManager} keeps its caches in one kv store (see {@link KvStoreFactory}), a namespace per cache.
 * Caches store by value; store-by-reference is not supported.
 *
 * <p>Settings, read from the manager's properties and then from the system properties: {@value #JDBC_URL},
 * {@value #USER}, {@value #PASSWORD} and {@value #TABLE} (default {@code kv_jcache}) for PostgreSQL, {@value
 * #NAMESPACE} (default: the manager's URI) to share caches among managers of different URIs, {@value
 * #STORE_FACTORY} to name a {@link KvStoreFactory} class.
 */
public final class KvCachingProvider implements CachingProvider {

    /** The JDBC URL of the PostgreSQL database; without it, caches live in a memory store. */
    public static final String JDBC_URL = "kv.jcache.jdbc-url";

    /** The database user. */
    public static final String USER = "kv.jcache.user";

    /** The database password. */
    public static final String PASSWORD = "kv.jcache.password";

    /** The table of the caches (created if missing), {@code kv_jcache} by default. */
    public static final String TABLE = "kv.jcache.table";

    /** The namespace of a manager's caches in the store; the manager's URI by default. */
    public static final String NAMESPACE = "kv.jcache.namespace";

    /** The class name of the {@link KvStoreFactory} to open stores with. */
    public static final String STORE_FACTORY = "kv.jcache.store-factory";

    /** The URI of the default manager. */
    public static final URI DEFAULT_URI = URI.create("kv:default");

    private final Map<ClassLoader, Map<URI, KvCacheManager>> managers = new WeakHashMap<>();

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
        URI managerUri = uri == null ? getDefaultURI() : uri;
        ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
        Properties settings = properties == null ? new Properties() : properties;
        synchronized (managers) {
            Map<URI, KvCacheManager> ofLoader = managers.computeIfAbsent(loader, ignored -> new HashMap<>());
            KvCacheManager manager = ofLoader.get(managerUri);
            if (manager == null) {
                KvStore store = storeFactory(settings, loader).open(managerUri, settings);
                manager = new KvCacheManager(this, managerUri, loader, settings, store);
                ofLoader.put(managerUri, manager);
            }
            return manager;
        }
    }

    private static KvStoreFactory storeFactory(Properties properties, ClassLoader loader) {
        String className = setting(properties, STORE_FACTORY);
        if (className != null) {
            try {
                return (KvStoreFactory) Class.forName(className, true, loader)
                        .getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new CacheException(
                        STORE_FACTORY + " names no KvStoreFactory with a public no-argument" + " constructor: "
                                + className,
                        e);
            }
        }
        Iterator<KvStoreFactory> found =
                ServiceLoader.load(KvStoreFactory.class, loader).iterator();
        return found.hasNext() ? found.next() : new DefaultStoreFactory();
    }

    /** A setting from the manager's properties, else from the system properties; null if blank or absent. */
    static String setting(Properties properties, String name) {
        String value = properties.getProperty(name, System.getProperty(name));
        return value == null || value.isBlank() ? null : value;
    }

    void release(KvCacheManager manager) {
        synchronized (managers) {
            Map<URI, KvCacheManager> ofLoader = managers.get(manager.getClassLoader());
            if (ofLoader != null) {
                ofLoader.remove(manager.getURI(), manager);
            }
        }
    }

    @Override
    public ClassLoader getDefaultClassLoader() {
        return getClass().getClassLoader();
    }

    @Override
    public URI getDefaultURI() {
        return DEFAULT_URI;
    }

    @Override
    public Properties getDefaultProperties() {
        return new Properties();
    }

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
        return getCacheManager(uri, classLoader, getDefaultProperties());
    }

    @Override
    public CacheManager getCacheManager() {
        return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
    }

    @Override
    public void close() {
        List<KvCacheManager> all = new ArrayList<>();
        synchronized (managers) {
            managers.values().forEach(ofLoader -> all.addAll(ofLoader.values()));
        }
        all.forEach(KvCacheManager::close);
    }

    @Override
    public void close(ClassLoader classLoader) {
        ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
        List<KvCacheManager> ofLoader;
        synchronized (managers) {
            Map<URI, KvCacheManager> found = managers.get(loader);
            ofLoader = found == null ? List.of() : new ArrayList<>(found.values());
        }
        ofLoader.forEach(KvCacheManager::close);
    }

    @Override
    public void close(URI uri, ClassLoader classLoader) {
        URI managerUri = uri == null ? getDefaultURI() : uri;
        ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
        KvCacheManager manager;
        synchronized (managers) {
            Map<URI, KvCacheManager> found = managers.get(loader);
            manager = found == null ? null : found.get(managerUri);
        }
        if (manager != null) {
            manager.close();
        }
    }

    /** Store-by-reference is not supported: every cache copies keys and values through serialization. */
    @Override
    public boolean isSupported(OptionalFeature optionalFeature) {
        return false;
    }
}
