package dev.kv.tests;

import static dev.kv.tests.KvStoreContract.v;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.Change;
import dev.kv.ChangeStream;
import dev.kv.KvConfig;
import dev.kv.memory.EvictionPolicy;
import dev.kv.memory.MemoryKvStore;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import dev.kv.memory.Persistence;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory change stream beyond the contract: evictions, concurrency, and what a restart keeps. */
class MemoryChangeStreamTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<MemoryKvStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(MemoryKvStore::close);
    }

    private MemoryKvStore open(MemoryOptions.Builder options) {
        MemoryKvStore store = MemoryKvStores.open(
                KvConfig.builder().clock(clock).changeStream(true).build(),
                options.cleanupInterval(Duration.ZERO).build());
        opened.add(store);
        return store;
    }

    @Test
    void anEntryEvictedToMakeRoomIsRecordedAsADelete() {
        MemoryKvStore store = open(MemoryOptions.builder().maxEntries(1).evictionPolicy(EvictionPolicy.LRU));
        store.set("first", v("a"));
        store.set("second", v("b"));
        assertThat(store.changes().read(0, 10))
                .extracting(change -> change.type() + " " + change.key())
                .containsExactly("SET first", "SET second", "DELETE first");
    }

    @Test
    void aReaderPollingDuringConcurrentWritesNeverSkipsAChange() throws Exception {
        MemoryKvStore store = open(MemoryOptions.builder());
        ChangeStream changes = store.changes();
        int writers = 4;
        int writesEach = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < writesEach; i++) {
                        store.set("w" + writer + ":" + (i % 50), v("x"));
                    }
                    return null;
                }));
            }
            Future<Long> reader = pool.submit(() -> {
                start.await();
                long position = 0;
                while (writing.get() || !changes.read(position, 1).isEmpty()) {
                    for (Change change : changes.read(position, 100)) {
                        assertThat(change.seq())
                                .as("the change after " + position)
                                .isEqualTo(position + 1);
                        position = change.seq();
                    }
                }
                return position;
            });
            start.countDown();
            for (Future<?> writer : done) {
                writer.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo(writers * writesEach);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReopenedStoreKeepsItsEntriesButStartsItsStreamAndConsumersAfresh(@TempDir Path directory) {
        MemoryOptions.Builder options = MemoryOptions.builder().persistence(Persistence.WAL, directory);
        MemoryKvStore store = open(options);
        store.set("k", v("a"));
        store.changes().consumer("indexer").commit(1);
        store.close();

        MemoryKvStore reopened = open(options);
        assertThat(reopened.exists("k")).isTrue();
        assertThat(reopened.changes().lastSeq()).isZero();
        assertThat(reopened.changes().consumer("indexer").position()).isZero();
    }
}
