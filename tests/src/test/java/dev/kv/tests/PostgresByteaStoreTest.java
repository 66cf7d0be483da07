package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.contract.KvStoreContract;
import dev.kv.jpa.JpaKvStores;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on PostgreSQL, logged BYTEA table. */
class PostgresByteaStoreTest extends KvStoreContract {

    private static PostgresTables tables;

    @BeforeAll
    static void createTable() {
        tables = new PostgresTables(
                "contract_bytea",
                KvConfig.builder()
                        .format(ValueFormat.BYTEA)
                        .unlogged(false)
                        .changeStream(true)
                        .build());
    }

    @AfterAll
    static void dropPool() {
        tables.close();
    }

    @Override
    protected KvStore open(KvConfig.Builder settings) {
        return JpaKvStores.open(tables.counted, tables.apply(settings).build());
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
