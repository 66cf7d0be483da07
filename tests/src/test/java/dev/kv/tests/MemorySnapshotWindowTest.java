package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.KvConfig;
import dev.kv.ScanOptions;
import dev.kv.ValueFormat;
import dev.kv.memory.MemoryKvStore;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import dev.kv.memory.Persistence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures what a crash loses in SNAPSHOT mode. One writer stores keys {@code 0, 1, 2, …} as fast as
 * it can (for 2 s or a million writes) while the store snapshots every 200 ms; for 2 s (longer, until
 * three snapshots exist, on a slow machine), every 100 ms the test copies the newest snapshot,
 * which is what a crash at that moment would leave (a snapshot is written aside and renamed, so a
 * copy is always a whole one). Afterwards each copy is opened: it must hold no write that had not
 * reached the store when it was copied; the writes acknowledged but missing, and how long before the
 * crash the oldest of them was acknowledged, are the window. A snapshot reads the entries while
 * writes go on, so it is not a prefix: a write made during it may be in it while an earlier one is not.
 * The numbers depend on the machine and are printed, not asserted.
 */
class MemorySnapshotWindowTest {

    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final int MAX_WRITES = 1_000_000;
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** On a loaded machine the first snapshot may take longer than the run: copying goes on until some exist. */
    private static final int MIN_CRASHES = 3;

    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path directory;

    @TempDir
    Path copies;

    /** A crash at {@code atNanos}, when {@code acknowledged} writes had returned: it leaves {@code snapshot}. */
    private record Crash(long atNanos, int acknowledged, int applied, Path snapshot) {}

    private static String key(int i) {
        return "k%09d".formatted(i);
    }

    @Test
    void aCrashLosesAtMostTheWritesMadeSinceTheLastFinishedSnapshotBegan() throws Exception {
        long[] acknowledgedAt = new long[MAX_WRITES];
        int[] acknowledged = new int[1];
        List<Crash> crashes = new ArrayList<>();
        long start;
        try (MemoryKvStore store = MemoryKvStores.open(
                KvConfig.builder().format(ValueFormat.BYTEA).build(),
                MemoryOptions.builder()
                        .cleanupInterval(Duration.ZERO)
                        .persistence(Persistence.SNAPSHOT, directory)
                        .snapshotInterval(INTERVAL)
                        .build())) {
            start = System.nanoTime();
            Thread writer = new Thread(() -> {
                byte[] value = "value".getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < MAX_WRITES && System.nanoTime() - start < RUN_NANOS; i++) {
                    store.set(key(i), value);
                    acknowledgedAt[i] = System.nanoTime();
                    synchronized (acknowledged) {
                        acknowledged[0] = i + 1;
                    }
                }
            });
            writer.start();
            while (System.nanoTime() - start < RUN_NANOS
                    || (crashes.size() < MIN_CRASHES && System.nanoTime() - start < PATIENCE_NANOS)) {
                Thread.sleep(100);
                long at = System.nanoTime();
                int acked;
                synchronized (acknowledged) {
                    acked = acknowledged[0];
                }
                Optional<Path> copy = copyNewestSnapshot(crashes.size());
                int applied;
                synchronized (acknowledged) {
                    applied = acknowledged[0] + 1;
                }
                copy.ifPresent(snapshot -> crashes.add(new Crash(at, acked, applied, snapshot)));
            }
            writer.join();
        }
        assertThat(crashes).as("snapshots copied during the run").isNotEmpty();
        int mostLost = 0;
        long longestWindow = 0;
        for (Crash crash : crashes) {
            List<Integer> recovered = recovered(crash.snapshot());
            assertThat(recovered)
                    .as("a snapshot holds no write that had not reached the store when it was copied")
                    .allSatisfy(i -> assertThat(i).isLessThan(crash.applied()));
            int firstMissing = 0;
            while (firstMissing < recovered.size() && recovered.get(firstMissing) == firstMissing) {
                firstMissing++;
            }
            int lost = crash.acknowledged()
                    - (int) recovered.stream()
                            .filter(i -> i < crash.acknowledged())
                            .count();
            mostLost = Math.max(mostLost, lost);
            if (firstMissing < crash.acknowledged()) {
                longestWindow = Math.max(longestWindow, crash.atNanos() - acknowledgedAt[firstMissing]);
            }
        }
        int total;
        synchronized (acknowledged) {
            total = acknowledged[0];
        }
        System.out.printf(
                "MemorySnapshotWindowTest: %d writes in %d ms, snapshot interval %d ms, %d simulated crashes:"
                        + " at most %d acknowledged writes lost, the oldest acknowledged %d ms before the crash%n",
                total,
                total == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(acknowledgedAt[total - 1] - start),
                INTERVAL.toMillis(),
                crashes.size(),
                mostLost,
                TimeUnit.NANOSECONDS.toMillis(longestWindow));
    }

    /** Copies the newest snapshot, if there is one (an older one may be deleted while we look). */
    private Optional<Path> copyNewestSnapshot(int number) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Path> newest;
            try (Stream<Path> files = Files.list(directory)) {
                newest = files.filter(file -> file.getFileName().toString().matches("snapshot-\\d+\\.kvs\\.gz"))
                        .max(Path::compareTo);
            }
            if (newest.isEmpty()) {
                return Optional.empty();
            }
            Path crashDirectory = Files.createDirectories(copies.resolve("crash-" + number));
            try {
                return Optional.of(Files.copy(
                        newest.get(), crashDirectory.resolve(newest.get().getFileName())));
            } catch (NoSuchFileException replaced) {
                // a newer snapshot replaced it meanwhile: look again
            }
        }
        return Optional.empty();
    }

    /** The numbers of the keys the store a crash left holds, ascending. */
    private static List<Integer> recovered(Path snapshot) {
        try (MemoryKvStore store = MemoryKvStores.open(
                KvConfig.builder().format(ValueFormat.BYTEA).build(),
                MemoryOptions.builder()
                        .cleanupInterval(Duration.ZERO)
                        .persistence(Persistence.WAL, snapshot.getParent())
                        .build())) {
            return store.keys(ScanOptions.all()).stream()
                    .map(key -> Integer.parseInt(key.substring(1)))
                    .toList();
        }
    }
}
