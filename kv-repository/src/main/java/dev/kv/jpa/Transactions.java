package dev.kv.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * How a store reaches the database: the seam between owning transactions (Java SE) and joining the
 * caller's (a container's JTA transaction).
 */
interface Transactions extends AutoCloseable {

    /** Work with a JDBC connection of the current Hibernate session. */
    @FunctionalInterface
    interface Work<T> {
        T execute(Connection connection) throws SQLException;
    }

    /**
     * Runs work that is a single statement. Java SE: in autocommit, one round trip, no BEGIN or
     * COMMIT. Container: inside the caller's transaction.
     */
    <T> T statement(Work<T> work);

    /**
     * Runs several statements atomically. Java SE: in a transaction of their own, rolled back if the
     * work throws. Container: inside the caller's transaction, which the exception marks for rollback.
     */
    <T> T transaction(Work<T> work);

    /**
     * Runs {@code work} as one unit, handing it transactions bound to the unit's connection. Java SE:
     * begins, and commits when {@code work} returns or rolls back when it throws. Container: the
     * caller's transaction is the unit.
     */
    <T> T unitOfWork(Function<Transactions, T> work);

    @Override
    void close();

    /**
     * Transactions that someone else begins and ends (the container, or the owner of a unit of work):
     * every statement joins the running transaction, so a transaction and a unit of work are simply
     * more statements in it, and closing ends nothing.
     */
    interface Joined extends Transactions {

        @Override
        default <T> T transaction(Work<T> work) {
            return statement(work);
        }

        @Override
        default <T> T unitOfWork(Function<Transactions, T> work) {
            return work.apply(this);
        }

        @Override
        default void close() {}
    }
}
