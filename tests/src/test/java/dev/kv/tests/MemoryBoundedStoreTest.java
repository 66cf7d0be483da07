package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.contract.KvStoreContract;
import dev.kv.memory.EvictionPolicy;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;

/**
 * The contract on the in-memory store bounded under its default W-TinyLFU policy, with room for
 * every entry the contract writes: Caffeine holds the entries.
 */
class MemoryBoundedStoreTest extends KvStoreContract {

    @Override
    protected KvStore open(KvConfig.Builder settings) {
        return MemoryKvStores.open(
                settings.build(),
                MemoryOptions.builder()
                        .maxEntries(1_000_000)
                        .evictionPolicy(EvictionPolicy.WINDOW_TINY_LFU)
                        .build());
    }

    /** Nothing to delete: every store this class opens starts empty. */
    @Override
    protected void deleteAllEntries() {}
}
