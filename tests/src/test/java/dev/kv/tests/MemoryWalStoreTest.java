package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.contract.KvStoreContract;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import dev.kv.memory.Persistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** The contract on the in-memory store with a write-ahead log synced on every write. */
class MemoryWalStoreTest extends KvStoreContract {

    private static final Path ROOT =
            Path.of(System.getenv().getOrDefault("KV_TEST_WORK_DIR", "target"), "memory-wal-contract");
    private final AtomicInteger stores = new AtomicInteger();

    @Override
    protected KvStore open(KvConfig.Builder settings) {
        MemoryOptions options = MemoryOptions.builder()
                .persistence(Persistence.WAL, ROOT.resolve("store-" + stores.incrementAndGet()))
                .build();
        return MemoryKvStores.open(settings.build(), options);
    }

    @Override
    protected void deleteAllEntries() {
        if (!Files.exists(ROOT)) {
            return;
        }
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
