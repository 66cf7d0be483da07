package dev.kv.contract.cdi;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.cdi.KvStores;
import dev.kv.contract.KvStoreContract;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import javax.sql.DataSource;

/**
 * The contract on the store a CDI container injects: every store the cases open comes from {@link
 * KvStores#open}, so it is joined to the container's JTA transactions over the application's
 * EntityManager, fires change events and reports metrics, exactly as an injected one; only its
 * settings (the contract's clock, limits, cleanup strategy) are given in code. Its table, {@value
 * #TABLE} (JSONB, with a change stream), is created by kv's Liquibase changelog on the application's
 * DataSource the first time a case runs in this JVM.
 *
 * <p>A runner supplies the container's {@link KvStores} bean and DataSource.
 */
public abstract class InjectedStoreContract extends KvStoreContract {

    /** The table every case runs on. */
    public static final String TABLE = "kv_contract";

    /** The name the stores are opened under, and report their metrics by. */
    public static final String STORE_NAME = "contract";

    private static final KvTableDefinition DEFINITION = KvTableDefinition.of(KvConfig.builder()
            .table(TABLE)
            .format(ValueFormat.JSONB)
            .unlogged(false)
            .changeStream(true)
            .build());

    private static volatile boolean created;

    /** The container's stores. */
    protected abstract KvStores stores();

    /** The application's DataSource, that the stores' EntityManager runs on. */
    protected abstract DataSource dataSource();

    @Override
    protected KvStore open(KvConfig.Builder settings) {
        return stores().open(
                        STORE_NAME,
                        settings.schema(DEFINITION.schema())
                                .table(TABLE)
                                .format(ValueFormat.JSONB)
                                .unlogged(false)
                                .build());
    }

    /** Empties the table, its change stream and consumers (the stream's seqs start at 1 again). */
    @Override
    protected void deleteAllEntries() {
        DatabaseProbe database = new DatabaseProbe(dataSource());
        createTableOnce(database);
        String name = "\"" + DEFINITION.schema() + "\".\"" + TABLE;
        database.execute("TRUNCATE " + name + "\", " + name + "_stream\", " + name + "_consumer\" RESTART IDENTITY");
    }

    /** Leaves no table of an earlier run behind, on a test database that outlives test runs. */
    private static synchronized void createTableOnce(DatabaseProbe database) {
        if (created) {
            return;
        }
        KvMigrations.rollback(database.dataSource(), DEFINITION);
        database.execute("DROP TABLE IF EXISTS \"" + DEFINITION.schema() + "\".\"" + TABLE + "\"");
        KvMigrations.update(database.dataSource(), DEFINITION);
        created = true;
    }
}
