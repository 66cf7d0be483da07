package dev.kv;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A view of a store in which every key lives under {@code a:b:}: keys are prefixed on the way in and
 * stripped on the way out, and scans, counts and clear never leave the namespace. The view does not
 * own the store; closing it does nothing.
 */
final class NamespacedKvStore implements KvStore {

    private final KvStore store;
    private final String prefix;
    private final KvConfig config;

    NamespacedKvStore(KvStore store, List<String> path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a namespace needs at least one name");
        }
        for (String name : path) {
            if (name == null || name.isEmpty() || name.contains(SEPARATOR)) {
                throw new IllegalArgumentException(
                        "namespace names must be non-empty and free of '" + SEPARATOR + "', but was " + path);
            }
            store.config().limits().checkPrefix(name);
        }
        this.store = store;
        this.prefix = String.join(SEPARATOR, path) + SEPARATOR;
        Limits outer = store.config().limits();
        int room = outer.maxKeyBytes() - prefix.getBytes(StandardCharsets.UTF_8).length;
        if (room < 1) {
            throw new IllegalArgumentException(
                    "namespace " + path + " leaves no room for keys of at most " + outer.maxKeyBytes() + " bytes");
        }
        this.config = store.config().toBuilder()
                .limits(new Limits(room, outer.maxValueBytes()))
                .build();
    }

    private NamespacedKvStore(KvStore store, String prefix, KvConfig config) {
        this.store = store;
        this.prefix = prefix;
        this.config = config;
    }

    static final String SEPARATOR = ":";

    private String inner(String key) {
        config.limits().checkKey(key);
        return prefix + key;
    }

    private String outer(String innerKey) {
        return innerKey.substring(prefix.length());
    }

    private Entry outer(Entry entry) {
        return new Entry(
                outer(entry.key()),
                entry.value(),
                entry.version(),
                entry.createdAt(),
                entry.updatedAt(),
                entry.expiresAt());
    }

    private List<String> inner(Collection<String> keys) {
        if (keys == null) {
            throw new KvValidationException("keys must not be null");
        }
        return keys.stream().map(this::inner).toList();
    }

    @Override
    public Optional<byte[]> get(String key) {
        return store.get(inner(key));
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        return store.getEntry(inner(key)).map(this::outer);
    }

    @Override
    public void set(String key, byte[] value) {
        store.set(inner(key), value);
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        store.set(inner(key), value, ttl);
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value) {
        return store.setIfAbsent(inner(key), value);
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Duration ttl) {
        return store.setIfAbsent(inner(key), value, ttl);
    }

    @Override
    public boolean delete(String key) {
        return store.delete(inner(key));
    }

    @Override
    public boolean exists(String key) {
        return store.exists(inner(key));
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return store.expire(inner(key), ttl);
    }

    @Override
    public boolean persist(String key) {
        return store.persist(inner(key));
    }

    @Override
    public Ttl ttl(String key) {
        return store.ttl(inner(key));
    }

    @Override
    public Optional<byte[]> update(String key, UnaryOperator<byte[]> fn) {
        return store.update(inner(key), fn);
    }

    @Override
    public Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        return store.update(inner(key), ttl, fn);
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        return store.setIfVersion(inner(key), value, expectedVersion);
    }

    @Override
    public void deleteIfVersion(String key, long expectedVersion) {
        store.deleteIfVersion(inner(key), expectedVersion);
    }

    @Override
    public <T> T inTransaction(Function<KvStore, T> work) {
        Objects.requireNonNull(work, "work must not be null");
        return store.inTransaction(tx -> work.apply(new NamespacedKvStore(tx, prefix, config)));
    }

    @Override
    public List<Boolean> apply(List<Mutation> mutations) {
        if (mutations == null) {
            throw new KvValidationException("mutations must not be null");
        }
        return store.apply(mutations.stream()
                .map(m -> new Mutation(inner(m.key()), m.value(), m.ttl()))
                .toList());
    }

    @Override
    public List<String> keys(String prefix) {
        config.limits().checkPrefix(prefix);
        return store.keys(this.prefix + prefix).stream().map(this::outer).toList();
    }

    @Override
    public List<String> keys(ScanOptions options) {
        return store.keys(options.within(prefix)).stream().map(this::outer).toList();
    }

    @Override
    public List<Entry> scan(ScanOptions options) {
        return store.scan(options.within(prefix)).stream().map(this::outer).toList();
    }

    @Override
    public long count(ScanOptions options) {
        return store.count(options.within(prefix));
    }

    @Override
    public long delete(ScanOptions options) {
        return store.delete(options.within(prefix));
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        store.getMany(inner(keys)).forEach((key, value) -> values.put(outer(key), value));
        return values;
    }

    @Override
    public void setMany(Map<String, byte[]> entries) {
        store.setMany(inner(entries));
    }

    @Override
    public void setMany(Map<String, byte[]> entries, Duration ttl) {
        store.setMany(inner(entries), ttl);
    }

    private Map<String, byte[]> inner(Map<String, byte[]> entries) {
        if (entries == null) {
            throw new KvValidationException("entries must not be null");
        }
        Map<String, byte[]> inner = new LinkedHashMap<>();
        entries.forEach((key, value) -> inner.put(inner(key), value));
        return inner;
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        return store.deleteMany(inner(keys));
    }

    @Override
    public long increment(String key, long delta) {
        return store.increment(inner(key), delta);
    }

    /**
     * The changes of this namespace's keys, without the prefix, and consumers of its own. Seqs and
     * {@link ChangeStream#lastSeq()} are the whole store's, so a consumer's lag counts other
     * namespaces' changes too; {@code trim} deletes only this namespace's changes.
     */
    @Override
    public ChangeStream changes() {
        return new ViewChangeStream(
                store.changes(), prefix, change -> change.withKeyAndValue(outer(change.key()), change.value()));
    }

    /** Cleans up the whole store: expired entries of other namespaces go too. */
    @Override
    public long cleanupExpired() {
        return store.cleanupExpired();
    }

    /** The counters of the whole store: namespaces share them. */
    @Override
    public KvStats stats() {
        return store.stats();
    }

    @Override
    public KvConfig config() {
        return config;
    }

    @Override
    public void close() {
        // The view does not own the store.
    }

    @Override
    public String toString() {
        return "namespace " + prefix + " of " + store;
    }
}
