package dev.kv.bench;

import java.util.SplittableRandom;
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
 * kv's get and set latency on a small and a large table ({@code kv_scale_<rows>}, logged, filled by
 * {@link BenchMain}): with a hashed primary key the two should be close.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class ScaleBenchmark {

    @Param({"10000", "1000000"})
    public int rows;

    private KvOperations kv;

    static String table(int rows) {
        return "kv_scale_" + rows;
    }

    @Setup(Level.Trial)
    public void open() {
        kv = Implementation.openKv(BenchSettings.fromSystemProperties(), table(rows), false);
        if (kv.get(BenchKeys.key(rows - 1)) == null) {
            throw new IllegalStateException(table(rows) + " is not pre-filled with " + rows + " keys");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        kv.close();
    }

    /** Per thread: random keys over the whole table. */
    @State(Scope.Thread)
    public static class Keys {

        final SplittableRandom random = new SplittableRandom(7);
        final byte[] value = new byte[64];
        int rows;

        @Setup(Level.Trial)
        public void setUp(ScaleBenchmark benchmark) {
            rows = benchmark.rows;
            random.nextBytes(value);
        }

        String next() {
            return BenchKeys.key(random.nextInt(rows));
        }
    }

    @Benchmark
    public byte[] get(Keys keys) {
        return kv.get(keys.next());
    }

    @Benchmark
    public void set(Keys keys) {
        kv.set(keys.next(), keys.value);
    }
}
