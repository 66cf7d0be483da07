package dev.kv.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.bench.report.BenchReport;
import dev.kv.bench.report.JmhJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and writes the report. From the repository root:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar run       # the full run: docs/benchmarks.md and its chart
 * java -jar benchmarks/target/benchmarks.jar smoke     # under a minute, into benchmarks/target/smoke
 * java -jar benchmarks/target/benchmarks.jar memory    # only the in-memory store part of run, then the report
 * java -jar benchmarks/target/benchmarks.jar report    # the report again from docs/benchmark-results
 * java -jar benchmarks/target/benchmarks.jar cleanup   # only the cleanup-under-load harness (cleanup.json), no report
 * java -jar benchmarks/target/benchmarks.jar glob      # adversarial globs on both backends (benchmarks/target/glob.json), no report
 * java -jar benchmarks/target/benchmarks.jar jcache    # JCache get/put: kv provider, kv directly, Ehcache on heap (benchmarks/target/jcache.json)
 * java -jar benchmarks/target/benchmarks.jar profile OPERATION IMPL THREADS   # one benchmark under JFR
 * java -jar benchmarks/target/benchmarks.jar client-cost [unlogged]          # kv's client CPU per operation
 * </pre>
 *
 * The database is {@code KV_BENCH_JDBC_URL} (with {@code KV_BENCH_JDBC_USER} and
 * {@code KV_BENCH_JDBC_PASSWORD}) or an embedded PostgreSQL; Redis joins when
 * {@code KV_BENCH_REDIS_URL} is set.
 */
public final class BenchMain {

