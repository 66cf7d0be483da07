package dev.kv.cdi.tests;

import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import dev.kv.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A kv table of the test database, JSONB with a change stream, created by the Liquibase changelog as
 * an application's deployment would (kv-cdi stores never migrate), and emptied between cases, both
 * through a connection of the test's own outside the container.
 */
final class InjectedTable {

    private final DataSource admin;
    private final KvTableDefinition table;

    InjectedTable(String name) {
        TestPostgres postgres = TestPostgres.get();
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(postgres.jdbcUrl());
        admin.setUser(postgres.user());
        admin.setPassword(postgres.password());
        this.admin = admin;
        this.table = KvTableDefinition.of(KvConfig.builder()
                .table(name)
                .format(ValueFormat.JSONB)
                .changeStream(true)
                .build());
        KvMigrations.rollback(admin, table);
        execute("DROP TABLE IF EXISTS " + quoted(""));
        KvMigrations.update(admin, table);
    }

    /**
     * The settings of a store on this table, as kv-cdi's MicroProfile settings build them: the
     * container owns the schema, so the store neither migrates nor validates it.
     */
    KvConfig apply(KvConfig.Builder settings) {
        return settings.schema(table.schema())
                .table(table.table())
                .format(ValueFormat.JSONB)
                .runMigrations(false)
                .validateSchema(false)
                .build();
    }

    /** Empties the table, its change stream and its consumers (the stream's seqs start at 1 again). */
    void deleteAllEntries() {
        execute("TRUNCATE " + quoted("") + ", " + quoted("_stream") + ", " + quoted("_consumer") + " RESTART IDENTITY");
    }

    private String quoted(String suffix) {
        return "\"" + table.schema() + "\".\"" + table.table() + suffix + "\"";
    }

    private void execute(String sql) {
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
