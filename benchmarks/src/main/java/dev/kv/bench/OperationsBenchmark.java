package dev.kv.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Seed 001's operation groups that kv has today, on a table pre-filled by {@link BenchMain} with
 * {@link BenchSettings#keyCount()} keys. Each implementation has its own table of the same shape.
 * Sampled time gives the latency percentiles; the report derives throughput from the mean
 * (threads / mean time per operation).
 *
 * <p>Writes go to random pre-filled keys (the table does not grow), except {@code setWithTtl},
 * which writes keys of its own so no pre-filled key starts to expire, and {@code delete}, which
 * removes a key planted, untimed, just before. Batches ({@code getMany*}, {@code setMany*}) take
 * distinct random pre-filled keys; {@code increment} adds 1 to one of {@link BenchKeys#COUNTERS}
 * pre-filled counters; {@code keysPage} reads the next page of {@link BenchKeys#PAGE_SIZE} keys
 * under {@link BenchKeys#PAGE_PREFIX} after the thread's cursor, starting again at the end.
 * {@link #update} is a read-modify-write of an 8-byte big-endian counter in a 64-byte value.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OperationsBenchmark {

    /**
     * The implementation under test. Trials in one JVM (forks = 0, as {@link BenchMain} runs them)
     * share one open instance per implementation, so no trial pays for, or measures while, a pool
     * filling up or Hibernate starting; {@link #closeAll} closes them after the run.
     */
    @State(Scope.Benchmark)
    public static class Target {

        private static final Map<String, KvOperations> OPEN = new java.util.concurrent.ConcurrentHashMap<>();

        @Param({"kv-logged", "kv-unlogged", "jdbc-logged", "jdbc-unlogged", "redis"})
        public String impl;

        KvOperations ops;
        int keyCount;

        @Setup(Level.Trial)
        public void open() {
            BenchSettings settings = BenchSettings.fromSystemProperties();
            keyCount = settings.keyCount();
            ops = OPEN.computeIfAbsent(impl, id -> Implementation.byId(id).open(settings));
            if (ops.get(BenchKeys.key(keyCount - 1)) == null) {
                throw new IllegalStateException(impl + " is not pre-filled with " + keyCount + " keys");
            }
        }

        /** Closes what the trials of this JVM opened. */
        static void closeAll() {
            OPEN.values().forEach(KvOperations::close);
            OPEN.clear();
        }
    }

    /** Per thread: its random keys and its values. */
    @State(Scope.Thread)
    public static class Workload {

        private static final AtomicInteger THREADS = new AtomicInteger();

        final int thread = THREADS.getAndIncrement();
        final SplittableRandom random = new SplittableRandom(42 + thread);
        final byte[] value64 = bytes(64);
        final byte[] value1k = bytes(1024);
        final byte[] value4k = bytes(4096);
        int keyCount;

        @Setup(Level.Trial)
        public void setUp(Target target) {
            keyCount = target.keyCount;
        }

        private byte[] bytes(int size) {
            byte[] value = new byte[size];
            random.nextBytes(value);
            return value;
        }

        String anyKey() {
            return BenchKeys.key(random.nextInt(keyCount));
        }

        String missingKey() {
            return BenchKeys.missingKey(random.nextInt(keyCount));
        }

        String ttlKey() {
            return "ttl:" + random.nextInt(keyCount);
        }

        String counterKey() {
            return BenchKeys.counterKey(random.nextInt(BenchKeys.COUNTERS));
        }

        /** {@code size} distinct random pre-filled keys. */
        List<String> distinctKeys(int size) {
            List<String> keys = new ArrayList<>(size);
            for (String key : batch(size).keySet()) {
                keys.add(key);
            }
            return keys;
        }

        /** {@code size} distinct random pre-filled keys, each to be given the 64-byte value. */
        Map<String, byte[]> batch(int size) {
            Map<String, byte[]> entries = new LinkedHashMap<>(size * 2);
            while (entries.size() < size) {
                entries.put(anyKey(), value64);
            }
            return entries;
        }
    }

    /** Per thread: where its walk through the pages under {@link BenchKeys#PAGE_PREFIX} stands. */
    @State(Scope.Thread)
    public static class PageCursor {

        String after;

        /** Moves the cursor past {@code page}, or back to the start after the last page. */
        List<String> advance(List<String> page) {
            after = page.size() < BenchKeys.PAGE_SIZE ? null : page.get(page.size() - 1);
            return page;
        }
    }

    /** A key of this thread's that {@link #delete} removes, planted before each call and not timed. */
    @State(Scope.Thread)
    public static class Victim {

        private int next;
        String key;

        @Setup(Level.Invocation)
        public void plant(Target target, Workload workload) {
            key = "del:" + workload.thread + ":" + next++;
            target.ops.set(key, workload.value64);
        }
    }

    private static final Duration TTL = Duration.ofHours(1);

    /** Adds one to the 8-byte big-endian counter at the start of the value, keeping the rest. */
    static byte[] incremented(byte[] value) {
        byte[] next = value.clone();
        ByteBuffer buffer = ByteBuffer.wrap(next);
        buffer.putLong(0, buffer.getLong(0) + 1);
        return next;
    }

    @Benchmark
    public void set64(Target target, Workload workload) {
        target.ops.set(workload.anyKey(), workload.value64);
    }

    @Benchmark
    public void set1k(Target target, Workload workload) {
        target.ops.set(workload.anyKey(), workload.value1k);
    }

    @Benchmark
    public void set4k(Target target, Workload workload) {
        target.ops.set(workload.anyKey(), workload.value4k);
    }

    @Benchmark
    public void setWithTtl(Target target, Workload workload) {
        target.ops.set(workload.ttlKey(), workload.value64, TTL);
    }

    @Benchmark
    public byte[] getHit(Target target, Workload workload) {
        return target.ops.get(workload.anyKey());
    }

    @Benchmark
    public byte[] getMiss(Target target, Workload workload) {
        return target.ops.get(workload.missingKey());
    }

    @Benchmark
    public boolean exists(Target target, Workload workload) {
        return target.ops.exists(workload.anyKey());
    }

    @Benchmark
    public boolean delete(Target target, Victim victim) {
        return target.ops.delete(victim.key);
    }

    @Benchmark
    public byte[] update(Target target, Workload workload) {
        return target.ops.update(workload.anyKey(), OperationsBenchmark::incremented);
    }

    @Benchmark
    public List<String> keysPrefix(Target target) {
        return target.ops.keys(BenchKeys.SCAN_PREFIX);
    }

    @Benchmark
    public long increment(Target target, Workload workload) {
        return target.ops.increment(workload.counterKey(), 1);
    }

    @Benchmark
    public Map<String, byte[]> getMany10(Target target, Workload workload) {
        return target.ops.getMany(workload.distinctKeys(10));
    }

    @Benchmark
    public Map<String, byte[]> getMany100(Target target, Workload workload) {
        return target.ops.getMany(workload.distinctKeys(100));
    }

    @Benchmark
    public Map<String, byte[]> getMany500(Target target, Workload workload) {
        return target.ops.getMany(workload.distinctKeys(500));
    }

    @Benchmark
    public void setMany10(Target target, Workload workload) {
        target.ops.setMany(workload.batch(10));
    }

    @Benchmark
    public void setMany100(Target target, Workload workload) {
        target.ops.setMany(workload.batch(100));
    }

    @Benchmark
    public void setMany500(Target target, Workload workload) {
        target.ops.setMany(workload.batch(500));
    }

    @Benchmark
    public List<String> keysPage(Target target, PageCursor cursor) {
        return cursor.advance(target.ops.keysPage(BenchKeys.PAGE_PREFIX, cursor.after, BenchKeys.PAGE_SIZE));
    }

    /** 80 % reads of random pre-filled keys, 20 % writes of 64 bytes to random pre-filled keys. */
    @Benchmark
    public Object mixed(Target target, Workload workload) {
        if (workload.random.nextInt(5) == 0) {
            target.ops.set(workload.anyKey(), workload.value64);
            return null;
        }
        return target.ops.get(workload.anyKey());
    }
}
