package dev.kv.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kv.memory.MemoryKvStore;
import dev.kv.memory.MemoryOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Heap bytes per entry of the memory store and its anchors, measured with JOL in this JVM: the
 * retained graph of a structure holding {@code entries} entries (11-character keys, 16-byte values)
 * minus the graph of the same structure empty, divided by {@code entries}. Keys and values are
 * counted: the memory store copies values, the anchors keep the caller's arrays, and every
 * structure here holds its own key strings.
 */
final class MemoryFootprint {

    static final int KEY_LENGTH = 11;
    static final int VALUE_BYTES = 16;

    private MemoryFootprint() {}

    static {
        // The graphs reach shared JDK objects (executor threads and what they hold), some of them
        // hidden classes, whose field offsets JOL only finds this way; they are the same in the
        // empty and the full graph and cancel out.
        System.setProperty("jol.magicFieldOffset", "true");
    }

    /** Measures every structure and writes the bytes per entry of each, with the JVM's details, as JSON. */
    static void run(int entries, Path result) throws IOException {
        Map<String, Double> perEntry = new LinkedHashMap<>();
        perEntry.put(
                "chm",
                perEntry(
                        new ConcurrentHashMap<String, byte[]>(),
                        new ConcurrentHashMap<String, byte[]>(),
                        entries,
                        Map::put));
        Cache<String, byte[]> emptyCache =
                Caffeine.newBuilder().maximumSize(2L * entries).build();
        Cache<String, byte[]> fullCache =
                Caffeine.newBuilder().maximumSize(2L * entries).build();
        perEntry.put("caffeine", perEntry(emptyCache, fullCache, entries, (cache, key, value) -> {
            cache.put(key, value);
            return null;
        }));
        perEntry.put("memory", perStoreEntry(entries, MemoryOptions.UNBOUNDED, null));
        perEntry.put("memory-bounded", perStoreEntry(entries, 2L * entries, null));
        perEntry.put("memory-ttl", perStoreEntry(entries, MemoryOptions.UNBOUNDED, Duration.ofHours(1)));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("entries", entries);
        root.put("keyLength", KEY_LENGTH);
        root.put("valueBytes", VALUE_BYTES);
        root.put("tool", "JOL GraphLayout");
        root.put(
                "vm",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + ", object alignment "
                        + VM.current().objectAlignment() + " B, compressed references "
                        + java.lang.management.ManagementFactory.getPlatformMXBean(
                                        com.sun.management.HotSpotDiagnosticMXBean.class)
                                .getVMOption("UseCompressedOops")
                                .getValue());
        ArrayNode rows = root.putArray("structures");
        perEntry.forEach((impl, bytes) -> rows.addObject().put("impl", impl).put("bytesPerEntry", bytes));
        json.writerWithDefaultPrettyPrinter().writeValue(result.toFile(), root);
        perEntry.forEach((impl, bytes) -> System.out.printf("%-15s %7.1f B/entry%n", impl, bytes));
    }

    private interface Put<T> {
        Object put(T structure, String key, byte[] value);
    }

    /**
     * Fills {@code full} (a twin of {@code empty}) and divides the growth of its object graph by {@code
     * entries}. The empty twin is measured after the fill: a Caffeine cache reaches the common pool,
     * whose worker threads (and all they reach) the fill may start.
     */
    private static <T> double perEntry(T empty, T full, int entries, Put<T> put) {
        for (int i = 0; i < entries; i++) {
            put.put(full, key(i), value(i));
        }
        if (full instanceof Cache<?, ?> cache) {
            cache.cleanUp();
        }
        long before = GraphLayout.parseInstance(empty).totalSize();
        long after = GraphLayout.parseInstance(full).totalSize();
        return (after - before) / (double) entries;
    }

    private static double perStoreEntry(int entries, long maxEntries, Duration ttl) {
        try (MemoryKvStore empty = MemoryBenchmark.openStore(maxEntries);
                MemoryKvStore full = MemoryBenchmark.openStore(maxEntries)) {
            return perEntry(empty, full, entries, (store, key, value) -> {
                if (ttl == null) {
                    store.set(key, value);
                } else {
                    store.set(key, value, ttl);
                }
                return null;
            });
        }
    }

    /** {@value #KEY_LENGTH} characters: {@code key:} and seven digits. */
    static String key(int i) {
        return BenchKeys.key(i);
    }

    static byte[] value(int i) {
        byte[] value = new byte[VALUE_BYTES];
        value[0] = (byte) i;
        return value;
    }
}
