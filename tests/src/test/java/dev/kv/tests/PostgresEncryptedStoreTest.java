package dev.kv.tests;

import dev.kv.Encryptor;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Limits;
import dev.kv.ValueFormat;
import dev.kv.contract.KvStoreContract;
import dev.kv.crypto.AesGcmEncryptor;
import dev.kv.jpa.JpaKvStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The contract on an encrypted view of a PostgreSQL BYTEA store: encryption changes no behaviour. */
class PostgresEncryptedStoreTest extends KvStoreContract {

    static final Encryptor ENCRYPTOR =
            AesGcmEncryptor.builder().key("k1", new byte[32]).build();

    private static PostgresTables tables;
    private final List<KvStore> underlying = new ArrayList<>();

    @BeforeAll
    static void createTable() {
        tables = new PostgresTables(
                "contract_encrypted",
                KvConfig.builder().format(ValueFormat.BYTEA).changeStream(true).build());
    }

    @AfterAll
    static void dropPool() {
        tables.close();
    }

    @AfterEach
    void closeUnderlyingStores() {
        underlying.forEach(KvStore::close);
    }

    /** The view's limits are the ones asked for: the table takes the ciphertext overhead on top. */
    @Override
    protected KvStore open(KvConfig.Builder settings) {
        KvConfig asked = tables.apply(settings).build();
        Limits limits = asked.limits();
        KvConfig inner = asked.toBuilder()
                .limits(new Limits(limits.maxKeyBytes(), limits.maxValueBytes() + ENCRYPTOR.overhead()))
                .build();
        KvStore store = JpaKvStores.open(tables.counted, inner);
        underlying.add(store);
        return store.encrypted(ENCRYPTOR);
    }

    @Override
    protected Optional<LongSupplier> roundTrips() {
        return tables.roundTrips();
    }

    @Override
    protected void deleteAllEntries() {
        tables.deleteAllEntries();
    }
}
