package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.contract.KvStoreContract;
import dev.kv.memory.MemoryKvStores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The contract on a namespaced view of an in-memory store. The view is alone in its store: the
 * contract's stats tests count the whole store, which namespaces share.
 */
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
        return store.namespace("tenant", "a");
    }

    /** Nothing to delete: every store this class opens starts empty. */
    @Override
    protected void deleteAllEntries() {}
}
