package dev.kv.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes {@code benchmarks.md} and {@code benchmarks-ratios.png} from a results directory: the JMH
 * JSON files {@code operations-<threads>t.json} and {@code scale.json}, the harness's
 * {@code cleanup.json} and {@code environment.json}. Every number in the report comes from them.
 */
public final class BenchReport {

    static final double THROUGHPUT_TARGET = 0.8;
    static final double SCALE_TARGET = 1.25;
    static final double CLEANUP_TARGET = 2.0;

    private static final String CHART = "benchmarks-ratios.png";

    /** Pairs whose throughput ratio the report shows: kv implementation over its baseline. */
    private static final List<String[]> RATIOS = List.of(
            new String[] {"kv-logged", "jdbc-logged"},
            new String[] {"kv-unlogged", "jdbc-unlogged"},
            new String[] {"kv-logged", "redis"},
            new String[] {"kv-unlogged", "redis"});

    private final List<Measurement> operations = new ArrayList<>();
    private final List<Measurement> scale;
    private final JsonNode cleanup;
    private final JsonNode environment;
    private final MemorySection memory;
    private final StringBuilder md = new StringBuilder();
    private final List<String> verdicts = new ArrayList<>();

    private BenchReport(Path results) throws IOException {
        operations.addAll(readRounds(results, "operations-\\d+t-r(\\d+)\\.json"));
        scale = readRounds(results, "scale-r(\\d+)\\.json");
        ObjectMapper json = new ObjectMapper();
        cleanup = json.readTree(results.resolve("cleanup.json").toFile());
        memory = MemorySection.read(results);
        environment = json.readTree(results.resolve("environment.json").toFile());
    }

