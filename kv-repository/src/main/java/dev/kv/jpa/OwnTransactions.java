package dev.kv.jpa;

import dev.kv.KvDatabaseException;
import dev.kv.KvTimeoutException;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Function;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.jdbc.spi.SqlExceptionHelper;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * Java SE: the store's own factory. A single statement runs on an autocommit connection taken
 * straight from the factory's connection provider: a stateless session around one statement cost
 * as much client CPU as the driver's work. A unit of work opens a stateless session, begun and
 * committed here. Both kinds of transaction are bounded by the store's {@link TransactionBound}.
 */
final class OwnTransactions implements Transactions {

    private final SessionFactory sessionFactory;
    private final ConnectionProvider connections;
    private final SqlExceptionHelper sqlErrors;
    private final AutoCloseable owned;
    private final TransactionBound bound;

    OwnTransactions(SessionFactory sessionFactory, AutoCloseable owned, Duration transactionTimeout) {
        this.bound = new TransactionBound(transactionTimeout);
        this.sessionFactory = sessionFactory;
        SessionFactoryImplementor implementor = sessionFactory.unwrap(SessionFactoryImplementor.class);
        this.connections = implementor.getServiceRegistry().getService(ConnectionProvider.class);
        this.sqlErrors = implementor.getJdbcServices().getSqlExceptionHelper();
        this.owned = owned;
    }

    @Override
    public <T> T statement(Work<T> work) {
        Connection connection = connect();
        try {
            return work.execute(connection);
        } catch (SQLException e) {
            throw sqlErrors.convert(e, "a kv statement failed");
        } finally {
            release(connection);
        }
    }

    /**
     * Runs on a connection of the provider too, switched out of autocommit for the work and back, as
     * raw JDBC does: a stateless session around the transaction made update's client CPU about one and
     * a half times raw JDBC's ({@code benchmarks.jar client-cost}).
     */
    @Override
    public <T> T transaction(Work<T> work) {
        Connection connection = connect();
        try {
            return inTransaction(connection, work);
        } catch (SQLException e) {
            throw sqlErrors.convert(e, "a kv transaction failed");
        } finally {
            release(connection);
        }
    }

    /** A connection of the provider; failing that, nothing was sent. */
    private Connection connect() {
        try {
            return connections.getConnection();
        } catch (SQLException e) {
            throw new NotApplied(sqlErrors.convert(e, "no connection for a kv statement"));
        }
    }

    private void release(Connection connection) {
        try {
            connections.closeConnection(connection);
        } catch (SQLException e) {
            throw sqlErrors.convert(e, "could not return a kv connection to its pool");
        }
    }

    /**
     * The work, then the commit. A failure of the work leaves the transaction uncommitted, so it
     * certainly changed nothing; only the commit's own failure leaves the outcome in doubt.
     */
    private <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        long started = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        T result;
        try {
            try {
                result = work.execute(connection);
            } catch (SQLException e) {
                throw bound.exceeded(started)
                        ? bound.timeout(started, e)
                        : new NotApplied(sqlErrors.convert(e, "a kv transaction failed"));
            }
            bound.check(started);
            connection.commit();
        } catch (SQLException | RuntimeException | Error e) {
            try {
                connection.rollback();
                if (autoCommit) {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException | RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        if (autoCommit) {
            connection.setAutoCommit(true);
        }
        return result;
    }

    @Override
    public <T> T unitOfWork(Function<Transactions, T> work) {
        try (StatelessSession session = sessionFactory.openStatelessSession()) {
            long started = System.nanoTime();
            Transaction transaction = begin(session);
            try {
                T result;
                try {
                    result = work.apply(new SessionTransactions(session));
                } catch (KvDatabaseException e) {
                    // A statement failing after the bound failed because of it: the server ended the session.
                    throw bound.exceeded(started) && !(e instanceof KvTimeoutException) ? bound.timeout(started, e) : e;
                }
                bound.check(started);
                transaction.commit();
                return result;
            } catch (RuntimeException | Error e) {
                if (transaction.isActive()) {
                    rollbackQuietly(transaction, e);
                }
                throw e;
            }
        }
    }

    /** Begins the unit's transaction; failing that (no connection), nothing was sent. */
    private static Transaction begin(StatelessSession session) {
        try {
            return session.beginTransaction();
        } catch (PersistenceException e) {
            throw new NotApplied(e);
        }
    }

    private static void rollbackQuietly(Transaction transaction, Throwable failure) {
        try {
            transaction.rollback();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        try {
            sessionFactory.close();
        } finally {
            closeOwned();
        }
    }

    private void closeOwned() {
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
