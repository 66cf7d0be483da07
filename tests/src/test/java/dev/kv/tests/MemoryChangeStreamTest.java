package dev.kv.tests;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.Change;
import dev.kv.KvConfig;
import dev.kv.contract.MutableClock;
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
        List<Change> seen = StreamPolling.readWhileWriting(
                store.changes(), 4, 5_000, (writer, i) -> store.set("w" + writer + ":" + (i % 50), v("x")));
        assertThat(seen).hasSize(4 * 5_000);
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
