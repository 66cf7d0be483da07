package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.contract.KvStoreContract;
import dev.kv.jpa.JpaKvStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The contract on a namespaced view of a PostgreSQL store: the view must behave as a store of its own. */
class PostgresNamespacedStoreTest extends KvStoreContract {

    private static PostgresTables tables;
    private final List<KvStore> underlying = new ArrayList<>();

    @BeforeAll
    static void createTable() {
        tables = new PostgresTables(
                "contract_namespaced",
                KvConfig.builder().format(ValueFormat.JSONB).changeStream(true).build());
    }

    @AfterAll
    static void dropPool() {
        tables.close();
    }

    @AfterEach
    void closeUnderlyingStores() {
        underlying.forEach(KvStore::close);
    }

    @Override
    protected KvStore open(KvConfig.Builder settings) {
        KvStore store = JpaKvStores.open(tables.counted, tables.apply(settings).build());
        underlying.add(store);
        return store.namespace("tenant", "a");
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
