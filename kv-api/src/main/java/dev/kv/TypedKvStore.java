package dev.kv;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

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

    @Override
    public String toString() {
        return "TypedKvStore[" + store + "]";
    }
}
