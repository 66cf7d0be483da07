package dev.kv.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps JMH's JSON small enough to commit. In sampled-time mode JMH writes every distinct sample
 * with its count ({@code rawDataHistogram}: megabytes per run); the report needs only how many
 * samples there were, so that histogram is replaced by {@code sampleCount} in place, and the
 * secondary metrics that repeat the percentiles ({@code p0.50} …, each with its raw data) go.
 * Everything else JMH wrote, the percentiles in {@code scorePercentiles} included, stays as it was.
 */
public final class JmhJson {

    static final String SAMPLE_COUNT = "sampleCount";

    private JmhJson() {}

    /** Replaces the raw histograms of {@code file} with their sample counts; a no-op on a condensed file. */
    public static void condense(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(file.toFile());
        boolean changed = false;
        for (JsonNode result : root) {
            ObjectNode metric = (ObjectNode) result.get("primaryMetric");
            JsonNode histogram = metric.get("rawDataHistogram");
            if (histogram != null) {
                metric.put(SAMPLE_COUNT, count(histogram));
                metric.remove("rawDataHistogram");
                changed = true;
            }
            // Sampled time repeats its percentiles as secondary metrics, each with its raw data.
            JsonNode secondary = result.get("secondaryMetrics");
            if (secondary instanceof ObjectNode metrics && metrics.size() > 0 && metric.has("scorePercentiles")) {
                List<String> percentiles = new ArrayList<>();
                metrics.fieldNames().forEachRemaining(name -> {
                    if (name.matches("p\\d.*")) {
                        percentiles.add(name);
                    }
                });
                if (!percentiles.isEmpty()) {
                    metrics.remove(percentiles);
                    changed = true;
                }
            }
        }
        if (changed) {
            json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        }
    }

    /** The samples of a raw histogram: forks, of iterations, of [value, count] pairs. */
    static long count(JsonNode histogram) {
        long samples = 0;
        for (JsonNode fork : histogram) {
            for (JsonNode iteration : fork) {
                for (JsonNode bucket : iteration) {
                    samples += bucket.get(1).asLong();
                }
            }
        }
        return samples;
    }
}
