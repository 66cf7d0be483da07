package dev.kv.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Seed 001's operation groups that kv has today, on a table pre-filled by {@link BenchMain} with
 * {@link BenchSettings#keyCount()} keys. Each implementation has its own table of the same shape.
 * Sampled time gives the latency percentiles; the report derives throughput from the mean
 * (threads / mean time per operation).
 *
 * <p>Writes go to random pre-filled keys (the table does not grow), except {@code setWithTtl},
 * which writes keys of its own so no pre-filled key starts to expire, and {@code delete}, which
 * removes a key planted, untimed, just before.
 *
 * <p>Not here until kv has them (issue 3): getMany and setMany of 10, 100 and 500 keys, a real
 * increment, and a paged prefix scan. {@link #update} is a read-modify-write of an 8-byte counter,
 * the closest kv operation to increment today.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OperationsBenchmark {

    /** The implementation under test, opened once per trial. */
    @State(Scope.Benchmark)
    public static class Target {

        @Param({"kv-logged", "kv-unlogged", "jdbc-logged", "jdbc-unlogged", "redis"})
        public String impl;

        KvOperations ops;
        int keyCount;

        @Setup(Level.Trial)
        public void open() {
            BenchSettings settings = BenchSettings.fromSystemProperties();
            keyCount = settings.keyCount();
            ops = Implementation.byId(impl).open(settings);
            if (ops.get(BenchKeys.key(keyCount - 1)) == null) {
                throw new IllegalStateException(impl + " is not pre-filled with " + keyCount + " keys");
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            ops.close();
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
