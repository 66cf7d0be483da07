package dev.kv.jpa;

import java.util.function.Function;
import org.hibernate.StatelessSession;

/**
 * The transactions of one unit of work: every statement runs on the unit's session, inside the
 * transaction its owner began; nothing here begins or commits.
 */
final class SessionTransactions implements Transactions {

    private final StatelessSession session;

    SessionTransactions(StatelessSession session) {
        this.session = session;
    }

    @Override
    public <T> T statement(Work<T> work) {
        return session.doReturningWork(work::execute);
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
        // The unit's owner ends the session.
    }
}
