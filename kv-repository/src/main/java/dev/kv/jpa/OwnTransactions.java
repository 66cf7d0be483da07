package dev.kv.jpa;

import java.util.function.Function;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;

/**
 * Java SE: each call opens a stateless Hibernate session on the store's own factory. A single
 * statement runs on an autocommit connection; a transaction is begun and committed here.
 */
final class OwnTransactions implements Transactions {

    private final SessionFactory sessionFactory;
    private final AutoCloseable owned;

    OwnTransactions(SessionFactory sessionFactory, AutoCloseable owned) {
        this.sessionFactory = sessionFactory;
        this.owned = owned;
    }

    @Override
    public <T> T statement(Work<T> work) {
        try (StatelessSession session = sessionFactory.openStatelessSession()) {
            return session.doReturningWork(work::execute);
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
