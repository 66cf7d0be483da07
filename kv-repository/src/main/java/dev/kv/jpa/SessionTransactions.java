package dev.kv.jpa;

import jakarta.persistence.PersistenceException;
import org.hibernate.StatelessSession;

/**
 * The transactions of one unit of work: every statement runs on the unit's session, inside the
 * transaction its owner began; nothing here begins or commits.
 */
final class SessionTransactions implements Transactions.Joined {

    private final StatelessSession session;

    SessionTransactions(StatelessSession session) {
        this.session = session;
    }

    @Override
    public <T> T statement(Work<T> work) {
        try {
            return session.doReturningWork(work::execute);
        } catch (PersistenceException e) {
            // Inside the unit's transaction, which never commits after a failure.
            throw new NotApplied(e);
        }
    }
}
