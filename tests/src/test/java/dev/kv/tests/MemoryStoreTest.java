package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.contract.KvStoreContract;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;

/** The contract on the in-memory store with its default options. */
class MemoryStoreTest extends KvStoreContract {

    @Override
    protected KvStore open(KvConfig.Builder settings) {
        return MemoryKvStores.open(settings.build(), MemoryOptions.defaults());
    }

    /** Nothing to delete: every store this class opens starts empty. */
    @Override
    protected void deleteAllEntries() {}
}
