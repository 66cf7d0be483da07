package dev.kv.cdi;

import java.util.Objects;

/**
 * A committed write to a store, fired as a CDI event by every store this module produces.
 *
 * <p>The event is fired inside the writing transaction; observe it with {@code
 * @Observes(during = TransactionPhase.AFTER_SUCCESS)} so that it is delivered only once that
 * transaction has committed, and never for a write that was rolled back:
 *
 * <pre>{@code
 * void changed(@Observes(during = TransactionPhase.AFTER_SUCCESS) KvChange change) { ... }
 * }</pre>
 *
 * @param store the name of the store ({@value KvSettings#DEFAULT_STORE} for the unqualified one)
 * @param key the key written
 * @param operation what was done
 * @param version the entry's version after the write; 0 when the entry no longer exists
 */
public record KvChange(String store, String key, Operation operation, long version) {

    /** The kinds of write. */
    public enum Operation {
        /** {@code set}, or a {@code setIfAbsent} that stored its value. */
        SET,
        /** {@code update}, including one whose function returned null (then the version is 0). */
        UPDATE,
        /** {@code delete} of a live entry. */
        DELETE,
        /** {@code expire} of a live entry. */
        EXPIRE,
        /** {@code persist} of a live entry that had an expiry. */
        PERSIST
    }

    public KvChange {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operation, "operation");
    }
}