    /** Held so the level sticks: java.util.logging keeps loggers weakly. */
    private static final java.util.logging.Logger LIQUIBASE = java.util.logging.Logger.getLogger("liquibase");

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        LIQUIBASE.setLevel(java.util.logging.Level.WARNING);
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        String command = args.length == 0 ? "run" : args[0];
        switch (command) {
            case "run" -> run(RunPlan.full());
            case "smoke" -> run(RunPlan.smoke());
            case "memory" -> {
                RunPlan plan = RunPlan.full();
                Files.createDirectories(plan.resultsDir());
                clearResults(plan.resultsDir(), "memory-");
                memory(plan, settings(plan));
                BenchReport.write(plan.resultsDir(), plan.reportDir());
            }
            case "report" -> {
                condenseAll(RunPlan.full().resultsDir());
                BenchReport.write(RunPlan.full().resultsDir(), RunPlan.full().reportDir());
            }
            case "profile" -> {
                if (args.length != 4) {
                    usage();
                }
                profile(args[1], Implementation.byId(args[2]), Integer.parseInt(args[3]));
            }
            case "client-cost" -> clientCost(args.length > 1 && args[1].equals("unlogged"));
            case "cleanup" -> cleanup(RunPlan.full());
            case "glob" -> glob(RunPlan.smoke());
            case "jcache" -> jcache(RunPlan.jcache());
            default -> usage();
        }
        // The embedded PostgreSQL and pools leave non-daemon threads behind.
        System.exit(0);
    }

    private static void usage() {
        System.err.println(
                "usage: benchmarks.jar run | smoke | memory | report | cleanup | glob | jcache | profile OPERATION IMPL THREADS | client-cost [unlogged]");
        System.exit(2);
    }

    private static BenchSettings settings(RunPlan plan) {
        BenchDatabase.Location database = BenchDatabase.locate(Path.of("benchmarks", "target"));
        String redis = System.getenv("KV_BENCH_REDIS_URL");
        return new BenchSettings(
                database.jdbcUrl(),
                database.user(),
                database.password(),
                redis == null || redis.isBlank() ? null : redis,
                plan.keyCount());
    }

    private static void run(RunPlan plan) throws Exception {
        long start = System.nanoTime();
        BenchSettings settings = settings(plan);
        settings.applyToThisJvm();
        Files.createDirectories(plan.resultsDir());
        List<Implementation> implementations = new ArrayList<>(plan.implementations());
        if (!settings.hasRedis()) {
            implementations.remove(Implementation.REDIS);
            System.out.println("KV_BENCH_REDIS_URL is not set: Redis is left out");
        }
        System.out.println("plan " + plan.name() + " on " + settings);
        try (HikariDataSource admin = BenchDatabase.newPool(settings, "bench-admin", 1)) {
            BenchTables tables = new BenchTables(admin);
            clearResults(plan.resultsDir(), "");
            for (int round = 1; round <= plan.rounds(); round++) {
                for (int threads : plan.threadCounts()) {
                    refill(tables, settings, implementations);
                    jmh(
                                    plan,
                                    settings,
                                    OperationsBenchmark.class.getName() + "\\.(" + plan.operations() + ")$",
                                    threads,
                                    plan.resultsDir().resolve("operations-" + threads + "t-r" + round + ".json"))
                            .param(
                                    "impl",
                                    implementations.stream().map(i -> i.id).toArray(String[]::new))
                            .run();
                }
            }
            OperationsBenchmark.Target.closeAll();
            for (int rows : plan.scaleRows()) {
                tables.refill(ScaleBenchmark.table(rows), false, rows);
            }
            for (int round = 1; round <= plan.rounds(); round++) {
                jmh(
                                plan,
                                settings,
                                ScaleBenchmark.class.getName() + "\\.",
                                1,
                                plan.resultsDir().resolve("scale-r" + round + ".json"))
                        .param(
                                "rows",
                                plan.scaleRows().stream().map(String::valueOf).toArray(String[]::new))
                        .run();
            }
            cleanupLatency(plan, settings, tables);
            RunEnvironment.write(admin, settings, plan, plan.resultsDir().resolve("environment.json"));
        }
        memory(plan, settings);
        BenchReport.write(plan.resultsDir(), plan.reportDir());
        System.out.printf(
                "%s run done in %.0f s: %s%n",
                plan.name(), (System.nanoTime() - start) / 1e9, plan.reportDir().resolve("benchmarks.md"));
    }

    /** Condenses every JMH result file in {@code dir}, as a run does after each JMH run (idempotent). */
    private static void condenseAll(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("(operations|scale|memory)-.*\\.json")
                            && !f.getFileName().toString().equals("memory-footprint.json"))
                    .toList()) {
                JmhJson.condense(file);
            }
        }
    }

    /**
     * The in-memory store against ConcurrentHashMap and Caffeine in rounds, each trial in a fork of
     * its own as the plan says, then the heap per entry in this JVM.
     */
    private static void memory(RunPlan plan, BenchSettings settings) throws Exception {
        RunPlan.Memory memory = plan.memory();
        for (int round = 1; round <= plan.rounds(); round++) {
            for (int threads : memory.threadCounts()) {
                Launch launch = jmh(
                        plan,
                        settings,
                        MemoryBenchmark.class.getName() + "\\.(get|set)$",
                        threads,
                        plan.resultsDir().resolve("memory-" + threads + "t-r" + round + ".json"),
                        Mode.Throughput,
                        TimeUnit.SECONDS);
                launch.options
                        .forks(memory.forks())
                        .warmupIterations(memory.warmup().count())
                        .warmupTime(
                                TimeValue.milliseconds(memory.warmup().time().toMillis()))
                        .measurementIterations(memory.measurement().count())
                        .measurementTime(TimeValue.milliseconds(
                                memory.measurement().time().toMillis()));
                launch.run();
            }
        }
        MemoryFootprint.run(memory.footprintEntries(), plan.resultsDir().resolve("memory-footprint.json"));
    }

    /** Leaves no result of an earlier run whose name starts with {@code prefix} to be mixed into this one's report. */
    private static void clearResults(Path dir, String prefix) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)
                            && f.getFileName().toString().endsWith(".json"))
                    .toList()) {
                Files.delete(file);
            }
        }
    }

    private static void refill(BenchTables tables, BenchSettings settings, List<Implementation> implementations) {
        for (Implementation implementation : implementations) {
            if (implementation == Implementation.REDIS) {
                try (RedisOperations redis = new RedisOperations(settings.redisUrl(), 1)) {
                    redis.refill(settings.keyCount(), new byte[64]);
                }
            } else {
                tables.refill(implementation.table, implementation.unlogged, settings.keyCount());
                tables.addCounters(implementation.table);
            }
        }
    }

    /** A JMH run of {@code include} in sampled-time mode with the plan's iterations, into {@code result} as JSON. */
    private static Launch jmh(RunPlan plan, BenchSettings settings, String include, int threads, Path result) {
        return jmh(plan, settings, include, threads, result, Mode.SampleTime, TimeUnit.MICROSECONDS);
    }

    private static Launch jmh(
            RunPlan plan,
            BenchSettings settings,
            String include,
            int threads,
            Path result,
            Mode mode,
            TimeUnit timeUnit) {
        List<String> jvmArgs = new ArrayList<>(settings.asJvmArgs());
        jvmArgs.add("-Xms1g");
        jvmArgs.add("-Xmx1g");
        jvmArgs.add("-Dorg.jboss.logging.provider=slf4j");
        jvmArgs.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .mode(mode)
                .timeUnit(timeUnit)
                .threads(threads)
                .forks(plan.forks())
                .warmupIterations(plan.warmup().count())
                .warmupTime(TimeValue.milliseconds(plan.warmup().time().toMillis()))
                .measurementIterations(plan.measurement().count())
                .measurementTime(
                        TimeValue.milliseconds(plan.measurement().time().toMillis()))
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(result.toString());
        return new Launch(options);
    }

    /** {@link GlobBenchmark} with the smoke plan's short iterations: what an adversarial pattern costs, not a report figure. */
    private static void glob(RunPlan plan) throws Exception {
        BenchSettings settings = settings(plan);
        settings.applyToThisJvm();
        jmh(
                        plan,
                        settings,
                        GlobBenchmark.class.getName() + "\\.",
                        1,
                        Path.of("benchmarks", "target", "glob.json"),
                        Mode.AverageTime,
                        TimeUnit.MILLISECONDS)
                .run();
    }

    /** {@link JCacheBenchmark} on one thread, briefly ({@link RunPlan#jcache()}). */
    private static void jcache(RunPlan plan) throws Exception {
        BenchSettings settings = settings(plan);
        settings.applyToThisJvm();
        jmh(
                        plan,
                        settings,
                        JCacheBenchmark.class.getName() + "\\.",
                        1,
                        Path.of("benchmarks", "target", "jcache.json"),
                        Mode.AverageTime,
                        TimeUnit.MICROSECONDS)
                .run();
    }

    /** {@link ClientCost} on freshly filled tables. */
    private static void clientCost(boolean unlogged) {
        BenchSettings settings = settings(RunPlan.full());
        List<Implementation> pair = unlogged
                ? List.of(Implementation.KV_UNLOGGED, Implementation.JDBC_UNLOGGED)
                : List.of(Implementation.KV_LOGGED, Implementation.JDBC_LOGGED);
        try (HikariDataSource admin = BenchDatabase.newPool(settings, "bench-admin", 1)) {
            refill(new BenchTables(admin), settings, pair);
        }
        ClientCost.run(settings, unlogged);
    }

    private static void cleanupLatency(RunPlan plan, BenchSettings settings, BenchTables tables) throws Exception {
        new CleanupLatency(settings, 8, plan.expiredRows(), plan.cleanupBaseline())
                .run(tables, plan.resultsDir().resolve("cleanup.json"));
    }

    /** The cleanup harness alone, replacing the last run's cleanup.json. */
    private static void cleanup(RunPlan plan) throws Exception {
        BenchSettings settings = settings(plan);
        settings.applyToThisJvm();
        Files.createDirectories(plan.resultsDir());
        try (HikariDataSource admin = BenchDatabase.newPool(settings, "bench-admin", 1)) {
            cleanupLatency(plan, settings, new BenchTables(admin));
        }
    }

    /** One operation and implementation at a thread count, under JMH's JFR profiler. */
    private static void profile(String operation, Implementation implementation, int threads) throws Exception {
        RunPlan plan = RunPlan.full();
        BenchSettings settings = settings(plan);
        settings.applyToThisJvm();
        Path dir = Path.of("benchmarks", "target", "profile");
        Files.createDirectories(dir);
        try (HikariDataSource admin = BenchDatabase.newPool(settings, "bench-admin", 1)) {
            refill(new BenchTables(admin), settings, List.of(implementation));
        }
        Launch launch = jmh(
                plan,
                settings,
                OperationsBenchmark.class.getName() + "\\." + operation + "$",
                threads,
                dir.resolve("profile.json"));
        launch.options
                .param("impl", implementation.id)
                .measurementTime(TimeValue.seconds(15))
                .addProfiler("jfr", "dir=" + dir.toAbsolutePath());
        launch.run();
        OperationsBenchmark.Target.closeAll();
    }

    /** JMH options being put together, with the parameters that differ per run. */
    private static final class Launch {

        final ChainedOptionsBuilder options;

        Launch(ChainedOptionsBuilder options) {
            this.options = options;
        }

        Launch param(String name, String... values) {
            options.param(name, values);
            return this;
        }

        void run() throws RunnerException, java.io.IOException {
            Options built = options.build();
            new Runner(built).run();
            if (built.getResult().hasValue()) {
                JmhJson.condense(Path.of(built.getResult().get()));
            }
        }
    }
}
