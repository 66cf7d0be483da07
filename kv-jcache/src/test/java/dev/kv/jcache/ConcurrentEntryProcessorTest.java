package dev.kv.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import org.junit.jupiter.api.Test;

/**
 * Entry processors run under the entry's row lock: increments from two cache managers (two application
 * instances on one PostgreSQL table) and four threads each are never lost.
 */
class ConcurrentEntryProcessorTest {

    private static final int THREADS = 8;
    private static final int INCREMENTS = 100;

    private static final EntryProcessor<String, Long, Long> INCREMENT = (entry, arguments) -> {
        long next = (entry.exists() ? entry.getValue() : 0L) + 1;
        entry.setValue(next);
        return next;
    };

    @Test
    void incrementsFromTwoManagersAndEightThreadsAreNeverLost() throws Exception {
        try (CacheManager first = manager("kv:processor-a");
                CacheManager second = manager("kv:processor-b")) {
            MutableConfiguration<String, Long> configuration =
                    new MutableConfiguration<String, Long>().setTypes(String.class, Long.class);
            first.destroyCache("counters");
            Cache<String, Long> a = first.createCache("counters", configuration);
            Cache<String, Long> b = second.createCache("counters", configuration);
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Cache<String, Long> cache = t % 2 == 0 ? a : b;
                done.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < INCREMENTS; i++) {
                        cache.invoke("visits", INCREMENT);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
            threads.shutdown();

            assertThat(a.get("visits")).isEqualTo((long) THREADS * INCREMENTS);
            assertThat(b.get("visits")).isEqualTo((long) THREADS * INCREMENTS);
        }
    }

    private static CacheManager manager(String uri) {
        Properties properties = new Properties();
        properties.setProperty(KvCachingProvider.NAMESPACE, "processor-test");
        return Caching.getCachingProvider(KvCachingProvider.class.getName())
                .getCacheManager(URI.create(uri), ConcurrentEntryProcessorTest.class.getClassLoader(), properties);
    }
}