    private static List<Measurement> readRounds(Path results, String pattern) throws IOException {
        java.util.regex.Pattern name = java.util.regex.Pattern.compile(pattern);
        List<Measurement> measurements = new ArrayList<>();
        try (Stream<Path> files = Files.list(results)) {
            for (Path file : files.sorted().toList()) {
                java.util.regex.Matcher matcher =
                        name.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    measurements.addAll(Measurement.read(file, Integer.parseInt(matcher.group(1))));
                }
            }
        }
        if (measurements.isEmpty()) {
            throw new IllegalArgumentException("no file matching " + pattern + " in " + results);
        }
        return measurements;
    }

    /** A kv / baseline throughput ratio: the median of the rounds' ratios, and their range. */
    record Ratio(double median, double min, double max, int rounds) {

        /** The ratio of these rounds' ratios; empty without a round. */
        static Optional<Ratio> of(List<Double> perRound) {
            if (perRound.isEmpty()) {
                return Optional.empty();
            }
            double[] values = perRound.stream().mapToDouble(Double::doubleValue).toArray();
            return Optional.of(new Ratio(
                    Measurement.median(values),
                    Arrays.stream(values).min().orElseThrow(),
                    Arrays.stream(values).max().orElseThrow(),
                    values.length));
        }
    }

    /** Reads {@code results} and writes the report and its chart into {@code reportDir}. */
    public static void write(Path results, Path reportDir) throws IOException {
        BenchReport report = new BenchReport(results);
        Files.createDirectories(reportDir);
        report.chart(reportDir.resolve(CHART));
        Path link = reportDir
                .toAbsolutePath()
                .normalize()
                .relativize(results.toAbsolutePath().normalize());
        Files.writeString(
                reportDir.resolve("benchmarks.md"),
                report.markdown(link.toString().isEmpty() ? Path.of(".") : link));
    }

    private TreeSet<Integer> threadCounts() {
        TreeSet<Integer> threads = new TreeSet<>();
        operations.forEach(m -> threads.add(m.threads()));
        return threads;
    }

    private List<Measurement> rounds(String benchmark, String parameter, int threads) {
        return operations.stream()
                .filter(m ->
                        m.benchmark().equals(benchmark) && m.parameter().equals(parameter) && m.threads() == threads)
                .toList();
    }

    private Optional<Measurement> find(Operation operation, String impl, int threads) {
        List<Measurement> rounds = rounds(operation.method, impl, threads);
        return rounds.isEmpty() ? Optional.empty() : Optional.of(Measurement.median(rounds));
    }

    private Optional<Ratio> ratio(Operation operation, String kv, String baseline, int threads) {
        List<Double> ratios = new ArrayList<>();
        for (Measurement a : rounds(operation.method, kv, threads)) {
            rounds(operation.method, baseline, threads).stream()
                    .filter(b -> b.round() == a.round())
                    .findFirst()
                    .ifPresent(b -> ratios.add(a.throughput() / b.throughput()));
        }
        return Ratio.of(ratios);
    }

    private List<String> implementations() {
        return operations.stream().map(Measurement::parameter).distinct().toList();
    }

    private List<Operation> measuredOperations() {
        return Stream.of(Operation.values())
                .filter(o -> operations.stream().anyMatch(m -> m.benchmark().equals(o.method)))
                .toList();
    }

    private List<String[]> measuredRatios() {
        return RATIOS.stream()
                .filter(pair -> operations.stream().anyMatch(m -> m.parameter().equals(pair[0]))
                        && operations.stream().anyMatch(m -> m.parameter().equals(pair[1])))
                .toList();
    }

    private void chart(Path png) throws IOException {
        List<String> categories = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        List<String[]> pairs = measuredRatios();
        pairs.forEach(pair -> series.put(pair[0] + " / " + pair[1], new ArrayList<>()));
        for (Operation operation : measuredOperations()) {
            for (int threads : threadCounts()) {
                categories.add(shortLabel(operation) + " x" + threads);
                for (String[] pair : pairs) {
                    series.get(pair[0] + " / " + pair[1])
                            .add(ratio(operation, pair[0], pair[1], threads)
                                    .map(Ratio::median)
                                    .orElse(Double.NaN));
                }
            }
        }
        RatioChart.write(png, categories, series, THROUGHPUT_TARGET);
    }

    private static String shortLabel(Operation operation) {
        int paren = operation.label.indexOf(" (read");
        return paren > 0 ? operation.label.substring(0, paren) : operation.label;
    }

    private String markdown(Path resultsLink) {
        line("# kv benchmarks");
        line("");
        boolean smoke = "smoke".equals(text("plan"));
        line("Generated by `java -jar benchmarks/target/benchmarks.jar " + (smoke ? "smoke" : "run")
                + "` from the results in [`" + resultsLink + "`](" + resultsLink + "); do not edit by hand. "
                + "Absolute numbers on a shared 2-core machine are noise; the ratios, measured in one run on one "
                + "database, are what count." + (smoke ? " This is a smoke run: its numbers mean nothing." : ""));
        line("");
        line("To measure again (about 20 minutes), from the repository root:");
        line("");
        line("```sh");
        line("./mvnw -q -B -ntp -pl benchmarks -am -DskipTests package");
        line("KV_BENCH_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/postgres KV_BENCH_JDBC_USER=postgres \\");
        line("  KV_BENCH_REDIS_URL=redis://127.0.0.1:6379 java -jar benchmarks/target/benchmarks.jar run");
        line("```");
        line("");
        line("Without `KV_BENCH_JDBC_URL` the run starts an embedded PostgreSQL; without `KV_BENCH_REDIS_URL` it "
                + "leaves Redis out. `benchmarks.jar memory` runs only the in-memory store part "
                + "and writes this page again; `benchmarks.jar cleanup` runs only the cleanup harness (then "
                + "`report`); `benchmarks.jar report` writes it again from the saved results; "
                + "`benchmarks.jar profile OPERATION IMPL THREADS` runs one benchmark under JFR.");
        line("");
        String ratiosSection = ratiosSection();
        String tablesSection = tablesSection();
        String batchSection = new BatchSection(operations).render(implementations(), threadCounts(), verdicts);
        String scaleSection = scaleSection();
        String cleanupSection = cleanupSection();
        String memorySection = memory.render(verdicts);
        line("## Targets");
        line("");
        verdicts.forEach(this::line);
        line("");
        md.append(ratiosSection)
                .append(batchSection)
                .append(scaleSection)
                .append(cleanupSection)
                .append(memorySection)
                .append(tablesSection);
        environmentSection();
        methodSection();
        return md.toString();
    }

    private String ratiosSection() {
        StringBuilder out = new StringBuilder();
        out.append("## Throughput ratios\n\n");
        out.append("kv's throughput divided by the baseline's at the same thread count and in the same round ")
                .append("(higher is better for kv; the target is ≥ ")
                .append(THROUGHPUT_TARGET)
                .append(
                        " × raw JDBC for single-key operations): the median of the rounds, their range in brackets.\n\n");
        List<String[]> pairs = measuredRatios();
        out.append("| operation | threads |");
        pairs.forEach(
                p -> out.append(' ').append(p[0]).append(" / ").append(p[1]).append(" |"));
        out.append('\n').append("|---|---:|");
        pairs.forEach(p -> out.append("---:|"));
        out.append('\n');
        List<String> misses = new ArrayList<>();
        int checked = 0;
        for (Operation operation : measuredOperations()) {
            for (int threads : threadCounts()) {
                out.append("| ")
                        .append(operation.label)
                        .append(" | ")
                        .append(threads)
                        .append(" |");
                for (String[] pair : pairs) {
                    Optional<Ratio> ratio = ratio(operation, pair[0], pair[1], threads);
                    boolean judged = operation.singleKey && pair[1].startsWith("jdbc");
                    String cell = ratio.map(r -> r.rounds() > 1
                                    ? fmt(r.median(), 2) + " (" + fmt(r.min(), 2) + "–" + fmt(r.max(), 2) + ")"
                                    : fmt(r.median(), 2))
                            .orElse("–");
                    if (judged && ratio.isPresent()) {
                        checked++;
                        if (ratio.get().median() < THROUGHPUT_TARGET) {
                            cell = "**" + cell + "** ✗";
                            misses.add(shortLabel(operation) + " ×" + threads + " " + pair[0] + " "
                                    + fmt(ratio.get().median(), 2));
                        }
                    }
                    out.append(' ').append(cell).append(" |");
                }
                out.append('\n');
            }
        }
        out.append("\n✗: below the ").append(THROUGHPUT_TARGET).append(" × raw JDBC target.\n\n");
        out.append("![Throughput ratios](").append(CHART).append(")\n\n");
        verdicts.add(
                misses.isEmpty()
                        ? "- kv ≥ " + THROUGHPUT_TARGET
                                + " × raw JDBC throughput for every single-key operation: **met** (" + checked
                                + " comparisons)."
                        : "- kv ≥ " + THROUGHPUT_TARGET
                                + " × raw JDBC throughput for every single-key operation: **missed** in "
                                + misses.size() + " of " + checked + " comparisons: " + String.join("; ", misses)
                                + ".");
        incrementVerdict();
        return out.toString();
    }

    /**
     * Increment's target is structural (one statement, no lock round trip), which the test suite
     * asserts; the run shows what that buys: kv's throughput against raw JDBC's one statement.
     */
    private void incrementVerdict() {
        List<String> ratios = new ArrayList<>();
        for (String[] pair : measuredRatios()) {
            if (pair[1].startsWith("jdbc")) {
                for (int threads : threadCounts()) {
                    ratio(Operation.INCREMENT, pair[0], pair[1], threads)
                            .ifPresent(r -> ratios.add(pair[0] + " ×" + threads + " " + fmt(r.median(), 2)));
                }
            }
        }
        verdicts.add(
                ratios.isEmpty()
                        ? "- increment is one statement: **not measured** in this run."
                        : "- increment is one statement (no separate lock round trip): one `INSERT … ON CONFLICT DO UPDATE … "
                                + "RETURNING`, as `PostgresRoundTripTest` asserts; its throughput against raw JDBC's one "
                                + "statement: " + String.join(", ", ratios) + ".");
    }

    private String tablesSection() {
        StringBuilder out = new StringBuilder();
        out.append("## Throughput and latency per operation\n\n");
        out.append("Medians of the rounds. Throughput in operations per second of all threads together; ")
                .append("latency per operation in µs; samples: timed operations of all rounds.\n\n");
        out.append("| operation | threads | implementation | ops/s | mean µs | p50 µs | p99 µs | samples |\n");
        out.append("|---|---:|---|---:|---:|---:|---:|---:|\n");
        for (Operation operation : measuredOperations()) {
            for (int threads : threadCounts()) {
                for (String impl : implementations()) {
                    Optional<Measurement> median = find(operation, impl, threads);
                    if (median.isPresent()) {
                        Measurement m = median.get();
                        out.append(Markdown.row(
                                operation.label,
                                threads,
                                m.parameter(),
                                fmt(m.throughput(), 0),
                                fmt(m.meanMicros(), 1),
                                fmt(m.p50Micros(), 1),
                                fmt(m.p99Micros(), 1),
                                m.samples()));
                    }
                }
            }
        }
        out.append('\n');
        return out.toString();
    }

    private String scaleSection() {
        StringBuilder out = new StringBuilder();
        out.append("## Scale: latency on a small and a large table\n\n");
        out.append("kv (logged), 1 thread, random keys over the whole table; medians of the rounds.\n\n");
        out.append("| operation | rows | mean µs | p50 µs | p99 µs |\n|---|---:|---:|---:|---:|\n");
        List<String> results = new ArrayList<>();
        for (String benchmark : List.of("get", "set")) {
            List<Measurement> rows = scale.stream()
                    .filter(m -> m.benchmark().equals(benchmark))
                    .map(Measurement::parameter)
                    .distinct()
                    .sorted((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)))
                    .map(size -> Measurement.median(scale.stream()
                            .filter(m -> m.benchmark().equals(benchmark)
                                    && m.parameter().equals(size))
                            .toList()))
                    .toList();
            for (Measurement m : rows) {
                out.append(Markdown.row(
                        benchmark,
                        m.parameter(),
                        fmt(m.meanMicros(), 1),
                        fmt(m.p50Micros(), 1),
                        fmt(m.p99Micros(), 1)));
            }
            if (rows.size() >= 2) {
                Measurement small = rows.get(0);
                Measurement large = rows.get(rows.size() - 1);
                double ratio = large.meanMicros() / small.meanMicros();
                results.add(benchmark + " " + fmt(ratio, 2) + " × on the mean"
                        + (ratio <= SCALE_TARGET ? "" : " (**missed**)") + ", "
                        + fmt(large.p50Micros() / small.p50Micros(), 2) + " × on the median");
            }
        }
        out.append('\n');
        boolean met = results.stream().noneMatch(r -> r.contains("missed"));
        String sizes = scale.stream()
                .map(Measurement::parameter)
                .distinct()
                .map(Long::parseLong)
                .sorted()
                .map(String::valueOf)
                .reduce((a, b) -> a + " vs " + b)
                .orElse("");
        verdicts.add("- Mean latency at the large table ≤ " + SCALE_TARGET + " × at the small one (" + sizes
                + " rows): **" + (met ? "met" : "missed") + "**: " + String.join(", ", results) + ".");
        return out.toString();
    }

    private String cleanupSection() {
        StringBuilder out = new StringBuilder();
        JsonNode without = cleanup.get("withoutCleanup");
        JsonNode during = cleanup.get("duringCleanup");
        double ratio =
                during.get("p99Micros").asDouble() / without.get("p99Micros").asDouble();
        out.append("## Expiry cleanup under load\n\n");
        out.append("`cleanupExpired()` removed ")
                .append(cleanup.get("deletedRows").asLong())
                .append(" of ")
                .append(cleanup.get("expiredRows").asLong())
                .append(" expired rows in ")
                .append(fmt(cleanup.get("cleanupSeconds").asDouble(), 1))
                .append(" s while ")
                .append(cleanup.get("workers").asInt())
                .append(" threads did 80 % gets and 20 % sets on ")
                .append(cleanup.get("liveKeys").asLong())
                .append(" live keys (kv logged; harness: ")
                .append(cleanup.get("harness").asText())
                .append("). Readers' latency in µs:\n\n");
        out.append("| phase | seconds | reads/s | p50 | p99 | p99.9 | max |\n|---|---:|---:|---:|---:|---:|---:|\n");
        cleanupRow(out, "without cleanup", without);
        cleanupRow(out, "during cleanup", during);
        JsonNode paced = cleanup.get("duringPacedCleanup");
        if (paced != null) {
            cleanupRow(out, "during paced cleanup", paced);
        }
        out.append('\n');
        if (paced != null) {
            out.append("\"During cleanup\" is `cleanupExpired()` of a store configured with `cleanupPause(0)`,")
                    .append(
                            " one batch after the other. The paced cleanup is the same call with the default `cleanupPause(")
                    .append(cleanup.get("pacedPauseMillis").asLong())
                    .append(" ms)`, after the expired rows were filled in again: it removed ")
                    .append(cleanup.get("pacedDeletedRows").asLong())
                    .append(" rows in ")
                    .append(fmt(cleanup.get("pacedCleanupSeconds").asDouble(), 1))
                    .append(" s.\n\n");
        }
        if (during.has("serverSamples")) {
            out.append("What the database's backends were doing, sampled from `pg_stat_activity` every 10 ms ")
                    .append("(samples per state; CPU means no wait event):\n\n")
                    .append("| phase | backends | samples | states |\n|---|---|---:|---|\n");
            serverRows(out, "without cleanup", without.get("serverSamples"));
            serverRows(out, "during cleanup", during.get("serverSamples"));
            if (paced != null) {
                serverRows(out, "during paced cleanup", paced.get("serverSamples"));
            }
            out.append('\n');
        }
        String verdict = "- Readers' p99 during cleanup ≤ " + CLEANUP_TARGET + " × without: `cleanupPause(0)` **"
                + (ratio <= CLEANUP_TARGET ? "met" : "missed") + "**: " + fmt(ratio, 2) + " × ("
                + during.get("p99Micros").asLong() + " µs against "
                + without.get("p99Micros").asLong() + " µs)";
        if (paced != null) {
            double pacedRatio =
                    paced.get("p99Micros").asDouble() / without.get("p99Micros").asDouble();
            verdict += "; with the default `cleanupPause("
                    + cleanup.get("pacedPauseMillis").asLong() + " ms)` **"
                    + (pacedRatio <= CLEANUP_TARGET ? "met" : "missed") + "**: " + fmt(pacedRatio, 2) + " × ("
                    + paced.get("p99Micros").asLong() + " µs)";
        }
        verdicts.add(verdict + ".");
        return out.toString();
    }

    private static void serverRows(StringBuilder out, String phase, JsonNode samples) {
        for (String backends : List.of("cleaner", "workers")) {
            JsonNode states = samples.get(backends);
            if (states == null) {
                continue;
            }
            List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>();
            states.fields().forEachRemaining(sorted::add);
            sorted.sort(
                    (a, b) -> Long.compare(b.getValue().asLong(), a.getValue().asLong()));
            String busiest = sorted.stream()
                    .limit(5)
                    .map(e -> e.getKey() + " " + e.getValue().asLong())
                    .collect(Collectors.joining(", "));
            out.append(Markdown.row(phase, backends, samples.get("ticks").asLong(), busiest));
        }
    }

    private static void cleanupRow(StringBuilder out, String phase, JsonNode node) {
        out.append(Markdown.row(
                phase,
                fmt(node.get("seconds").asDouble(), 1),
                fmt(node.get("readsPerSecond").asDouble(), 0),
                node.get("p50Micros").asLong(),
                node.get("p99Micros").asLong(),
                node.get("p999Micros").asLong(),
                node.get("maxMicros").asLong()));
    }

    private void environmentSection() {
        line("## Machine and versions");
        line("");
        line("| | |");
        line("|---|---|");
        for (String field : List.of(
                "finished",
                "plan",
                "rounds",
                "cpu",
                "cores",
                "memoryGiB",
                "os",
                "java",
                "postgresql",
                "jdbcUrl",
                "redis",
                "keys",
                "poolSize",
                "valueFormat",
                "forks",
                "warmup",
                "measurement")) {
            line("| " + field + " | " + text(field).replace("|", "\\|") + " |");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        environment.get("libraries").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> library = it.next();
            line("| " + library.getKey() + " | " + library.getValue().asText() + " |");
        }
        line("");
    }

    private void methodSection() {
        line("## How it is measured");
        line("");
        line("- JMH in sampled-time mode: every result has a mean and percentiles of timed operations; the "
                + "throughput is threads ÷ mean time per operation (each thread runs operations back to back).");
        line("- The machine is shared with other work whose load comes in bursts, so instead of one long trial per "
                + "benchmark every benchmark of every implementation runs " + text("rounds") + " times in short "
                + "trials (warm-up " + text("warmup") + ", measured " + text("measurement") + "), round after "
                + "round: a ratio compares trials of the same round, a few seconds apart, and the report gives the "
                + "median of the rounds with their range. The trials share one JVM (forks = " + text("forks")
                + "): a fork's start-up would cost more than the trial.");
        line("- Each PostgreSQL implementation has its own table of kv's shape, created by kv's Liquibase "
                + "changelog with `bytea` values, and refilled with the same keys before each thread count. "
                + "Each has its own HikariCP pool of " + text("poolSize") + " connections in autocommit, opened "
                + "before measuring.");
        line("- Values are `bytea`, as with Redis. kv's default format, `jsonb`, adds JSON validation and "
                + "conversion on every write and read and is not measured here.");
        line("- raw JDBC is the least work for each operation on that table: one prepared statement "
                + "per operation (`update`: one transaction of `SELECT … FOR UPDATE` and `UPDATE`; `getMany`: "
                + "`SELECT key, value … WHERE key_hash = ANY (?)`; `setMany`: one `INSERT … SELECT FROM unnest(…) "
                + "ON CONFLICT DO UPDATE` of arrays sorted by `key_hash`, in a transaction, as kv runs it; "
                + "`increment`: one `INSERT … ON CONFLICT DO UPDATE SET value = value + delta … RETURNING` on the "
                + "decimal text kv keeps counters in; the page: `… AND key > ? ORDER BY key LIMIT 100`).");
        line("- Redis (through Jedis, the same pool size): `update` is WATCH/GET/MULTI/SET/EXEC; `keys(prefix)` "
                + "is SCAN with MATCH over the whole key space, because Redis keeps no key order; `getMany` is "
                + "MGET, `setMany` MSET (one atomic command), `increment` INCRBY; the page is ZRANGEBYLEX on a "
                + "sorted set of the pre-filled key names (Redis's usual ordered index, which writes do not "
                + "maintain by themselves).");
        line("- Writes go to random pre-filled keys; set with TTL to keys of its own; delete removes a key "
                + "planted just before, untimed. Batches take distinct random pre-filled keys (setMany writes "
                + "64 bytes to each); increment adds 1 to one of 10,000 pre-filled counters; the paged scan "
                + "reads the next 100 of the 10,000 keys under `key:000` after the thread's cursor.");
        line("- Findings, profiles and suggested fixes: [benchmarks-findings.md](benchmarks-findings.md).");
        line("");
    }

    private String text(String field) {
        JsonNode node = environment.get(field);
        return node == null ? "" : node.asText();
    }

    private void line(String text) {
        md.append(text).append('\n');
    }

    private static String fmt(double value, int decimals) {
        if (decimals == 0) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
