package dev.kv.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.memory.EvictionPolicy;
import dev.kv.memory.MemoryKvStore;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 * Point get and set of kv's in-memory store beside its anchors, ConcurrentHashMap and Caffeine, in
 * one run (issue 6): {@value #KEYS} pre-filled keys of 12 characters, 64-byte values, uniformly
 * random keys. The memory store runs unbounded (a hash map plus the ordered key index) and bounded
 * with its default W-TinyLFU eviction at a size that holds every key, as the Caffeine anchor is, so
 * that bookkeeping is measured and not evictions. The memory store copies values in and out, as
 * its API promises; {@code chm} and {@code caffeine} store and return the caller's array, and
 * {@code caffeine-copies} is Caffeine copying as the store does, to tell the cost of the copies from
 * that of the store.
 *
 * <p>Throughput mode: at tens of nanoseconds per operation, sampling each call's time would
 * measure the timer. {@link BenchMain} runs each trial in its own fork, so the call through
 * {@link PointOps} sees one implementation and stays monomorphic.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MemoryBenchmark {

    static final int KEYS = 100_000;

    @Param({"chm", "caffeine", "caffeine-copies", "memory", "memory-bounded"})
    public String impl;

    /** One implementation's point operations. */
    interface PointOps {
        Object get(String key);

        void set(String key, byte[] value);
    }

    private String[] keys;
    private final byte[] value = new byte[64];
    private PointOps ops;
    private MemoryKvStore store;

    @Setup(Level.Trial)
    public void fill() {
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "key:" + String.format("%08d", i);
        }
        ThreadLocalRandom.current().nextBytes(value);
        ops = switch (impl) {
            case "chm" -> {
                ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>();
                yield new PointOps() {
                    @Override
                    public Object get(String key) {
                        return map.get(key);
                    }

                    @Override
                    public void set(String key, byte[] value) {
                        map.put(key, value);
                    }
                };
            }
            case "caffeine" -> {
                Cache<String, byte[]> cache =
                        Caffeine.newBuilder().maximumSize(2L * KEYS).build();
                yield new PointOps() {
                    @Override
                    public Object get(String key) {
                        return cache.getIfPresent(key);
                    }

                    @Override
                    public void set(String key, byte[] value) {
                        cache.put(key, value);
                    }
                };
            }
            case "caffeine-copies" -> {
                Cache<String, byte[]> cache =
                        Caffeine.newBuilder().maximumSize(2L * KEYS).build();
                yield new PointOps() {
                    @Override
                    public Object get(String key) {
                        byte[] stored = cache.getIfPresent(key);
                        return stored == null ? null : stored.clone();
                    }

                    @Override
                    public void set(String key, byte[] value) {
                        cache.put(key, value.clone());
                    }
                };
            }
            case "memory", "memory-bounded" -> {
                store = openStore(impl.equals("memory-bounded") ? 2L * KEYS : MemoryOptions.UNBOUNDED);
                MemoryKvStore opened = store;
                yield new PointOps() {
                    @Override
                    public Object get(String key) {
                        return opened.get(key);
                    }

                    @Override
                    public void set(String key, byte[] value) {
                        opened.set(key, value);
                    }
                };
            }
            default -> throw new IllegalArgumentException("no memory implementation \"" + impl + "\"");
        };
        for (String key : keys) {
            ops.set(key, value);
        }
    }

    /** The memory store with bytes in and out and no cleaner thread; {@code maxEntries} may be unbounded. */
    static MemoryKvStore openStore(long maxEntries) {
        MemoryOptions.Builder options = MemoryOptions.builder().cleanupInterval(Duration.ZERO);
        if (maxEntries != MemoryOptions.UNBOUNDED) {
            options.maxEntries(maxEntries).evictionPolicy(EvictionPolicy.WINDOW_TINY_LFU);
        }
        return MemoryKvStores.open(KvConfig.builder().format(ValueFormat.BYTEA).build(), options.build());
    }

    @TearDown(Level.Trial)
    public void close() {
        if (store != null) {
            store.close();
        }
    }

    private String next() {
        return keys[ThreadLocalRandom.current().nextInt(KEYS)];
    }

    @Benchmark
    public Object get() {
        return ops.get(next());
    }

    @Benchmark
    public void set() {
        ops.set(next(), value);
    }
}
