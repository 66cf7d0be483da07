package dev.kv.jpa;

import jakarta.persistence.PersistenceException;

/**
 * A failure after which the operation certainly took no effect: no connection could be had, or a
 * statement failed inside a transaction that was never committed. A failure without this mark may
 * have struck after a statement or a commit reached the server, and {@link DatabaseErrors} judges its
 * outcome unknown when the connection was lost.
 */
final class NotApplied extends PersistenceException {

    private static final long serialVersionUID = 1L;

    NotApplied(RuntimeException failure) {
        super(failure.getMessage(), failure);
    }
}
