package dev.kv.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How much a run measures. {@link #full()} is the measurement behind {@code docs/benchmarks.md}
 * (about 17 minutes on a 2-core machine); {@link #smoke()} proves in well under a minute that the
 * benchmarks, harness and report still work, and its numbers mean nothing.
 *
 * <p>The full run is built for a machine shared with other work, where load comes and goes in
 * bursts longer than one benchmark: instead of one long trial per benchmark it runs every
 * benchmark of every implementation several times in short trials, round after round, so a burst
 * hits all implementations alike, and the report takes medians. It runs the trials in one JVM
 * (no forks): a fork's start-up would cost more than the trial, and the megamorphic call to the
 * implementation that sharing a JVM brings costs nanoseconds against operations of tens of
 * microseconds.
 *
 * @param name shown in the report
 * @param keyCount keys pre-filled into each operations table
 * @param threadCounts JMH thread counts, one JMH run each
 * @param operations regular expression of the {@link OperationsBenchmark} methods to run
 * @param implementations the {@code impl} parameters to run; Redis is dropped when no Redis is set
 * @param rounds how often every benchmark runs; the report takes the median of the rounds
 * @param forks JMH forks per benchmark (0: in this JVM)
 * @param warmup warm-up iterations and their time
 * @param measurement measured iterations and their time
 * @param scaleRows table sizes for {@link ScaleBenchmark}
 * @param expiredRows expired rows {@link CleanupLatency} removes
 * @param cleanupBaseline how long {@link CleanupLatency} measures readers without cleanup
 * @param memory how the in-memory store is measured against its anchors
 * @param resultsDir where the JMH JSON and the other results go
 * @param reportDir where {@code benchmarks.md} and the chart go
 */
record RunPlan(
        String name,
        int keyCount,
        List<Integer> threadCounts,
        String operations,
        List<Implementation> implementations,
        int rounds,
        int forks,
        Iterations warmup,
        Iterations measurement,
        List<Integer> scaleRows,
        int expiredRows,
        Duration cleanupBaseline,
        Memory memory,
        Path resultsDir,
        Path reportDir) {

    record Iterations(int count, Duration time) {}

    /**
     * The {@link MemoryBenchmark} part of a run, in rounds like the rest.
     *
     * @param threadCounts JMH thread counts
     * @param forks JMH forks per trial: 1 keeps each implementation's calls monomorphic
     * @param warmup warm-up iterations and their time
     * @param measurement measured iterations and their time
     * @param footprintEntries entries {@link MemoryFootprint} measures the heap of
     */
    record Memory(
            List<Integer> threadCounts, int forks, Iterations warmup, Iterations measurement, int footprintEntries) {}

    static RunPlan full() {
        return new RunPlan(
                "full",
                100_000,
                List.of(1, 8),
                ".*",
                List.of(Implementation.values()),
                3,
                0,
                new Iterations(1, Duration.ofMillis(300)),
                new Iterations(1, Duration.ofMillis(900)),
                List.of(10_000, 1_000_000),
                1_000_000,
                Duration.ofSeconds(20),
                new Memory(
                        List.of(1, 2),
                        1,
                        new Iterations(3, Duration.ofSeconds(1)),
                        new Iterations(3, Duration.ofSeconds(1)),
                        100_000),
                Path.of("docs", "benchmark-results"),
                Path.of("docs"));
    }

    static RunPlan smoke() {
        return new RunPlan(
                "smoke",
                2_000,
                List.of(2),
                "getHit|set64|delete|update|increment|getMany100|setMany100|keysPrefix|keysPage",
                List.of(Implementation.KV_LOGGED, Implementation.JDBC_LOGGED, Implementation.REDIS),
                1,
                0,
                new Iterations(0, Duration.ofMillis(200)),
                new Iterations(1, Duration.ofMillis(400)),
                List.of(1_000, 3_000),
                5_000,
                Duration.ofSeconds(1),
                new Memory(
                        List.of(1),
                        0,
                        new Iterations(0, Duration.ofMillis(100)),
                        new Iterations(1, Duration.ofMillis(100)),
                        10_000),
                Path.of("benchmarks", "target", "smoke"),
                Path.of("benchmarks", "target", "smoke"));
    }

    /** The smoke plan with 2 s of warm-up and 3 s of measurement per trial: {@link JCacheBenchmark}'s brief run. */
    static RunPlan jcache() {
        RunPlan smoke = smoke();
        return new RunPlan(
                "jcache",
                smoke.keyCount(),
                smoke.threadCounts(),
                smoke.operations(),
                smoke.implementations(),
                smoke.rounds(),
                smoke.forks(),
                new Iterations(2, Duration.ofSeconds(1)),
                new Iterations(3, Duration.ofSeconds(1)),
                smoke.scaleRows(),
                smoke.expiredRows(),
                smoke.cleanupBaseline(),
                smoke.memory(),
                smoke.resultsDir(),
                smoke.reportDir());
    }
}
