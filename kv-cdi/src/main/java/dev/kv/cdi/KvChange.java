package dev.kv.cdi;

import java.util.Objects;

/**
 * A committed write to a store, fired as a CDI event by every store this module produces: one event
 * per key a write changed, bulk writes included.
 *
 * <p>The event is fired inside the writing transaction; observe it with {@code
 * @Observes(during = TransactionPhase.AFTER_SUCCESS)} so that it is delivered only once that
 * transaction has committed, and never for a write that was rolled back:
 *
 * <pre>{@code
 * void changed(@Observes(during = TransactionPhase.AFTER_SUCCESS) KvChange change) { ... }
 * }</pre>
 *
 * <p>A bulk delete ({@code deleteMany}, {@code delete(ScanOptions)}, {@code deletePrefix}, {@code
 * deleteRange}, {@code clear}) fires a {@link Operation#DELETE DELETE} for each live entry it removed,
 * and for no other key. To know them, a store whose changes are observed lists the selected keys and
 * deletes them as one locked batch (a constant number of statements, whatever the number of keys); a
 * key created after the listing is left in place. Without observers the store deletes with one
 * statement. An {@code apply} fires a {@code SET} per put and patch, a {@code DELETE} per key delete that
 * removed a live entry, and for its deletions by selection a {@code DELETE} per live entry removed, found
 * the same way (the keys listed before the batch, turned into key deletes of the one batch). Entries
 * removed by {@code cleanupExpired} had expired already and fire nothing.
 *
 * @param store the name of the store ({@value KvSettings#DEFAULT_STORE} for the unqualified one)
 * @param key the key written
 * @param operation what was done
 * @param version the entry's version after the write; 0 when the entry no longer exists
 */
public record KvChange(String store, String key, Operation operation, long version) {

    /** The kinds of write. */
    public enum Operation {
        /**
         * A value stored as given: {@code set}, a {@code setIfAbsent} that stored its value, {@code
         * setIfVersion}, each key of {@code setMany} and each put of {@code apply}, {@code getAndSet}, and a
         * {@code tryLock} that took or renewed the lock.
         */
        SET,
        /**
         * A value computed from the current one: {@code update} (including one whose function returned null;
         * then the version is 0), {@code increment} and {@code decrement}, a {@code compareAndSwap} that
         * swapped, and {@code patch}.
         */
        UPDATE,
        /**
         * The removal of a live entry: {@code delete}, {@code deleteIfVersion}, a {@code getAndDelete} that
         * found one, an {@code unlock} that released the lock, a delete of {@code apply} that removed one,
         * and each entry a bulk delete removed.
         */
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
