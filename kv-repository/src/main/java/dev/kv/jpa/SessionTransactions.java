package dev.kv.jpa;

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
        return session.doReturningWork(work::execute);
    }
}
