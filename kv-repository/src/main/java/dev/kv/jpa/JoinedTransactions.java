package dev.kv.jpa;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.hibernate.JDBCException;
import org.hibernate.Session;

/**
 * Inside a container: every call runs on the connection of the caller's EntityManager, so kv writes
 * commit or roll back with the caller's transaction and a row lock lasts until that transaction
 * ends. The store neither begins nor commits anything.
 *
 * <p>A call made while another runs on the same session and thread — a store read inside the
 * function given to {@code update} — reuses the outer call's connection: a nested {@code
 * doReturningWork} would release that connection when it returns (JTA's default
 * after-statement release), leaving the outer call with a closed handle.
 */
final class JoinedTransactions implements Transactions.Joined {

    private record Current(Session session, Connection connection) {}

    /** The connection of the work running on this thread, shared by every store on its session. */
    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

    private final Supplier<EntityManager> entityManager;

    JoinedTransactions(Supplier<EntityManager> entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public <T> T statement(Work<T> work) {
        Session session = entityManager.get().unwrap(Session.class);
        Current outer = CURRENT.get();
        if (outer != null && outer.session() == session) {
            try {
                return work.execute(outer.connection());
            } catch (SQLException e) {
                throw new JDBCException("kv statement failed", e);
            }
        }
        return session.doReturningWork(connection -> {
            CURRENT.set(new Current(session, connection));
            try {
                return work.execute(connection);
            } finally {
                if (outer == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(outer);
                }
            }
        });
    }
}
