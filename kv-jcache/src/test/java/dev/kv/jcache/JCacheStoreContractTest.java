package dev.kv.jcache;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.contract.KvStoreContract;
import dev.kv.memory.MemoryKvStores;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;

/**
 * The contract on the store a JCache cache unwraps to ({@code cache.unwrap(KvStore.class)}): a cache's own
 * namespace of its manager's store, here a memory store opened with the contract's settings.
 */
class JCacheStoreContractTest extends KvStoreContract {

    private static final AtomicInteger MANAGERS = new AtomicInteger();
    private static final ThreadLocal<KvStore> NEXT_STORE = new ThreadLocal<>();

    /** Hands the provider the store the runner opened with the contract's settings. */
    public static final class ContractStores implements KvStoreFactory {
        @Override
        public KvStore open(URI uri, Properties properties) {
            return NEXT_STORE.get();
        }
    }

    private final List<CacheManager> managers = new ArrayList<>();

    @AfterEach
    void closeManagers() {
        managers.forEach(CacheManager::close);
        managers.clear();
    }

    @Override
    protected KvStore open(KvConfig.Builder settings) {
        NEXT_STORE.set(MemoryKvStores.open(settings.build()));
        Properties properties = new Properties();
        properties.setProperty(KvCachingProvider.STORE_FACTORY, ContractStores.class.getName());
        CacheManager manager = Caching.getCachingProvider(KvCachingProvider.class.getName())
                .getCacheManager(
                        URI.create("kv:contract-" + MANAGERS.incrementAndGet()),
                        JCacheStoreContractTest.class.getClassLoader(),
                        properties);
        NEXT_STORE.remove();
        managers.add(manager);
        Cache<String, String> cache = manager.createCache("contract", new MutableConfiguration<String, String>());
        return cache.unwrap(KvStore.class);
    }

    /** Nothing to delete: every store this class opens starts empty. */
    @Override
    protected void deleteAllEntries() {}
}
