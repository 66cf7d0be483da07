package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.contract.MutableClock;
import dev.kv.memory.EvictionPolicy;
import dev.kv.memory.MemoryKvStore;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Replays skewed (Zipf) access traces through a bounded store used as a cache (a miss loads the
 * value and sets it) and prints each eviction policy's hit rate.
 */
class MemoryHitRateTest {

    private static final int KEYS = 50_000;
    private static final int CAPACITY = 500;
    private static final int REQUESTS = 200_000;
    private static final double SKEW = 0.9;
    private static final byte[] VALUE = new byte[16];

    @Test
    void theDefaultPolicyHasTheBestHitRateOnAZipfTrace() {
        int[] trace = zipfTrace(new SplittableRandom(42), REQUESTS, 0);
        Map<EvictionPolicy, Double> rates = hitRates(trace);
        print("Zipf s=" + SKEW + ", " + KEYS + " keys, " + CAPACITY + " entries, " + REQUESTS + " requests", rates);
        double best = rates.get(EvictionPolicy.WINDOW_TINY_LFU);
        rates.forEach((policy, rate) -> assertThat(best).as("vs " + policy).isGreaterThanOrEqualTo(rate));
    }

    @Test
    void theDefaultPolicyFollowsAShiftingHotSet() {
        SplittableRandom random = new SplittableRandom(7);
        int phase = REQUESTS / 4;
        int[] trace = new int[REQUESTS];
        for (int p = 0; p < 4; p++) {
            System.arraycopy(zipfTrace(random, phase, p * 7_919), 0, trace, p * phase, phase);
        }
        Map<EvictionPolicy, Double> rates = hitRates(trace);
        print("Zipf s=" + SKEW + ", hot set moves every " + phase + " requests", rates);
        double best = rates.get(EvictionPolicy.WINDOW_TINY_LFU);
        rates.forEach((policy, rate) -> assertThat(best).as("vs " + policy).isGreaterThanOrEqualTo(rate));
    }

    private static Map<EvictionPolicy, Double> hitRates(int[] trace) {
        Map<EvictionPolicy, Double> rates = new EnumMap<>(EvictionPolicy.class);
        for (EvictionPolicy policy : EvictionPolicy.values()) {
            if (policy != EvictionPolicy.NONE) {
                rates.put(policy, hitRate(policy, trace));
            }
        }
        return rates;
    }

    private static double hitRate(EvictionPolicy policy, int[] trace) {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        MemoryOptions options = MemoryOptions.builder()
                .maxEntries(CAPACITY)
                .evictionPolicy(policy)
                .cleanupInterval(Duration.ZERO)
                .build();
        try (MemoryKvStore store = MemoryKvStores.open(
                KvConfig.builder().clock(clock).format(ValueFormat.BYTEA).build(), options)) {
            for (int key : trace) {
                clock.advance(Duration.ofMillis(1));
                String name = "key:" + key;
                if (store.get(name).isEmpty()) {
                    store.set(name, VALUE, Duration.ofDays(1));
                }
            }
            assertThat(store.stats().gets()).isEqualTo(trace.length);
            assertThat(store.stats().entryCount()).isLessThanOrEqualTo(CAPACITY);
            return store.stats().hitRate();
        }
    }

    /** Key numbers drawn from a Zipf distribution over {@link #KEYS} keys, rank r at key (r + shift) mod KEYS. */
    private static int[] zipfTrace(SplittableRandom random, int length, int shift) {
        double[] cumulative = new double[KEYS];
        double sum = 0;
        for (int rank = 0; rank < KEYS; rank++) {
            sum += 1 / Math.pow(rank + 1, SKEW);
            cumulative[rank] = sum;
        }
        int[] trace = new int[length];
        for (int i = 0; i < length; i++) {
            int rank = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
            rank = rank >= 0 ? rank : -rank - 1;
            trace[i] = (Math.min(rank, KEYS - 1) + shift) % KEYS;
        }
        return trace;
    }

    private static void print(String trace, Map<EvictionPolicy, Double> rates) {
        StringBuilder table = new StringBuilder("\nHit rates — " + trace + "\n| policy | hit rate |\n|---|---|\n");
        rates.forEach((policy, rate) -> table.append("| ")
                .append(policy)
                .append(" | ")
                .append(String.format("%.2f %%", rate * 100))
                .append(" |\n"));
        System.out.println(table);
    }
}
