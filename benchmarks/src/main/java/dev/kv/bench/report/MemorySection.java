package dev.kv.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The report's section on the in-memory store (issue 6): point get and set throughput against
 * ConcurrentHashMap and Caffeine from {@code memory-<threads>t-r<round>.json} (JMH throughput mode),
 * and heap bytes per entry from {@code memory-footprint.json}. Absent files leave the section out.
 */
final class MemorySection {

    static final double GET_TARGET = 0.7;
    static final double SET_TARGET = 0.5;

    private static final Pattern FILE = Pattern.compile("memory-(\\d+)t-r(\\d+)\\.json");
    private static final List<String> IMPLEMENTATIONS =
            List.of("memory", "memory-bounded", "caffeine", "caffeine-copies", "chm");
    private static final List<String[]> RATIOS = List.of(
            new String[] {"memory", "caffeine"},
            new String[] {"memory-bounded", "caffeine"},
            new String[] {"memory", "caffeine-copies"},
            new String[] {"memory-bounded", "caffeine-copies"},
            new String[] {"memory", "chm"},
            new String[] {"memory-bounded", "chm"});

    /** One JMH throughput result. */
    record Result(String benchmark, String impl, int threads, double opsPerSecond, int round) {}

    private final List<Result> results;
    private final JsonNode footprint;

    private MemorySection(List<Result> results, JsonNode footprint) {
        this.results = results;
        this.footprint = footprint;
    }

