package dev.kv.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Keeps JMH's JSON small enough to commit. In sampled-time mode JMH writes every distinct sample
 * with its count ({@code rawDataHistogram}: megabytes per run); the report needs only how many
 * samples there were, so that histogram is replaced by {@code sampleCount} in place. Everything
 * else JMH wrote, the percentiles included, stays as it was.
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
