package dev.kv.jpa;

import dev.kv.KvTimeoutException;
import java.time.Duration;

/**
 * How long a store's own transaction may stay open ({@link dev.kv.KvConfig#transactionTimeout()}),
 * checked by the client before it commits, on the JVM's monotonic clock: a transaction that outlived
 * it is rolled back instead, which releases its row locks. PostgreSQL 15 has no {@code
 * transaction_timeout}; a pool kv creates also has the server end a session idle in its transaction
 * that long, for a function that never returns.
 */
final class TransactionBound {

    private final Duration timeout;
    private final long timeoutNanos;

    TransactionBound(Duration timeout) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.isZero() ? Long.MAX_VALUE : timeout.toNanos();
    }

    boolean exceeded(long startedNanos) {
        return System.nanoTime() - startedNanos > timeoutNanos;
    }

    /** @throws KvTimeoutException if the transaction begun at {@code startedNanos} outlived the bound */
    void check(long startedNanos) {
        if (exceeded(startedNanos)) {
            throw timeout(startedNanos, null);
        }
    }

    /** The failure of a transaction that outlived the bound; {@code cause} is what ended it, if anything did. */
    KvTimeoutException timeout(long startedNanos, Throwable cause) {
        long heldMillis = Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
        return new KvTimeoutException(
                "a kv transaction was open " + heldMillis + " ms, longer than its transactionTimeout of " + timeout
                        + ": rolled back, its row locks released, nothing written",
                null,
                false,
                cause);
    }
}
