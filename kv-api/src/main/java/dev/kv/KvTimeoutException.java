package dev.kv;

/**
 * A wait that the store's configuration bounds ran out, and the operation changed nothing: a row lock
 * held by another transaction for longer than {@link KvConfig#lockTimeout()} (SQLSTATE {@code 55P03},
 * retryable), a statement running longer than {@link KvConfig#statementTimeout()} ({@code 57014}, not
 * retryable: it would most likely run as long again), a transaction of {@code update} or {@code
 * inTransaction} held open longer than {@link KvConfig#transactionTimeout()} ({@code 25P03} or none,
 * not retryable: the caller's function took too long, and the row lock was released), or no connection
 * of the store's pool free within {@link KvConfig#connectionTimeout()} (no SQLSTATE, retryable).
 */
public class KvTimeoutException extends KvDatabaseException {

    private static final long serialVersionUID = 1L;

    public KvTimeoutException(String message, String sqlState, boolean retryable, Throwable cause) {
        super(message, sqlState, retryable, false, cause);
    }
}
