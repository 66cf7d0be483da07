package dev.kv;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A key-value store. Keys are non-empty strings without NUL characters; values are bytes — for a
 * {@link ValueFormat#JSONB JSONB} store, the UTF-8 bytes of one JSON document.
 *
 * <p>Expired entries are never visible: every read treats them as absent, and every write treats
 * their key as free, whether or not {@link #cleanupExpired()} has removed them yet.
 *
 * <p>Implementations are thread-safe. Every input is validated before anything is sent to the
 * database; an invalid one raises a {@link KvValidationException} and changes nothing.
 *
 * <p>A default method here derives an operation from the others (a counter from {@link #update},
 * {@link #clear()} from {@link #delete(ScanOptions)}); a backend may implement it natively. A view
 * of another store extends {@link ForwardingKvStore}, which forwards every method.
 */
public interface KvStore extends AutoCloseable {

    /** The expected version that means "the key must be absent or expired" for version-checked writes. */
    long ABSENT = 0;

    /** The value of {@code key}, or empty if it is absent or expired. */
    Optional<byte[]> get(String key);

    /** The value of {@code key} with its metadata, or empty if it is absent or expired. */
    Optional<Entry> getEntry(String key);

    /**
     * Stores {@code value} under {@code key} with the store's {@link KvConfig#defaultExpiry() default
     * expiry} (none unless configured), replacing any previous value and expiry.
     */
    void set(String key, byte[] value);

    /**
     * Stores {@code value} under {@code key}, to expire after {@code ttl}, replacing any previous value.
     *
     * @throws KvValidationException if {@code ttl} is null, zero or negative
     */
    void set(String key, byte[] value, Duration ttl);

    // Expiry: idle entries and the store's default expiry (KvConfig.Builder#defaultExpiry).

    /**
     * Stores {@code value} under {@code key} with {@code expiry}, replacing any previous value and
     * expiry: {@code set(key, value, Expiry.idle(Duration.ofMinutes(30)))} keeps the entry while it is
     * read at least every 15 minutes (see {@link Expiry} for the exact rule).
     *
     * @throws KvValidationException if {@code expiry} is null
     */
    void set(String key, byte[] value, Expiry expiry);

    /**
     * Stores {@code value} with {@code expiry} if {@code key} is absent or expired.
     *
     * @return whether the value was stored
     * @throws KvValidationException if {@code expiry} is null
     */
    boolean setIfAbsent(String key, byte[] value, Expiry expiry);

    /**
     * Gives a live entry {@code expiry} from now, keeping its value: {@link Expiry#never()} as {@link
     * #persist}, {@link Expiry#after} as {@link #expire(String, Duration)}, {@link Expiry#idle} to make it
     * expire once unread.
     *
     * @return whether {@code key} held a live entry
     * @throws KvValidationException if {@code expiry} is null
     */
    boolean expire(String key, Expiry expiry);

    /**
     * Stores {@code value} with the store's default expiry (none unless configured) if {@code key} is
     * absent or expired.
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
     * <p>The entry is locked while {@code fn} runs — in PostgreSQL its row ({@code SELECT … FOR
     * UPDATE}), in memory its key — so concurrent updates of one key, also from other processes
     * sharing the database, apply one after another and none is lost. {@code fn} must not write to
     * the store; the in-memory store allows no call on itself from {@code fn} at all. {@code fn} receives {@code null} when the key is absent or expired; returning
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
     * Stores {@code value} only if the entry is at {@code expectedVersion} — or, with {@link #ABSENT},
     * only if the key is absent or expired: optimistic concurrency on the version every entry carries
     * (e.g. an HTTP {@code If-Match}). A live entry keeps its expiry; a new one gets none.
     *
     * @return the entry's new version
     * @throws VersionConflictException if the entry is at another version; nothing changed
     * @throws KvValidationException if {@code expectedVersion} is negative
     */
    long setIfVersion(String key, byte[] value, long expectedVersion);

    /**
     * Deletes the entry only if it is at {@code expectedVersion}.
     *
     * @throws VersionConflictException if it is at another version or absent; nothing changed
     * @throws KvValidationException if {@code expectedVersion} is not positive
     */
    void deleteIfVersion(String key, long expectedVersion);

    /**
     * Runs {@code work} atomically: every operation on the store it is given happens in one
     * transaction, committed when {@code work} returns and rolled back if it throws (the exception
     * reaches the caller). Row locks taken inside (by {@code update}) last until the end. Inside a
     * container the caller's transaction is the transaction. Do not use this store itself inside.
     *
     * <pre>{@code
     * store.inTransaction(tx -> {
     *     long left = tx.decrement("stock:42");
     *     if (left < 0) throw new IllegalStateException("sold out");   // rolls both back
     *     tx.set("order:7", order);
     *     return left;
     * });
     * }</pre>
     */
    <T> T inTransaction(Function<KvStore, T> work);

    /**
     * Applies every mutation or none, in order, in one transaction: puts, versioned puts, JSON merge
     * patches, deletes of keys and deletions by prefix, range or glob (see {@link Mutation}). Each sees
     * what the mutations before it did. Multi-row writes lock rows in one global order (PostgreSQL: by
     * key hash, absent keys included), so that they never deadlock one another.
     *
     * @return per mutation, in order: 1 for a put or a patch; for a delete, how many live entries it
     *     removed (0 or 1 for a key)
     * @throws VersionConflictException if a versioned mutation finds another version; nothing is applied
     * @throws KvValidationException if any key, value, TTL or selection is invalid; nothing is applied
     * @throws TypeMismatchException for a patch in a BYTEA store, or of a document that is not JSON
     */
    List<Long> apply(List<Mutation> mutations);

    /** The live keys that {@code options} selects, in its order and page. */
    List<String> keys(ScanOptions options);

    /** The live entries that {@code options} selects, in its order and page. */
    List<Entry> scan(ScanOptions options);

    /** The page size of {@link #stream(ScanOptions)}: entries read per statement. */
    int DEFAULT_STREAM_PAGE_SIZE = 500;

    /** {@link #stream(ScanOptions, int)} with pages of {@value #DEFAULT_STREAM_PAGE_SIZE} entries. */
    default Stream<Entry> stream(ScanOptions options) {
        return stream(options, DEFAULT_STREAM_PAGE_SIZE);
    }

    /**
     * The live entries that {@code options} selects, in its order, read lazily a page at a time: each
     * page is one {@link #scan} continuing after the last key of the one before (keyset paging, {@link
     * ScanOptions#after}), so memory holds one page whatever the number of entries. {@code options}'
     * limit bounds the whole stream, its offset skips entries before the first page.
     *
     * <p>Not a snapshot: each page sees the store as it is when it is read. A key written behind the
     * cursor (before the last key returned) is not seen, one written ahead of it is; a key deleted
     * ahead of it is not returned. Nothing is held open between pages (no connection, cursor or
     * transaction; in a container each page is its own call, joining the caller's transaction if there
     * is one), so an unfinished stream leaks nothing; closing it, e.g. with try-with-resources, stops
     * reading further pages.
     *
     * <pre>{@code
     * try (Stream<Entry> sessions = store.stream(ScanOptions.prefix("session:"), 1000)) {
     *     sessions.filter(e -> isStale(e)).forEach(e -> store.delete(e.key()));
     * }
     * }</pre>
     *
     * @throws KvValidationException if {@code options} is null or {@code pageSize} is not between 1 and
     *     100000
     */
    default Stream<Entry> stream(ScanOptions options, int pageSize) {
        return ScanPages.entries(this, options, pageSize);
    }

    /** The keys of {@link #stream(ScanOptions, int)}, paged the same way, without reading values. */
    default Stream<String> streamKeys(ScanOptions options, int pageSize) {
        return ScanPages.keys(this, options, pageSize);
    }

    /**
     * The number of live keys that {@code options} selects by prefix, glob and range; order, limit,
     * offset and cursor are ignored.
     */
    long count(ScanOptions options);

    /**
     * Deletes the live entries that {@code options} selects, as {@link #keys(ScanOptions)} would list
     * them: by prefix, glob and range, and with a limit (offset or cursor) only the first that many in the
     * scan's order — a bounded delete of a huge prefix, to repeat until it returns 0. Without a page, expired
     * rows in the selection go too.
     *
     * @return the number of live entries deleted
     */
    long delete(ScanOptions options);

    /** Deletes every live key starting with {@code prefix}, returning how many. */
    default long deletePrefix(String prefix) {
        return delete(ScanOptions.prefix(prefix));
    }

    /** Deletes at most {@code limit} live keys starting with {@code prefix}, the first in key order; how many. */
    default long deletePrefix(String prefix, int limit) {
        return delete(ScanOptions.prefix(prefix).limit(limit));
    }

    /** Deletes every live key in {@code [from, to)}, returning how many. */
    default long deleteRange(String from, String to) {
        return delete(ScanOptions.range(from, to));
    }

    /** Deletes at most {@code limit} live keys in {@code [from, to)}, the first in key order; how many. */
    default long deleteRange(String from, String to, int limit) {
        return delete(ScanOptions.range(from, to).limit(limit));
    }

    /** Deletes every entry of the store, returning how many were live. */
    default long clear() {
        return delete(ScanOptions.all());
    }

    /**
     * The live values of {@code keys}, in the order of {@code keys}; absent and expired keys are left
     * out. The PostgreSQL store reads them with one statement.
     */
    Map<String, byte[]> getMany(Collection<String> keys);

    /**
     * Stores every entry without expiry. Every key and value is checked first: if one is invalid,
     * none is written. The PostgreSQL store writes them with one statement, all or nothing.
     */
    void setMany(Map<String, byte[]> entries);

    /** Stores every entry, to expire after {@code ttl}; all or nothing as {@link #setMany(Map)}. */
    void setMany(Map<String, byte[]> entries, Duration ttl);

    /**
     * Deletes {@code keys}. The PostgreSQL store deletes them with one statement.
     *
     * @return the number of live entries deleted
     */
    long deleteMany(Collection<String> keys);

    /**
     * Atomically adds {@code delta} to the integer stored under {@code key} and returns the result.
     * An absent or expired key counts from 0 and gets no expiry; a live entry keeps its expiry. The
     * value is the integer's decimal digits (a JSON number in a JSONB store). The PostgreSQL store
     * does this in one statement.
     *
     * @throws TypeMismatchException if the stored value is not an integer that fits a long
     * @throws CounterOverflowException if the result does not fit a long; counters never wrap
     */
    default long increment(String key, long delta) {
        return DerivedOperations.increment(this, key, delta);
    }

    /** {@code increment(key, 1)}. */
    default long increment(String key) {
        return increment(key, 1);
    }

    /** Atomically subtracts {@code delta}; see {@link #increment(String, long)}. */
    default long decrement(String key, long delta) {
        return DerivedOperations.decrement(this, key, delta);
    }

    /** {@code decrement(key, 1)}. */
    default long decrement(String key) {
        return decrement(key, 1);
    }

    /**
     * The value of {@code key}.
     *
     * @throws KeyNotFoundException if it is absent or expired
     */
    default byte[] getOrThrow(String key) {
        return get(key).orElseThrow(() -> new KeyNotFoundException(key));
    }

    /**
     * Atomically replaces the value of {@code key} with {@code replacement} if it currently holds
     * {@code expected}, keeping the entry's expiry. In a JSONB store values are compared as JSON (key
     * order, whitespace and number spelling do not count), in a BYTEA store byte for byte. A null
     * {@code expected} means absent: the swap creates the entry, without expiry, only if {@code key} is
     * absent or expired, and is a mismatch with the current value if it is live.
     *
     * @param expected the value the entry must hold, or null for an absent or expired entry
     * @return swapped; a mismatch with the value found; or, for a non-null {@code expected}, not found when
     *     the key is absent or expired
     * @throws InvalidValueException if {@code replacement} is null, or either value is too large or (in a
     *     JSONB store) not JSON
     */
    default CasResult compareAndSwap(String key, byte[] expected, byte[] replacement) {
        return DerivedOperations.compareAndSwap(this, key, expected, replacement, null);
    }

    /**
     * {@link #compareAndSwap(String, byte[], byte[])}, and a swap makes the entry expire after {@code ttl}
     * from now, whether it replaced a live entry or created one; a mismatch or not found changes nothing,
     * the expiry included. The PostgreSQL store does this in one statement.
     *
     * @throws KvValidationException if {@code ttl} is null, zero or negative
     */
    default CasResult compareAndSwap(String key, byte[] expected, byte[] replacement, Duration ttl) {
        return DerivedOperations.compareAndSwap(
                this, key, expected, replacement, config().limits().checkTtl(ttl));
    }

    /**
     * Atomically stores {@code value}, keeping the entry's expiry, and returns the value it replaced.
     *
     * @return the previous value, or empty if the key was absent or expired
     */
    default Optional<byte[]> getAndSet(String key, byte[] value) {
        return DerivedOperations.getAndSet(this, key, value, null);
    }

    /** Atomically stores {@code value} to expire after {@code ttl} and returns the value it replaced. */
    default Optional<byte[]> getAndSet(String key, byte[] value, Duration ttl) {
        return DerivedOperations.getAndSet(this, key, value, ttl);
    }

    /**
     * Atomically removes {@code key} and returns its value.
     *
     * @return the removed value, or empty if the key was absent or expired
     */
    default Optional<byte[]> getAndDelete(String key) {
        return DerivedOperations.getAndReplace(this, key, null, current -> null);
    }

    /**
     * Atomically applies a JSON merge patch (RFC 7386) to the document under {@code key}, under its row
     * lock, keeping the entry's expiry: object members merge, a {@code null} member is removed,
     * anything else replaces. An absent key is patched as an empty object.
     *
     * @return the patched document
     * @throws TypeMismatchException in a BYTEA store
     * @throws InvalidValueException if the patch is not JSON
     */
    default byte[] patch(String key, byte[] mergePatch) {
        return DerivedOperations.patch(this, key, mergePatch).orElseThrow();
    }

    /**
     * Takes the lock {@code name} for {@code owner} for {@code lease}, if it is free or expired — or, if
     * {@code owner} holds it already, renews it for {@code lease} from now, keeping its token. A lock is an
     * entry whose value is {@code {"owner":…,"token":…}}; the lease bounds how long a crashed owner blocks
     * the others. Taking a lock gives it a new fencing token ({@link Lease}), higher than every token the
     * lock had before, also after a release, an expiry or a cleanup. The PostgreSQL store does this in one
     * statement; its tokens come from the database (its WAL position), so they increase across store
     * instances too. The memory store's come from a counter of the JVM, started at the wall clock's
     * microseconds.
     *
     * @return the lease, or empty if another owner holds the lock (or the entry holds no lock)
     * @throws KvValidationException if {@code owner} is empty or {@code lease} not positive
     */
    default Optional<Lease> tryLock(String name, String owner, Duration lease) {
        return DerivedOperations.tryLock(this, name, owner, lease);
    }

    /**
     * Renews {@code lease} for {@code duration} from now, if the lock is still held with its token.
     *
     * @return the renewed lease, or empty if the lock expired, was released or is held by another token
     */
    default Optional<Lease> renew(Lease lease, Duration duration) {
        return DerivedOperations.renew(this, lease, duration);
    }

    /**
     * Releases the lock of {@code lease} if it is still held with its token; a lock that expired or was
     * taken again (by anyone, with a newer token) is left alone.
     *
     * @return whether the lease still held the lock
     */
    default boolean unlock(Lease lease) {
        return DerivedOperations.unlock(this, lease);
    }

    /**
     * Who holds the lock {@code name}: owner, token and the lease left now.
     *
     * @return the lease, or empty if the lock is free (absent or expired) or the entry holds no lock
     */
    default Optional<Lease> lockStatus(String name) {
        return DerivedOperations.lockStatus(this, name);
    }

    /**
     * A view of this store whose keys all live under the namespace {@code path}: its keys, scans, counts,
     * {@code clear} and change stream never see another namespace's entries, nor those of a namespace nested in
     * it. Keys are stored as {@code a:key} under one name and {@code :n:a:b:key} under n names (so
     * {@code namespace("a").set("b:x", ...)} and {@code namespace("a", "b").set("x", ...)} are two entries);
     * the longest key shrinks by the prefix's length. Views nest: {@code namespace("a").namespace("b")} is
     * {@code namespace("a", "b")}. Closing a view does nothing.
     *
     * @throws IllegalArgumentException if a name is empty or contains {@code :}
     */
    default KvStore namespace(String... path) {
        return NamespacedKvStore.of(this, Arrays.asList(path));
    }

    /**
     * A view of this BYTEA store that encrypts values with {@code encryptor} (e.g. {@link
     * dev.kv.crypto.AesGcmEncryptor}) before they are stored and decrypts them when read. The largest
     * value shrinks by the encryption overhead. Closing the view does nothing.
     *
     * @throws IllegalArgumentException if this store keeps JSONB values
     */
    default EncryptedKvStore encrypted(Encryptor encryptor) {
        return new EncryptedKvStore(this, encryptor);
    }

    /**
     * Applies a JSON merge patch only if the document is at {@code expectedVersion}: reads it, checks
     * the version, and writes with {@link #setIfVersion}, so a concurrent change between read and
     * write is a conflict too.
     *
     * @return the patched document
     * @throws VersionConflictException if the entry is at another version
     */
    default byte[] patch(String key, byte[] mergePatch, long expectedVersion) {
        return DerivedOperations.patch(this, key, mergePatch, expectedVersion);
    }

    /**
     * The stream of this store's changes, and its consumers. Views show their own part of it: a
     * namespace only its keys (without the prefix) and consumers, an encrypted view decrypted values.
     *
     * @throws ChangeStreamDisabledException unless the store was built with {@link
     *     KvConfig.Builder#changeStream(boolean) changeStream(true)}
     */
    default ChangeStream changes() {
        throw new ChangeStreamDisabledException(config());
    }

    /**
     * Deletes expired entries in bounded batches, each in its own short transaction. Safe to run from
     * several processes at once: each batch skips rows another cleaner holds.
     *
     * @return the number of entries deleted
     */
    long cleanupExpired();

    /**
     * Counters of this store instance and the size of what it holds. In PostgreSQL the entry count
     * and value bytes come from one query over the live rows: cheap on small tables, a scan on big ones.
     */
    KvStats stats();

    /** The configuration this store runs with. */
    KvConfig config();

    /**
     * Releases what the store owns: for PostgreSQL its EntityManagerFactory and the pool it created,
     * if any; in memory its background threads and files. Views (namespaced, encrypted) own nothing.
     */
    @Override
    void close();
}
