package dev.kv.jcache;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import dev.kv.testing.TestPostgres;
import java.net.URI;
import java.util.Properties;

/**
 * The store of every cache manager in this module's tests, the TCK's included: one PostgreSQL store (one pool,
 * one table) for the whole test JVM, emptied when first opened; each manager gets a view that owns nothing.
 */
public final class TestStores implements KvStoreFactory {

    static final String TABLE = "kv_jcache_test";

    private static KvStore shared;

    static synchronized KvStore shared() {
        if (shared == null) {
            TestPostgres postgres = TestPostgres.get();
            KvConfig config = KvConfig.builder()
                    .table(TABLE)
                    .format(ValueFormat.BYTEA)
                    .runMigrations(true)
                    .poolSize(4)
                    .build();
            KvStore store = JpaKvStores.open(postgres.jdbcUrl(), postgres.user(), postgres.password(), config);
            store.clear();
            Runtime.getRuntime().addShutdownHook(new Thread(store::close));
            shared = store;
        }
        return shared;
    }

    @Override
    public KvStore open(URI uri, Properties properties) {
        return shared().namespace("managers");
    }
}
