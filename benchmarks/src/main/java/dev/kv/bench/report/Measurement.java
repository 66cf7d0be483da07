package dev.kv.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One JMH result in sampled-time mode: the mean and percentiles of one benchmark with one parameter
 * value at one thread count.
 *
 * @param benchmark the method name, e.g. {@code getHit}
 * @param parameter the value of its one parameter ({@code impl} or {@code rows})
 * @param threads JMH threads
 * @param meanMicros mean time per operation
 * @param p50Micros median
 * @param p99Micros 99th percentile
 * @param samples timed operations the percentiles come from
 * @param round the round of the run it comes from, 1 upwards
 */
record Measurement(
        String benchmark,
        String parameter,
        int threads,
        double meanMicros,
        double p50Micros,
        double p99Micros,
        long samples,
        int round) {

    /**
     * The median of each figure over the rounds of one benchmark, parameter and thread count, with
     * the samples of all rounds; round 0.
     */
    static Measurement median(List<Measurement> rounds) {
        Measurement first = rounds.get(0);
        return new Measurement(
                first.benchmark,
                first.parameter,
                first.threads,
                median(rounds.stream().mapToDouble(Measurement::meanMicros).toArray()),
                median(rounds.stream().mapToDouble(Measurement::p50Micros).toArray()),
                median(rounds.stream().mapToDouble(Measurement::p99Micros).toArray()),
                rounds.stream().mapToLong(Measurement::samples).sum(),
                0);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * Operations per second of all threads together. Each thread runs back to back, so it completes
     * 1 / mean operations per unit of time.
     */
    double throughput() {
        return threads * 1_000_000.0 / meanMicros;
    }

    static List<Measurement> read(Path jmhJson, int round) throws IOException {
        List<Measurement> measurements = new ArrayList<>();
        for (JsonNode result : new ObjectMapper().readTree(jmhJson.toFile())) {
            String benchmark = result.get("benchmark").asText();
            JsonNode params = result.path("params");
            String parameter = params.isObject() && params.size() > 0
                    ? params.elements().next().asText()
                    : "";
            JsonNode metric = result.get("primaryMetric");
            if (!metric.get("scoreUnit").asText().equals("us/op")) {
                throw new IllegalArgumentException(jmhJson + ": expected us/op, got " + metric.get("scoreUnit"));
            }
            JsonNode percentiles = metric.get("scorePercentiles");
            long samples = metric.has(JmhJson.SAMPLE_COUNT)
                    ? metric.get(JmhJson.SAMPLE_COUNT).asLong()
                    : JmhJson.count(metric.path("rawDataHistogram"));
            measurements.add(new Measurement(
                    benchmark.substring(benchmark.lastIndexOf('.') + 1),
                    parameter,
                    result.get("threads").asInt(),
                    metric.get("score").asDouble(),
                    percentiles.get("50.0").asDouble(),
                    percentiles.get("99.0").asDouble(),
                    samples,
                    round));
        }
        return measurements;
    }
}
