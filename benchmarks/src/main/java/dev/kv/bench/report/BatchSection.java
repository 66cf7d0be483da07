package dev.kv.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The report's comparison of batches with single calls: keys per second of getMany and setMany
 * divided by keys per second of get (hit) and set 64 B, for the same implementation, thread count
 * and round. The target is for kv at 100 keys.
 */
final class BatchSection {

    static final double TARGET = 20.0;
    static final int TARGET_BATCH = 100;

    private final List<Measurement> operations;

    BatchSection(List<Measurement> operations) {
        this.operations = operations;
    }

    /** The factor of one batch operation: the median of the rounds' factors, and their range. */
    Optional<BenchReport.Ratio> factor(Operation batch, String impl, int threads) {
        List<Double> factors = new ArrayList<>();
        for (Measurement many : rounds(batch, impl, threads)) {
            rounds(batch.single(), impl, threads).stream()
                    .filter(single -> single.round() == many.round())
                    .findFirst()
                    .ifPresent(single -> factors.add(many.throughput() * batch.keys / single.throughput()));
        }
        return BenchReport.Ratio.of(factors);
    }

    private List<Measurement> rounds(Operation operation, String impl, int threads) {
        return operations.stream()
                .filter(m ->
                        m.benchmark().equals(operation.method) && m.parameter().equals(impl) && m.threads() == threads)
                .toList();
    }

    boolean measured() {
        return operations.stream().anyMatch(m -> batches().stream().anyMatch(b -> b.method.equals(m.benchmark())));
    }

    private static List<Operation> batches() {
        return java.util.Arrays.stream(Operation.values())
                .filter(Operation::isBatch)
                .toList();
    }

    /** The section's markdown; adds the target's verdict to {@code verdicts}. */
    String render(List<String> implementations, TreeSet<Integer> threadCounts, List<String> verdicts) {
        if (!measured()) {
            verdicts.add("- getMany / setMany of " + TARGET_BATCH + " keys ≥ " + fmt(TARGET, 0)
                    + " × the keys per second of single calls: **not measured** in this run.");
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("## Batches against single calls\n\n");
        out.append("Keys per second of one batch call divided by keys per second of single calls (get (hit) for ")
                .append("getMany, set 64 B for setMany), same implementation, threads and round; the median of the ")
                .append("rounds, their range in brackets. The target is ≥ ")
                .append(fmt(TARGET, 0))
                .append(" × for kv at ")
                .append(TARGET_BATCH)
                .append(" keys.\n\n");
        out.append("| operation | threads |");
        implementations.forEach(impl -> out.append(' ').append(impl).append(" |"));
        out.append("\n|---|---:|");
        implementations.forEach(impl -> out.append("---:|"));
        out.append('\n');
        List<String> results = new ArrayList<>();
        boolean met = true;
        for (Operation batch : batches()) {
            for (int threads : threadCounts) {
                if (implementations.stream()
                        .allMatch(impl -> factor(batch, impl, threads).isEmpty())) {
                    continue;
                }
                out.append("| ")
                        .append(batch.label)
                        .append(" | ")
                        .append(threads)
                        .append(" |");
                for (String impl : implementations) {
                    Optional<BenchReport.Ratio> factor = factor(batch, impl, threads);
                    String cell = factor.map(BatchSection::cell).orElse("–");
                    if (factor.isPresent() && batch.keys == TARGET_BATCH && impl.startsWith("kv")) {
                        double median = factor.get().median();
                        boolean hit = median >= TARGET;
                        met &= hit;
                        results.add(batch.label.substring(0, batch.label.indexOf(',')) + " ×" + threads + " " + impl
                                + " " + fmt(median, 1) + " ×");
                        if (!hit) {
                            cell = "**" + cell + "** ✗";
                        }
                    }
                    out.append(' ').append(cell).append(" |");
                }
                out.append('\n');
            }
        }
        out.append("\n✗: below the ").append(fmt(TARGET, 0)).append(" × target.\n\n");
        verdicts.add("- getMany / setMany of " + TARGET_BATCH + " keys ≥ " + fmt(TARGET, 0)
                + " × the keys per second of single calls: **"
                + (results.isEmpty() ? "not measured" : met ? "met" : "missed")
                + "**: " + String.join("; ", results) + ".");
        return out.toString();
    }

    private static String cell(BenchReport.Ratio r) {
        return r.rounds() > 1
                ? fmt(r.median(), 1) + " (" + fmt(r.min(), 1) + "–" + fmt(r.max(), 1) + ")"
                : fmt(r.median(), 1);
    }

    private static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
