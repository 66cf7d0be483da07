package dev.kv.tests;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import dev.kv.testing.CountingDataSource;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;

/** A kv table of the test database for one test class: created by the Liquibase changelog, emptied between tests. */
final class PostgresTables implements AutoCloseable {

    final HikariDataSource pool;
    /** The pool as the stores of the contract see it, counting their round trips. */
    final CountingDataSource counted;

    final KvTableDefinition table;

    PostgresTables(String name, KvConfig settings) {
        pool = TestDatabase.get().newPool(name, 24);
        counted = new CountingDataSource(pool);
        table = KvTableDefinition.of(settings.toBuilder().table(name).build());
        dropIfPresent();
        KvMigrations.update(pool, table);
    }

    /** Settings that point a store at this table. */
    KvConfig.Builder apply(KvConfig.Builder settings) {
        return settings.schema(table.schema())
                .table(table.table())
                .format(formatOf(table))
                .unlogged(table.unlogged());
    }

    private static ValueFormat formatOf(KvTableDefinition table) {
        return ValueFormat.valueOf(table.valueType().toUpperCase(Locale.ROOT));
    }

    /** The round trips of the stores opened on {@link #counted} so far. */
    Optional<LongSupplier> roundTrips() {
        return Optional.of(() -> counted.roundTrips().size());
    }

    /** Empties the table, and its change stream and consumers if it has them (the stream's seqs start at 1 again). */
    void deleteAllEntries() {
        String name = "\"" + table.schema() + "\".\"" + table.table();
        TestDatabase.execute(
                pool,
                "TRUNCATE " + name + "\""
                        + (table.changeStream()
                                ? ", " + name + "_stream\", " + name + "_consumer\" RESTART IDENTITY"
                                : ""));
    }

    /** Leaves no table of an earlier run behind, on a test database that outlives test runs. */
    private void dropIfPresent() {
        KvMigrations.rollback(pool, table);
        TestDatabase.execute(pool, "DROP TABLE IF EXISTS \"" + table.schema() + "\".\"" + table.table() + "\"");
    }

    @Override
    public void close() {
        pool.close();
    }
}
