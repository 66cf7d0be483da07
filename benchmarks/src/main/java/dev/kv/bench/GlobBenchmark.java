package dev.kv.bench;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ScanOptions;
import dev.kv.jpa.JpaKvStores;
import dev.kv.memory.MemoryKvStores;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * What an adversarial glob costs (issue 12): {@value #KEYS} keys of 60 {@code a}s and a number,
 * counted with patterns that make a backtracking matcher try every way of splitting a key, on the
 * memory store and on PostgreSQL. Before the glob hardening, {@code *a} eight times and {@code *b}
 * never finished on one such key in memory, and 1,000 stars cost PostgreSQL about 9 s over 60 rows;
 * {@code plain} is an ordinary pattern for scale.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GlobBenchmark {

    static final int KEYS = 1_000;

    private static final Map<String, String> PATTERNS = Map.of(
            "plain", "a*:1?",
            "stars", "*a*a*a*a*a*a*a*a*b",
            "most-stars", "*a".repeat(31) + "*b",
            "class", "*[a]*a*a*a*a*a*a*a*b",
            "star-run", "a" + "*".repeat(4_000) + "b");

    @Param({"memory", "postgres"})
    public String impl;

    @Param({"plain", "stars", "most-stars", "class", "star-run"})
    public String pattern;

    private KvStore store;
    private ScanOptions glob;

    @Setup(Level.Trial)
    public void fill() {
        KvConfig config = KvConfig.builder()
                .schema(BenchSettings.SCHEMA)
                .table("bench_glob")
                .runMigrations(true)
                .build();
        if (impl.equals("memory")) {
            store = MemoryKvStores.open(config);
        } else {
            BenchSettings settings = BenchSettings.fromSystemProperties();
            store = JpaKvStores.open(settings.jdbcUrl(), settings.user(), settings.password(), config);
        }
        store.delete(ScanOptions.all());
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            entries.put("a".repeat(60) + ":" + i, "1".getBytes());
        }
        store.setMany(entries);
        glob = ScanOptions.glob(PATTERNS.get(pattern));
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    @Benchmark
    public long count() {
        return store.count(glob);
    }
}
