package dev.kv;

import dev.kv.internal.OperationFront;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A {@link KvStore} seen through a key type and a value type. It adds no storage of its own: every
 * call maps its arguments and delegates, with the same atomicity and expiry semantics.
 *
 * <pre>{@code
 * record Session(String user, List<String> cart) {}
 * TypedKvStore<String, Session> sessions = TypedKvStore.json(store.namespace("sessions"), Session.class);
 * sessions.set("s-1", new Session("ada", List.of()), Duration.ofMinutes(30));
 * sessions.update("s-1", s -> new Session(s.user(), List.of("book")));
 * }</pre>
 */
public final class TypedKvStore<K, V> {

    private final KvStore store;
    private final KeyMapper<K> keys;
    private final ValueCodec<V> values;

    private TypedKvStore(KvStore store, KeyMapper<K> keys, ValueCodec<V> values) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.keys = Objects.requireNonNull(keys, "keys must not be null");
        this.values = Objects.requireNonNull(values, "values must not be null");
    }

    public static <K, V> TypedKvStore<K, V> of(KvStore store, KeyMapper<K> keys, ValueCodec<V> values) {
        return new TypedKvStore<>(store, keys, values);
    }

    /** String keys and JSON values of {@code type}. */
    public static <V> TypedKvStore<String, V> json(KvStore store, Class<V> type) {
        return new TypedKvStore<>(store, KeyMapper.identity(), ValueCodec.json(type));
    }

    /** The store underneath. */
    public KvStore store() {
        return store;
    }

    private String key(K key) {
        if (key == null) {
            throw new InvalidKeyException("key must not be null");
        }
        return keys.toKey(key);
    }

    private byte[] encode(V value) {
        if (value == null) {
            throw new InvalidValueException("value must not be null", null);
        }
        return values.encode(value);
    }

    private UnaryOperator<byte[]> encoded(UnaryOperator<V> fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        return current -> {
            V next = fn.apply(current == null ? null : values.decode(current));
            return next == null ? null : encode(next);
        };
    }

    public Optional<V> get(K key) {
        return store.get(key(key)).map(values::decode);
    }

    public V getOrThrow(K key) {
        return values.decode(store.getOrThrow(key(key)));
    }

    public void set(K key, V value) {
        store.set(key(key), encode(value));
    }

    public void set(K key, V value, Duration ttl) {
        store.set(key(key), encode(value), ttl);
    }

    public boolean setIfAbsent(K key, V value) {
        return store.setIfAbsent(key(key), encode(value));
    }

    public boolean setIfAbsent(K key, V value, Duration ttl) {
        return store.setIfAbsent(key(key), encode(value), ttl);
    }

    public boolean delete(K key) {
        return store.delete(key(key));
    }

    public boolean exists(K key) {
        return store.exists(key(key));
    }

    public boolean expire(K key, Duration ttl) {
        return store.expire(key(key), ttl);
    }

    public Ttl ttl(K key) {
        return store.ttl(key(key));
    }

    /** See {@link KvStore#update(String, UnaryOperator)}: atomic, {@code fn} gets null when absent. */
    public Optional<V> update(K key, UnaryOperator<V> fn) {
        return store.update(key(key), encoded(fn)).map(values::decode);
    }

    public Optional<V> update(K key, Duration ttl, UnaryOperator<V> fn) {
        return store.update(key(key), ttl, encoded(fn)).map(values::decode);
    }

    public Optional<V> getAndSet(K key, V value) {
        return store.getAndSet(key(key), encode(value)).map(values::decode);
    }

    public Optional<V> getAndDelete(K key) {
        return store.getAndDelete(key(key)).map(values::decode);
    }

    public Map<K, V> getMany(Collection<K> keys) {
        Map<String, K> byKey = new LinkedHashMap<>();
        keys.forEach(key -> byKey.put(key(key), key));
        Map<K, V> found = new LinkedHashMap<>();
        store.getMany(byKey.keySet()).forEach((key, value) -> found.put(byKey.get(key), values.decode(value)));
        return found;
    }

    public void setMany(Map<K, V> entries) {
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        entries.forEach((key, value) -> encoded.put(key(key), encode(value)));
        store.setMany(encoded);
    }

    public void setMany(Map<K, V> entries, Duration ttl) {
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        entries.forEach((key, value) -> encoded.put(key(key), encode(value)));
        store.setMany(encoded, ttl);
    }

    public List<K> keys(ScanOptions options) {
        return store.keys(options).stream().map(keys::fromKey).toList();
    }

    public Map<K, V> scan(ScanOptions options) {
        Map<K, V> entries = new LinkedHashMap<>();
        store.scan(options).forEach(entry -> entries.put(keys.fromKey(entry.key()), values.decode(entry.value())));
        return entries;
    }

    // What KvStore does, for typed values.

    /**
     * A live entry with its value decoded: the typed {@link Entry}.
     *
     * @param version 1 when the entry was created, one more with every write since (for {@link #setIfVersion})
     */
    public record TypedEntry<K, V>(
            K key, V value, long version, Instant createdAt, Instant updatedAt, Optional<Instant> expiresAt) {}

    /** What {@link #compareAndSwap} did: swapped, or not, with the value found (empty when absent). */
    public record Swap<V>(CasResult.Outcome outcome, Optional<V> current) {
        public boolean isSwapped() {
            return outcome == CasResult.Outcome.SWAPPED;
        }
    }

    private TypedEntry<K, V> typed(Entry entry) {
        return new TypedEntry<>(
                keys.fromKey(entry.key()),
                values.decode(entry.value()),
                entry.version(),
                entry.createdAt(),
                entry.updatedAt(),
                entry.expiresAt());
    }

    /** The value of {@code key} with its version and times; see {@link KvStore#getEntry}. */
    public Optional<TypedEntry<K, V>> getEntry(K key) {
        return store.getEntry(key(key)).map(this::typed);
    }

    /** See {@link KvStore#set(String, byte[], Expiry)}: e.g. {@code Expiry.idle(Duration.ofMinutes(30))}. */
    public void set(K key, V value, Expiry expiry) {
        store.set(key(key), encode(value), expiry);
    }

    public boolean setIfAbsent(K key, V value, Expiry expiry) {
        return store.setIfAbsent(key(key), encode(value), expiry);
    }

    public boolean expire(K key, Expiry expiry) {
        return store.expire(key(key), expiry);
    }

    /** See {@link KvStore#persist}. */
    public boolean persist(K key) {
        return store.persist(key(key));
    }

    /**
     * Stores {@code value} only if the entry is at {@code expectedVersion} ({@link KvStore#ABSENT}: absent).
     *
     * @return the entry's new version
     * @throws VersionConflictException if it is at another version; nothing changed
     */
    public long setIfVersion(K key, V value, long expectedVersion) {
        return store.setIfVersion(key(key), encode(value), expectedVersion);
    }

    /** See {@link KvStore#deleteIfVersion}. */
    public void deleteIfVersion(K key, long expectedVersion) {
        store.deleteIfVersion(key(key), expectedVersion);
    }

    /**
     * Atomically replaces the value with {@code replacement} if it is {@code expected} as the codec encodes
     * it (null: only if absent); see {@link KvStore#compareAndSwap}.
     */
    public Swap<V> compareAndSwap(K key, V expected, V replacement) {
        CasResult result =
                store.compareAndSwap(key(key), expected == null ? null : encode(expected), encode(replacement));
        return new Swap<>(result.outcome(), result.current().map(values::decode));
    }

    public Optional<V> getAndSet(K key, V value, Duration ttl) {
        return store.getAndSet(key(key), encode(value), ttl).map(values::decode);
    }

    /**
     * Atomically adds {@code delta} to the counter under {@code key}; see {@link KvStore#increment}. A counter
     * is stored as its decimal digits, so the typed reads of it need a codec that decodes them, such as
     * {@code ValueCodec.json(Long.class)}.
     *
     * @throws TypeMismatchException if the stored value is not an integer
     */
    public long increment(K key, long delta) {
        return store.increment(key(key), delta);
    }

    public long increment(K key) {
        return store.increment(key(key));
    }

    public long decrement(K key, long delta) {
        return store.decrement(key(key), delta);
    }

    public long decrement(K key) {
        return store.decrement(key(key));
    }

    /** Deletes {@code keys}; the number of live entries deleted. */
    public long deleteMany(Collection<K> keys) {
        OperationFront.notNull(keys, "keys");
        List<String> mapped = new ArrayList<>();
        keys.forEach(key -> mapped.add(key(key)));
        return store.deleteMany(mapped);
    }

    public long count(ScanOptions options) {
        return store.count(options);
    }

    public long delete(ScanOptions options) {
        return store.delete(options);
    }

    /** Deletes every entry of the store underneath (of its namespace, if it is one); how many were live. */
    public long clear() {
        return store.clear();
    }

    /** See {@link KvStore#stream(ScanOptions, int)}: lazy, paged by key, closable. */
    public Stream<TypedEntry<K, V>> stream(ScanOptions options, int pageSize) {
        return store.stream(options, pageSize).map(this::typed);
    }

    /**
     * Runs {@code work} atomically on this typed view of the transaction's store; see {@link
     * KvStore#inTransaction}.
     */
    public <T> T inTransaction(Function<TypedKvStore<K, V>, T> work) {
        OperationFront.notNull(work, "work");
        return store.inTransaction(transaction -> work.apply(new TypedKvStore<>(transaction, keys, values)));
    }

    @Override
    public String toString() {
        return "TypedKvStore[" + store + "]";
    }
}
