package dev.kv.jpa;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kv.EncryptedKvStore;
import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.KvStore;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import java.util.Objects;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens stores on an embedded SQLite database file: kv's SQL store with SQLite's statements, on plain
 * JDBC (no Hibernate). Nothing to install: the driver carries SQLite.
 *
 * <pre>{@code
 * try (KvStore store = SqliteKvStores.open("file:data.db", KvConfig.defaults())) {
 *     store.set("hello", "{\"hello\": \"world\"}".getBytes(UTF_8));
 * }
 * }</pre>
 *
 * <p>What differs from PostgreSQL: one writer at a time (every write transaction begins with {@code
 * BEGIN IMMEDIATE}; others wait up to {@link #BUSY_TIMEOUT_MILLIS}); the journal is a write-ahead log
 * (WAL), so readers never wait for the writer; a file has no schemas ({@link KvConfig#schema()} and
 * {@link KvConfig#unlogged()} are not used); JSON values are kept as the text written, not normalised
 * as {@code jsonb} does. The change stream, versions, TTL, scans, batches and locks behave as on
 * PostgreSQL.
 */
public final class SqliteKvStores {

    /** How long a write waits for another writer to commit before it fails as retryable. */
    public static final int BUSY_TIMEOUT_MILLIS = 10_000;

    /** Connections of a store's own pool: readers run side by side in WAL mode, writers take turns. */
    public static final int POOL_SIZE = 4;

    private SqliteKvStores() {}

    /**
     * Opens a store with a pool of its own on a SQLite database: {@code connection} is a file name or a
     * SQLite URI such as {@code file:data.db?mode=rwc}, created if missing, or a full {@code
     * jdbc:sqlite:} URL. Applies the migrations first if the configuration asks for it.
     * Closing the store closes the pool.
     *
     * @throws KvException if the file cannot be opened, or lacks the change stream the configuration asks for
     * @throws dev.kv.migrations.MigrationException if the migrations fail
     */
    public static KvStore open(String connection, KvConfig config) {
        Objects.requireNonNull(connection, "connection must not be null");
        Objects.requireNonNull(config, "config must not be null");
        HikariDataSource pool = newPool(connection, "kv-sqlite-" + config.table());
        try {
            return open(pool, config, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Opens a store on a DataSource of SQLite connections the caller owns, in autocommit; they must
     * begin transactions with {@code BEGIN IMMEDIATE} ({@code SQLiteConfig.setTransactionMode(IMMEDIATE)})
     * and should set a busy timeout.
     */
    public static KvStore open(DataSource dataSource, KvConfig config) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        Objects.requireNonNull(config, "config must not be null");
        return open(dataSource, config, null);
    }

    /** The JDBC URL of a connection string: a file name or SQLite URI gets the {@code jdbc:sqlite:} prefix. */
    static String jdbcUrl(String connection) {
        return connection.startsWith("jdbc:") ? connection : "jdbc:sqlite:" + connection;
    }

    private static KvStore open(DataSource dataSource, KvConfig config, AutoCloseable owned) {
        if (config.runMigrations()) {
            KvMigrations.update(dataSource, KvTableDefinition.of(config));
        }
        PostgresKvStore store = new PostgresKvStore(
                EncryptedKvStore.storeConfig(config),
                new SqliteDialect(config),
                new SqliteTransactions(dataSource, owned),
                true);
        if (config.changeStream() && config.validateSchema()) {
            try {
                store.checkChangeStream();
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        return EncryptedKvStore.configured(store, config);
    }

    /**
     * A HikariCP pool of {@link #POOL_SIZE} connections to a SQLite database, configured as the stores
     * of this class need them: WAL journal, {@code synchronous=NORMAL} (a commit survives a crash of the
     * process; a power loss may undo the last ones, never corrupt the file), {@code BEGIN IMMEDIATE}, a
     * busy timeout of {@link #BUSY_TIMEOUT_MILLIS}, autocommit. For {@link #open(DataSource, KvConfig)},
     * e.g. to share one pool among several stores; the caller closes it.
     */
    public static HikariDataSource newPool(String connection, String name) {
        Objects.requireNonNull(connection, "connection must not be null");
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource driver = new SQLiteDataSource(sqlite);
        driver.setUrl(jdbcUrl(connection));
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(driver);
        pool.setAutoCommit(true);
        pool.setMaximumPoolSize(POOL_SIZE);
        pool.setMinimumIdle(1);
        pool.setPoolName(name);
        try {
            return new HikariDataSource(pool);
        } catch (RuntimeException e) {
            throw DatabaseErrors.translate("open", e);
        }
    }
}