    static MemorySection read(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Result> results = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                Matcher name = FILE.matcher(file.getFileName().toString());
                if (!name.matches()) {
                    continue;
                }
                for (JsonNode result : json.readTree(file.toFile())) {
                    JsonNode metric = result.get("primaryMetric");
                    if (!metric.get("scoreUnit").asText().equals("ops/s")) {
                        throw new IllegalArgumentException(file + ": expected ops/s, got " + metric.get("scoreUnit"));
                    }
                    String benchmark = result.get("benchmark").asText();
                    results.add(new Result(
                            benchmark.substring(benchmark.lastIndexOf('.') + 1),
                            result.get("params").get("impl").asText(),
                            result.get("threads").asInt(),
                            metric.get("score").asDouble(),
                            Integer.parseInt(name.group(2))));
                }
            }
        }
        Path footprint = dir.resolve("memory-footprint.json");
        return new MemorySection(results, Files.exists(footprint) ? json.readTree(footprint.toFile()) : null);
    }

    private List<Integer> threadCounts() {
        return results.stream().map(Result::threads).distinct().sorted().toList();
    }

    private List<Result> rounds(String benchmark, String impl, int threads) {
        return results.stream()
                .filter(r -> r.benchmark.equals(benchmark) && r.impl.equals(impl) && r.threads == threads)
                .toList();
    }

    private Optional<BenchReport.Ratio> ratio(String benchmark, String impl, String anchor, int threads) {
        List<Double> ratios = new ArrayList<>();
        for (Result a : rounds(benchmark, impl, threads)) {
            rounds(benchmark, anchor, threads).stream()
                    .filter(b -> b.round == a.round)
                    .findFirst()
                    .ifPresent(b -> ratios.add(a.opsPerSecond / b.opsPerSecond));
        }
        return BenchReport.Ratio.of(ratios);
    }

    /** The section's markdown; adds the targets' verdict to {@code verdicts}. */
    String render(List<String> verdicts) {
        if (results.isEmpty()) {
            verdicts.add("- memory store get ≥ " + GET_TARGET + " × and set ≥ " + SET_TARGET
                    + " × Caffeine: **not measured** in this run.");
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("## In-memory store against ConcurrentHashMap and Caffeine\n\n");
        out.append("Point get and set of 64-byte values on ")
                .append(
                        "100,000 pre-filled keys of 12 characters, uniformly random keys, JMH throughput mode, one fork ")
                .append(
                        "per trial. `memory`: kv's memory store unbounded; `memory-bounded`: bounded to 200,000 entries ")
                .append("with W-TinyLFU (nothing is evicted); `caffeine`: a Caffeine cache bounded alike; `chm`: ")
                .append("a ConcurrentHashMap. The memory store copies values in and out, as its API promises; ")
                .append("`caffeine` and `chm` keep the caller's array, and `caffeine-copies` is the Caffeine cache ")
                .append("copying values in and out as the store does, so that the cost of the copies shows apart ")
                .append("from the store's own. Each trial warms up for 3 s before 3 s of measurement: C2 compiles ")
                .append("Caffeine's write path only after about a second. Ratios are per round; the median of the ")
                .append("rounds, their range in brackets. Targets: get ≥ ")
                .append(GET_TARGET)
                .append(" × and set ≥ ")
                .append(SET_TARGET)
                .append(" × Caffeine.\n\n");
        out.append("| operation | threads |");
        RATIOS.forEach(
                p -> out.append(' ').append(p[0]).append(" / ").append(p[1]).append(" |"));
        out.append("\n|---|---:|");
        RATIOS.forEach(p -> out.append("---:|"));
        out.append('\n');
        List<String> figures = new ArrayList<>();
        boolean met = true;
        for (String benchmark : List.of("get", "set")) {
            double target = benchmark.equals("get") ? GET_TARGET : SET_TARGET;
            for (int threads : threadCounts()) {
                out.append("| ").append(benchmark).append(" | ").append(threads).append(" |");
                for (String[] pair : RATIOS) {
                    Optional<BenchReport.Ratio> ratio = ratio(benchmark, pair[0], pair[1], threads);
                    String cell = ratio.map(r -> r.rounds() > 1
                                    ? fmt(r.median(), 2) + " (" + fmt(r.min(), 2) + "–" + fmt(r.max(), 2) + ")"
                                    : fmt(r.median(), 2))
                            .orElse("–");
                    if (ratio.isPresent() && pair[1].equals("caffeine")) {
                        boolean hit = ratio.get().median() >= target;
                        met &= hit;
                        figures.add(benchmark + " ×" + threads + " " + pair[0] + " "
                                + fmt(ratio.get().median(), 2));
                        if (!hit) {
                            cell = "**" + cell + "** ✗";
                        }
                    }
                    out.append(' ').append(cell).append(" |");
                }
                out.append('\n');
            }
        }
        out.append("\n✗: below the target against Caffeine.\n\n");
        out.append("Throughput, operations per second of all threads together, medians of the rounds:\n\n");
        out.append("| operation | threads |");
        IMPLEMENTATIONS.forEach(impl -> out.append(' ').append(impl).append(" |"));
        out.append("\n|---|---:|");
        IMPLEMENTATIONS.forEach(impl -> out.append("---:|"));
        out.append('\n');
        for (String benchmark : List.of("get", "set")) {
            for (int threads : threadCounts()) {
                out.append("| ").append(benchmark).append(" | ").append(threads).append(" |");
                for (String impl : IMPLEMENTATIONS) {
                    double[] values = rounds(benchmark, impl, threads).stream()
                            .mapToDouble(Result::opsPerSecond)
                            .toArray();
                    out.append(' ')
                            .append(
                                    values.length == 0
                                            ? "–"
                                            : String.format(Locale.ROOT, "%,.0f", Measurement.median(values)))
                            .append(" |");
                }
                out.append('\n');
            }
        }
        out.append('\n');
        verdicts.add("- memory store point get ≥ " + GET_TARGET + " × and set ≥ " + SET_TARGET
                + " × Caffeine at 1 and 2 threads: **" + (met ? "met" : "missed") + "**: " + String.join("; ", figures)
                + ".");
        footprint(out);
        return out.toString();
    }

    private void footprint(StringBuilder out) {
        if (footprint == null) {
            return;
        }
        out.append("### Heap per entry\n\n");
        out.append("Measured in-process with ")
                .append(footprint.get("tool").asText())
                .append(" (")
                .append(footprint.get("vm").asText())
                .append("): the object graph of a structure holding ")
                .append(String.format(
                        Locale.ROOT, "%,d", footprint.get("entries").asLong()))
                .append(" entries (")
                .append(footprint.get("keyLength").asInt())
                .append("-character keys, ")
                .append(footprint.get("valueBytes").asInt())
                .append("-byte values) minus that of an empty one, per entry; keys and values included. ")
                .append("`memory-ttl`: the unbounded memory store with a TTL on every entry.\n\n");
        out.append("| structure | bytes per entry |\n|---|---:|\n");
        for (JsonNode row : footprint.get("structures")) {
            out.append(Markdown.row(
                    row.get("impl").asText(), fmt(row.get("bytesPerEntry").asDouble(), 1)));
        }
        out.append('\n');
    }

    private static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
