package dev.kv.jpa;

import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.function.Function;
import javax.sql.DataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The transactions of a SQLite store, on plain JDBC: a statement runs on an autocommit connection, a
 * transaction and a unit of work on one connection out of autocommit. Its connections begin with
 * {@code BEGIN IMMEDIATE} ({@link SqliteKvStores} configures them so), taking SQLite's one write lock
 * at the start: a transaction never reads and then fails to upgrade, and the others wait up to the
 * busy timeout.
 *
 * <p>Failures reach the {@link SqlExecutor} as a {@link PersistenceException}, as Hibernate's do, around
 * an {@link SQLException} that carries the SQLSTATE the store's error translation reads: SQLite
 * reports result codes, not SQLSTATEs.
 */
final class SqliteTransactions implements Transactions {

    private final DataSource dataSource;
    private final AutoCloseable owned;

    SqliteTransactions(DataSource dataSource, AutoCloseable owned) {
        this.dataSource = dataSource;
        this.owned = owned;
    }

    @Override
    public <T> T statement(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.execute(connection);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public <T> T transaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return inTransaction(connection, () -> work.execute(connection));
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public <T> T unitOfWork(Function<Transactions, T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return inTransaction(connection, () -> work.apply(new Bound(connection)));
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private interface Body<T> {
        T run() throws SQLException;
    }

    private static <T> T inTransaction(Connection connection, Body<T> body) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = body.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                connection.rollback();
            } catch (SQLException | RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** The statements of one unit of work, on its connection, inside the transaction it began. */
    private static final class Bound implements Transactions.Joined {

        private final Connection connection;

        Bound(Connection connection) {
            this.connection = connection;
        }

        @Override
        public <T> T statement(Work<T> work) {
            try {
                return work.execute(connection);
            } catch (SQLException e) {
                throw failure(e);
            }
        }
    }

    /**
     * The failure with the SQLSTATE of its SQLite result code where the store reads one: a NOT NULL
     * violation (an increment of a value that is no integer) is 23502, an integer overflow 22003; a
     * busy or locked database is transient, so {@link DatabaseErrors} calls it retryable.
     */
    static PersistenceException failure(SQLException e) {
        SQLException translated = e;
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            String message = e.getMessage();
            if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_NOTNULL) {
                translated = new SQLException(message, "23502", e.getErrorCode(), e);
            } else if (message != null && message.contains("integer overflow")) {
                translated = new SQLException(message, "22003", e.getErrorCode(), e);
            } else if ((code.code & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code
                    || (code.code & 0xff) == SQLiteErrorCode.SQLITE_LOCKED.code) {
                translated = new SQLTransientException(message, "55P03", e.getErrorCode(), e);
            }
        }
        return new PersistenceException("a kv statement failed: " + e.getMessage(), translated);
    }

    @Override
    public void close() {
        if (owned == null) {
            return;
        }
        try {
            owned.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close the store's connection pool", e);
        }
    }
}
