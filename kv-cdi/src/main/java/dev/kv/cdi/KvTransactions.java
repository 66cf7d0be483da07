package dev.kv.cdi;

import dev.kv.KeyNotFoundException;
import dev.kv.KvValidationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.function.Supplier;

/**
 * The JTA boundary of the produced stores. A store call joins the caller's transaction; without one
 * it runs in a transaction of its own, so that a single call outside any transaction still commits,
 * and {@code update} still holds its row lock for the whole read-modify-write.
 */
@ApplicationScoped
public class KvTransactions {

    /**
     * Runs {@code work} in the caller's transaction, or in a new one if there is none. A refused
     * argument ({@link KvValidationException}) sent nothing to the database and a missing key ({@link
     * KeyNotFoundException}) is an answer: both leave the transaction as it was, so the expired entry
     * an on-read store deleted on the way stays deleted; any other exception marks it for rollback.
     */
    @Transactional(
            value = TxType.REQUIRED,
            dontRollbackOn = {KvValidationException.class, KeyNotFoundException.class})
    public <T> T required(Supplier<T> work) {
        return work.get();
    }

    /** Runs {@code work} in a transaction of its own, suspending the caller's. */
    @Transactional(TxType.REQUIRES_NEW)
    public <T> T requiresNew(Supplier<T> work) {
        return work.get();
    }
}
