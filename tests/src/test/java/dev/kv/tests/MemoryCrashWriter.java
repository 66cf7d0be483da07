package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.memory.MemoryKvStore;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import dev.kv.memory.Persistence;
import dev.kv.memory.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child process of {@link MemoryCrashTest}: writers set {@code w<n>:<i>} for i = 0, 1, ... and
 * print {@code <n> <i>} once each write has returned, until the process is killed.
 *
 * <p>Arguments: directory, persistence, sync policy, sync interval in ms, writer threads.
 */
final class MemoryCrashWriter {

    private MemoryCrashWriter() {}

    public static void main(String[] args) {
        MemoryOptions options = MemoryOptions.builder()
                .persistence(Persistence.valueOf(args[1]), Path.of(args[0]))
                .syncPolicy(SyncPolicy.valueOf(args[2]))
                .syncInterval(Duration.ofMillis(Long.parseLong(args[3])))
                .snapshotInterval(Duration.ofMillis(200))
                .build();
        MemoryKvStore store =
                MemoryKvStores.open(KvConfig.builder().format(ValueFormat.BYTEA).build(), options);
        int writers = Integer.parseInt(args[4]);
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                for (long i = 0; ; i++) {
                    store.set("w" + writer + ":" + i, Long.toString(i).getBytes(StandardCharsets.UTF_8));
                    synchronized (System.out) {
                        System.out.println(writer + " " + i);
                        System.out.flush();
                    }
                }
            });
            thread.start();
        }
    }
}
