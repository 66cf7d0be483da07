package dev.kv.contract.cdi;

import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A kv table of the test database for stores a container injects, JSONB with a change stream,
 * created by kv's Liquibase changelog on the application's DataSource as a deployment would (kv-cdi
 * stores never migrate) the first time it is emptied in this JVM, replacing any table of an earlier
 * run.
 */
public final class InjectedTable {

    private static final Set<String> CREATED = new HashSet<>();

    private final DatabaseProbe database;
    private final KvTableDefinition table;

    public InjectedTable(DataSource dataSource, String name) {
        this.database = new DatabaseProbe(dataSource);
        this.table = KvTableDefinition.of(KvConfig.builder()
                .table(name)
                .format(ValueFormat.JSONB)
                .unlogged(false)
                .changeStream(true)
                .build());
    }

    /**
     * The settings of a store on this table, as kv-cdi's MicroProfile settings build them: the
     * container owns the schema, so the store neither migrates nor validates it.
     */
    public KvConfig apply(KvConfig.Builder settings) {
        return settings.schema(table.schema())
                .table(table.table())
                .format(ValueFormat.JSONB)
                .unlogged(false)
                .runMigrations(false)
                .validateSchema(false)
                .build();
    }

    /** Empties the table, its change stream and consumers (the stream's seqs start at 1 again). */
    public void deleteAllEntries() {
        createOnce();
        database.execute(
                "TRUNCATE " + quoted("") + ", " + quoted("_stream") + ", " + quoted("_consumer") + " RESTART IDENTITY");
    }

    private void createOnce() {
        synchronized (CREATED) {
            if (CREATED.add(quoted(""))) {
                KvMigrations.rollback(database.dataSource(), table);
                database.execute("DROP TABLE IF EXISTS " + quoted(""));
                KvMigrations.update(database.dataSource(), table);
            }
        }
    }

    private String quoted(String suffix) {
        return "\"" + table.schema() + "\".\"" + table.table() + suffix + "\"";
    }
}
