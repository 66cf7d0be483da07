package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.memory.MemoryKvStores;
import org.junit.jupiter.api.AfterEach;

/** The glob cases on an in-memory store. */
class MemoryGlobSelectionTest extends GlobSelectionCases {

    private final KvStore store = MemoryKvStores.open(KvConfig.defaults());

    @Override
    protected KvStore store() {
        return store;
    }

    @AfterEach
    void close() {
        store.close();
    }
}
