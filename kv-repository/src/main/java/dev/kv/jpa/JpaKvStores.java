package dev.kv.jpa;

import dev.kv.EncryptedKvStore;
import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.KvStore;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceProvider;

/**
 * Opens PostgreSQL stores backed by Hibernate.
 *
 * <p>In Java SE a store owns its transactions: single-key operations run as one autocommit
 * statement, {@code update} in a short transaction of its own. Inside a container use {@link
 * #joining}: every operation then runs in the caller's transaction.
 *
 * <p>With {@link KvConfig#encryptor()}, every factory returns the store seen through an {@link
 * EncryptedKvStore} view that encrypts each value and owns the store: closing it closes the store.
 */
public final class JpaKvStores {

    private JpaKvStores() {}

    /**
     * Opens a store on a DataSource the caller owns (and closes after the store), e.g. a HikariCP pool
     * with {@code autoCommit=true}. Applies the migrations first if the configuration asks for it,
     * and validates the table against the mapping unless told not to.
     *
     * @throws KvException if the table does not match the mapping or cannot be reached, or lacks the
     *     change stream the configuration asks for
     * @throws dev.kv.migrations.MigrationException if the migrations fail
     */
    public static KvStore open(DataSource dataSource, KvConfig config) {
        return open(dataSource, config, null);
    }

    /**
     * Opens a store with a HikariCP pool of its own on {@code jdbcUrl}; closing the store closes the
     * pool. The pool has {@link KvConfig#poolSize()} connections at most and waits {@link
     * KvConfig#connectionTimeout()} for one; they carry the configured {@code application_name} and
     * the lock, statement and idle-in-transaction timeouts. Needs HikariCP on the class path (an
     * optional dependency of kv-repository).
     *
     * @throws dev.kv.KvDatabaseException saying why the first connection failed: the server cannot be
     *     reached ({@link KvException#retryable()}), the credentials were refused, the database does
     *     not exist, the role lacks a privilege
     */
    public static KvStore open(String jdbcUrl, String user, String password, KvConfig config) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null");
        Objects.requireNonNull(config, "config must not be null");
        DataSource dataSource = OwnedPool.open(jdbcUrl, user, password, config);
        try {
            return open(dataSource, config, (AutoCloseable) dataSource);
        } catch (RuntimeException e) {
            closeQuietly((AutoCloseable) dataSource, e);
            throw e;
        }
    }

    /**
     * A store that runs every operation on the connection of the EntityManager {@code entityManager}
     * returns — in a container, the transaction-scoped EntityManager of the application's
     * persistence unit — and so inside the caller's transaction. It neither begins nor commits.
     */
    public static KvStore joining(Supplier<EntityManager> entityManager, KvConfig config) {
        Objects.requireNonNull(entityManager, "entityManager must not be null");
        Objects.requireNonNull(config, "config must not be null");
        return EncryptedKvStore.configured(
                new PostgresKvStore(EncryptedKvStore.storeConfig(config), new JoinedTransactions(entityManager), false),
                config);
    }

    private static KvStore open(DataSource dataSource, KvConfig config, AutoCloseable owned) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        Objects.requireNonNull(config, "config must not be null");
        if (config.runMigrations()) {
            KvMigrations.update(dataSource, KvTableDefinition.of(config));
        }
        EntityManagerFactory factory;
        try {
            factory = new HibernatePersistenceProvider()
                    .createContainerEntityManagerFactory(new KvPersistenceUnit(config, dataSource), Map.of());
        } catch (PersistenceException e) {
            if (hasSqlState(e)) {
                throw DatabaseErrors.openFailure(config, e);
            }
            throw new KvException(
                    "could not open a kv store on " + config.schema() + "." + config.table() + ": "
                            + rootCause(e).getMessage(),
                    e);
        }
        PostgresKvStore store = new PostgresKvStore(
                EncryptedKvStore.storeConfig(config),
                new OwnTransactions(factory.unwrap(SessionFactory.class), owned, config.transactionTimeout()),
                true);
        try {
            if (config.changeStream() && config.validateSchema()) {
                store.checkChangeStream();
            }
            store.checkForReset();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return EncryptedKvStore.configured(store, config);
    }

    private static void closeQuietly(AutoCloseable pool, RuntimeException failure) {
        try {
            pool.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /** Whether the database itself refused (a connection, a privilege), rather than the mapping. */
    private static boolean hasSqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
