package dev.kv.bench;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ScanOptions;
import dev.kv.ValueFormat;
import dev.kv.jcache.KvCachingProvider;
import dev.kv.jpa.JpaKvStores;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JCache {@code get} and {@code put} of a 64-byte value over {@value #KEYS} pre-filled keys: through kv's
 * provider on PostgreSQL ({@code kv-jcache}), the same operations on a kv store directly ({@code kv}: the
 * provider's overhead is the difference), and Ehcache's JCache on heap ({@code ehcache-jcache}: what a cache in
 * the JVM costs). Both caches store by value (JCache's default).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JCacheBenchmark {

    static final int KEYS = 1_000;

    @Param({"kv-jcache", "kv", "ehcache-jcache"})
    public String impl;

    private final SplittableRandom random = new SplittableRandom(42);
    private final byte[] value = new byte[64];
    private KvStore store;
    private CacheManager manager;
    private Cache<String, byte[]> cache;

    @Setup(Level.Trial)
    public void open() {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        random.nextBytes(value);
        switch (impl) {
            case "kv" -> {
                store = JpaKvStores.open(
                        settings.jdbcUrl(),
                        settings.user(),
                        settings.password(),
                        KvConfig.builder()
                                .table("bench_jcache_direct")
                                .format(ValueFormat.BYTEA)
                                .runMigrations(true)
                                .build());
                store.delete(ScanOptions.all());
                for (int i = 0; i < KEYS; i++) {
                    store.set(key(i), value);
                }
            }
            case "kv-jcache" -> {
                Properties properties = new Properties();
                properties.setProperty(KvCachingProvider.JDBC_URL, settings.jdbcUrl());
                properties.setProperty(KvCachingProvider.USER, settings.user());
                properties.setProperty(KvCachingProvider.PASSWORD, settings.password());
                properties.setProperty(KvCachingProvider.TABLE, "bench_jcache");
                openCache(KvCachingProvider.class.getName(), properties);
            }
            case "ehcache-jcache" -> openCache("org.ehcache.jsr107.EhcacheCachingProvider", new Properties());
            default -> throw new IllegalArgumentException(impl);
        }
    }

    private void openCache(String provider, Properties properties) {
        CachingProvider caching = Caching.getCachingProvider(provider);
        manager = caching.getCacheManager(caching.getDefaultURI(), JCacheBenchmark.class.getClassLoader(), properties);
        manager.destroyCache("bench");
        cache = manager.createCache(
                "bench", new MutableConfiguration<String, byte[]>().setTypes(String.class, byte[].class));
        for (int i = 0; i < KEYS; i++) {
            cache.put(key(i), value);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (manager != null) {
            manager.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static String key(int i) {
        return "k:" + i;
    }

    @Benchmark
    public Object get() {
        String key = key(random.nextInt(KEYS));
        return cache != null ? cache.get(key) : store.get(key);
    }

    @Benchmark
    public void put() {
        String key = key(random.nextInt(KEYS));
        if (cache != null) {
            cache.put(key, value);
        } else {
            store.set(key, value);
        }
    }
}
