package dev.kv.jpa;

import java.sql.Connection;
import java.sql.SQLException;
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
 * as much client CPU as the driver's work. Transactions open a stateless session, begun and
 * committed here.
 */
final class OwnTransactions implements Transactions {

    private final SessionFactory sessionFactory;
    private final ConnectionProvider connections;
    private final SqlExceptionHelper sqlErrors;
    private final AutoCloseable owned;

    OwnTransactions(SessionFactory sessionFactory, AutoCloseable owned) {
        this.sessionFactory = sessionFactory;
        SessionFactoryImplementor implementor = sessionFactory.unwrap(SessionFactoryImplementor.class);
        this.connections = implementor.getServiceRegistry().getService(ConnectionProvider.class);
        this.sqlErrors = implementor.getJdbcServices().getSqlExceptionHelper();
        this.owned = owned;
    }

    @Override
    public <T> T statement(Work<T> work) {
        try {
            Connection connection = connections.getConnection();
            try {
                return work.execute(connection);
            } finally {
                connections.closeConnection(connection);
            }
        } catch (SQLException e) {
            throw sqlErrors.convert(e, "a kv statement failed");
        }
    }

    @Override
    public <T> T transaction(Work<T> work) {
        try (StatelessSession session = sessionFactory.openStatelessSession()) {
            Transaction transaction = session.beginTransaction();
            try {
                T result = session.doReturningWork(work::execute);
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

    @Override
    public <T> T unitOfWork(Function<Transactions, T> work) {
        try (StatelessSession session = sessionFactory.openStatelessSession()) {
            Transaction transaction = session.beginTransaction();
            try {
                T result = work.apply(new SessionTransactions(session));
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
