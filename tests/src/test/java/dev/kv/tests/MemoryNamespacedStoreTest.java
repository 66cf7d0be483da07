package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.memory.MemoryKvStores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The contract on a namespaced view of an in-memory store, beside another namespace's entries. */
class MemoryNamespacedStoreTest extends KvStoreContract {

    private final List<KvStore> underlying = new ArrayList<>();

    @AfterEach
    void closeUnderlyingStores() {
        underlying.forEach(KvStore::close);
    }

    @Override
    protected KvStore open(KvConfig.Builder settings) {
        KvStore store = MemoryKvStores.open(settings.build());
        underlying.add(store);
        store.set("tenant:b:user:1", "\"b\"".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return store.namespace("tenant", "a");
    }

    /** Nothing to delete: every store this class opens starts with only the other namespace's entry. */
    @Override
    protected void deleteAllEntries() {}
}
