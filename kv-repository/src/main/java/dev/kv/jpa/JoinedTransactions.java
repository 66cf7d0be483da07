package dev.kv.jpa;

import jakarta.persistence.EntityManager;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hibernate.Session;

/**
 * Inside a container: every call runs on the connection of the caller's EntityManager, so kv writes
 * commit or roll back with the caller's transaction and a row lock lasts until that transaction
 * ends. The store neither begins nor commits anything.
 */
final class JoinedTransactions implements Transactions {

    private final Supplier<EntityManager> entityManager;

    JoinedTransactions(Supplier<EntityManager> entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public <T> T statement(Work<T> work) {
        return entityManager.get().unwrap(Session.class).doReturningWork(work::execute);
    }

    @Override
    public <T> T transaction(Work<T> work) {
        return statement(work);
    }

    @Override
    public <T> T unitOfWork(Function<Transactions, T> work) {
        return work.apply(this);
    }

    @Override
    public void close() {
        // The container owns the EntityManager and its transactions.
    }
}
