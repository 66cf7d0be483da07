package dev.kv.tests;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.jpa.SqliteKvStores;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A SQLite database in a temporary file for one test class: its kv table made by the changelog, emptied between tests. */
final class SqliteFiles implements AutoCloseable {

    private final Path directory;
    final HikariDataSource pool;
    private final KvConfig table;

    SqliteFiles(String name, ValueFormat format) {
        try {
            directory = Files.createTempDirectory("kv-sqlite-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pool = SqliteKvStores.newPool("file:" + directory.resolve(name + ".db"), name);
        table = KvConfig.builder().table(name).format(format).changeStream(true).build();
        KvMigrations.update(pool, KvTableDefinition.of(table));
    }

    /** Settings that point a store at this table. */
    KvConfig.Builder apply(KvConfig.Builder settings) {
        return settings.table(table.table()).format(table.format());
    }

    /** Empties the table, its change stream (whose seqs start at 1 again) and its consumers. */
    void deleteAllEntries() {
        String name = table.table();
        TestDatabase.execute(pool, "DELETE FROM \"" + name + "\"");
        TestDatabase.execute(pool, "DELETE FROM \"" + name + "_stream\"");
        TestDatabase.execute(pool, "DELETE FROM \"" + name + "_consumer\"");
        TestDatabase.execute(pool, "DELETE FROM sqlite_sequence WHERE name = '" + name + "_stream'");
    }

    @Override
    public void close() {
        pool.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
