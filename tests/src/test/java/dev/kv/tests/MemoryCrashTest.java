package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.memory.MemoryKvStore;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import dev.kv.memory.Persistence;
import dev.kv.memory.SyncPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process writing to a persistent store with SIGKILL and checks what a store opened on its
 * directory afterwards holds. A SIGKILL loses what the process had not handed to the kernel; the
 * sync policy matters only when the machine itself goes down, which a test cannot do.
 */
class MemoryCrashTest {

    private static final int WRITERS = 2;
    private static final int ACKS_BEFORE_KILL = 3_000;

    @TempDir
    Path directory;

    /** An acknowledgement as the parent read it, and when. */
    private record Ack(int writer, long index, long readAtNanos) {}

    @Test
    void everyWriteAcknowledgedUnderSyncEveryWriteSurvivesAKill() throws Exception {
        List<Ack> acks = runAndKill(Persistence.WAL, SyncPolicy.EVERY_WRITE, 1_000);
        long[] last = lastAcked(acks, Long.MAX_VALUE);
        try (MemoryKvStore store = reopen(Persistence.WAL)) {
            for (int w = 0; w < WRITERS; w++) {
                assertThat(last[w]).as("writer %d wrote", w).isGreaterThanOrEqualTo(0);
                assertWritesFormAPrefixCovering(store, w, last[w]);
            }
        }
    }

    @Test
    void underSyncEveryIntervalAtMostTheIntervalIsLost() throws Exception {
        long intervalMillis = 100;
        List<Ack> acks = runAndKill(Persistence.HYBRID, SyncPolicy.INTERVAL, intervalMillis);
        long killedAt = acks.get(acks.size() - 1).readAtNanos();
        long[] safe = lastAcked(acks, killedAt - TimeUnit.MILLISECONDS.toNanos(intervalMillis));
        try (MemoryKvStore store = reopen(Persistence.HYBRID)) {
            for (int w = 0; w < WRITERS; w++) {
                assertWritesFormAPrefixCovering(store, w, safe[w]);
            }
        }
    }

    /** Keys {@code w<writer>:0..n} are present with their values for some n ≥ {@code acknowledged}, and no others. */
    private static void assertWritesFormAPrefixCovering(MemoryKvStore store, int writer, long acknowledged) {
        List<String> keys = store.keys("w" + writer + ":");
        assertThat((long) keys.size())
                .as("writes of writer %d after the restart", writer)
                .isGreaterThan(acknowledged);
        for (long i = 0; i < keys.size(); i++) {
            String key = "w" + writer + ":" + i;
            String expected = Long.toString(i);
            assertThat(store.get(key)).as(key).hasValueSatisfying(value -> assertThat(
                            new String(value, StandardCharsets.UTF_8))
                    .isEqualTo(expected));
        }
    }

    private static long[] lastAcked(List<Ack> acks, long readBeforeNanos) {
        long[] last = new long[WRITERS];
        java.util.Arrays.fill(last, -1);
        for (Ack ack : acks) {
            if (ack.readAtNanos() <= readBeforeNanos) {
                last[ack.writer()] = Math.max(last[ack.writer()], ack.index());
            }
        }
        return last;
    }

    private MemoryKvStore reopen(Persistence persistence) {
        return MemoryKvStores.open(
                KvConfig.builder().format(ValueFormat.BYTEA).build(),
                MemoryOptions.builder().persistence(persistence, directory).build());
    }

    /** Starts the writer process, kills it with SIGKILL once enough writes were acknowledged, and returns the acknowledgements read. */
    private List<Ack> runAndKill(Persistence persistence, SyncPolicy sync, long syncIntervalMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-XX:TieredStopAtLevel=1",
                        MemoryCrashWriter.class.getName(),
                        directory.toString(),
                        persistence.name(),
                        sync.name(),
                        Long.toString(syncIntervalMillis),
                        Integer.toString(WRITERS))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<Ack> acks = new ArrayList<>();
        CountDownLatch enough = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    int space = line.indexOf(' ');
                    Ack ack = new Ack(
                            Integer.parseInt(line.substring(0, space)),
                            Long.parseLong(line.substring(space + 1)),
                            System.nanoTime());
                    synchronized (acks) {
                        acks.add(ack);
                        if (acks.size() >= ACKS_BEFORE_KILL) {
                            enough.countDown();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the pipe closes when the child dies; a line cut in half by the kill is no acknowledgement
            }
        });
        reader.start();
        try {
            assertThat(enough.await(60, TimeUnit.SECONDS))
                    .as("the child acknowledged " + ACKS_BEFORE_KILL + " writes")
                    .isTrue();
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        synchronized (acks) {
            return List.copyOf(acks);
        }
    }
}
