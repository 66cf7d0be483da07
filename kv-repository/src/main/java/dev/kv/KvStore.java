package dev.kv;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A key-value store. Keys are non-empty strings without NUL characters; values are bytes — for a
 * {@link ValueFormat#JSONB JSONB} store, the UTF-8 bytes of one JSON document.
 *
 * <p>Expired entries are never visible: every read treats them as absent, and every write treats
 * their key as free, whether or not {@link #cleanupExpired()} has removed them yet.
 *
 * <p>Implementations are thread-safe. Every input is validated before anything is sent to the
 * database; an invalid one raises a {@link KvValidationException} and changes nothing.
 */
public interface KvStore extends AutoCloseable {

    /** The value of {@code key}, or empty if it is absent or expired. */
    Optional<byte[]> get(String key);

    /** The value of {@code key} with its metadata, or empty if it is absent or expired. */
    Optional<Entry> getEntry(String key);

    /** Stores {@code value} under {@code key} without expiry, replacing any previous value and expiry. */
    void set(String key, byte[] value);

    /**
     * Stores {@code value} under {@code key}, to expire after {@code ttl}, replacing any previous value.
     *
     * @throws KvValidationException if {@code ttl} is null, zero or negative
     */
    void set(String key, byte[] value, Duration ttl);

    /**
     * Stores {@code value} without expiry if {@code key} is absent or expired.
     *
     * @return whether the value was stored
     */
    boolean setIfAbsent(String key, byte[] value);

    /**
     * Stores {@code value}, to expire after {@code ttl}, if {@code key} is absent or expired.
     *
     * @return whether the value was stored
     */
    boolean setIfAbsent(String key, byte[] value, Duration ttl);

    /**
     * Removes {@code key}.
     *
     * @return whether a live (not expired) entry was removed
     */
    boolean delete(String key);

    /** Whether {@code key} holds a live entry. */
    boolean exists(String key);

    /**
     * Makes a live entry expire after {@code ttl} from now.
     *
     * @return whether {@code key} held a live entry
     */
    boolean expire(String key, Duration ttl);

    /**
     * Removes the expiry of a live entry.
     *
     * @return whether {@code key} held a live entry that had an expiry
     */
    boolean persist(String key);

    /** Whether {@code key} is absent, never expires, or expires after a remaining duration. */
    Ttl ttl(String key);

    /**
     * Atomically replaces the value of {@code key} with {@code fn(current)}, keeping the entry's
     * expiry (a new entry does not expire). See {@link #update(String, Duration, UnaryOperator)}.
     */
    Optional<byte[]> update(String key, UnaryOperator<byte[]> fn);

    /**
     * Atomically replaces the value of {@code key} with {@code fn(current)} and makes it expire
     * after {@code ttl}.
     *
     * <p>The entry's row is locked ({@code SELECT … FOR UPDATE}) while {@code fn} runs, so
     * concurrent updates of one key — also from other processes — apply one after another and none
     * is lost. {@code fn} receives {@code null} when the key is absent or expired; returning
     * {@code null} deletes the entry. If {@code fn} throws, nothing changes and the exception reaches
     * the caller. When another writer creates the key while it is still absent, {@code fn} is called
     * again with that writer's value, so it must not have side effects. Inside a container
     * transaction the lock is held until that transaction ends.
     *
     * @return the new value, or empty if {@code fn} returned {@code null}
     */
    Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn);

    /**
     * The live keys that start with {@code prefix}, in ascending order of their UTF-8 bytes
     * (Unicode code point order). Every character of the prefix is literal: {@code %}, {@code _}
     * and {@code \} have no special meaning. An empty prefix lists every key.
     */
    List<String> keys(String prefix);

    /**
     * Deletes expired entries in bounded batches, each in its own short transaction. Safe to run from
     * several processes at once: each batch skips rows another cleaner holds.
     *
     * @return the number of entries deleted
     */
    long cleanupExpired();

    /** The configuration this store runs with. */
    KvConfig config();

    /** Releases what the store owns (its EntityManagerFactory, and its pool if it created one). */
    @Override
    void close();
}
