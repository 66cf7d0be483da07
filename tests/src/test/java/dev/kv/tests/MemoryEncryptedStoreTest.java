package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Limits;
import dev.kv.ValueFormat;
import dev.kv.memory.MemoryKvStores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The contract on an encrypted view of an in-memory BYTEA store: encryption changes no behaviour. */
class MemoryEncryptedStoreTest extends KvStoreContract {

    private final List<KvStore> underlying = new ArrayList<>();

    @AfterEach
    void closeUnderlyingStores() {
        underlying.forEach(KvStore::close);
    }

    /** The view's limits are the ones asked for: the store takes the ciphertext overhead on top. */
    @Override
    protected KvStore open(KvConfig.Builder settings) {
        KvConfig asked = settings.format(ValueFormat.BYTEA).build();
        Limits limits = asked.limits();
        KvConfig inner = asked.toBuilder()
                .limits(new Limits(
                        limits.maxKeyBytes(), limits.maxValueBytes() + PostgresEncryptedStoreTest.ENCRYPTOR.overhead()))
                .build();
        KvStore store = MemoryKvStores.open(inner);
        underlying.add(store);
        return store.encrypted(PostgresEncryptedStoreTest.ENCRYPTOR);
    }

    /** Nothing to delete: every store this class opens starts empty. */
    @Override
    protected void deleteAllEntries() {}
}
