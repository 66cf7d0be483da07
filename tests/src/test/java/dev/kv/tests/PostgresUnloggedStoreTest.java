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

/** The contract on PostgreSQL, UNLOGGED JSONB table. */
class PostgresUnloggedStoreTest extends KvStoreContract {

    private static PostgresTables tables;

    @BeforeAll
    static void createTable() {
        tables = new PostgresTables(
                "contract_unlogged",
                KvConfig.builder()
                        .format(ValueFormat.JSONB)
                        .unlogged(true)
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
