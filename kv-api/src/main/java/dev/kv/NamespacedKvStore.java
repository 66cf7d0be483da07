package dev.kv;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A view of a store in which every key lives under its namespace's prefix: keys are prefixed on the way in
 * and stripped on the way out, and scans, counts and clear never leave the namespace. The prefix of one name
 * is {@code a:}, that of a path of n names {@code :n:a:b:}; as names are free of {@code :}, no namespace's
 * prefix starts with another's, so no two namespaces, nested ones included, share a key. A namespace of a
 * namespace is the namespace of the joined path over the same store. The view does not own the store;
 * closing it does nothing.
 */
final class NamespacedKvStore extends ForwardingKvStore {

    private final List<String> path;
    private final String prefix;
    private final KvConfig config;

    /** The namespace {@code path} of {@code store}: of the store underneath, when {@code store} is a namespace. */
    static NamespacedKvStore of(KvStore store, List<String> path) {
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
        if (store instanceof NamespacedKvStore outer) {
            List<String> joined = new ArrayList<>(outer.path);
            joined.addAll(path);
            return of(outer.delegate(), joined);
        }
        String prefix = prefix(path);
        Limits outer = store.config().limits();
        int room = outer.maxKeyBytes() - prefix.getBytes(StandardCharsets.UTF_8).length;
        if (room < 1) {
            throw new IllegalArgumentException(
                    "namespace " + path + " leaves no room for keys of at most " + outer.maxKeyBytes() + " bytes");
        }
        KvConfig config = store.config().toBuilder()
                .limits(new Limits(room, outer.maxValueBytes()))
                .build();
        return new NamespacedKvStore(store, List.copyOf(path), prefix, config);
    }

    /**
     * {@code a:} for one name, {@code :n:a:b:} for n names: a one-name prefix starts with its name, a longer one
     * with the separator and then its length, so two different paths differ before either prefix ends.
     */
    static String prefix(List<String> path) {
        String names = String.join(SEPARATOR, path) + SEPARATOR;
        return path.size() == 1 ? names : SEPARATOR + path.size() + SEPARATOR + names;
    }

    private NamespacedKvStore(KvStore store, List<String> path, String prefix, KvConfig config) {
        super(store);
        this.path = path;
        this.prefix = prefix;
        this.config = config;
    }

    static final String SEPARATOR = ":";

    private String inner(String key) {
        config.limits().checkKey(key);
        return prefix + key;
    }

    @Override
    protected String delegateKey(String key) {
        return inner(key);
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
    protected KvStore over(KvStore transaction) {
        return new NamespacedKvStore(transaction, path, prefix, config);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return super.get(inner(key));
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        return super.getEntry(inner(key)).map(this::outer);
    }

    /** Names the key without the namespace when it is missing. */
    @Override
    public byte[] getOrThrow(String key) {
        return get(key).orElseThrow(() -> new KeyNotFoundException(key));
    }

    @Override
    public boolean exists(String key) {
        return super.exists(inner(key));
    }

    @Override
    public Ttl ttl(String key) {
        return super.ttl(inner(key));
    }

    @Override
    public void set(String key, byte[] value) {
        super.set(inner(key), value);
    }

    @Override
    public void set(String key, byte[] value, Expiry expiry) {
        super.set(inner(key), value, expiry);
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Expiry expiry) {
        return super.setIfAbsent(inner(key), value, expiry);
    }

    @Override
    public boolean expire(String key, Expiry expiry) {
        return super.expire(inner(key), expiry);
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        super.set(inner(key), value, ttl);
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value) {
        return super.setIfAbsent(inner(key), value);
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Duration ttl) {
        return super.setIfAbsent(inner(key), value, ttl);
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        return super.setIfVersion(inner(key), value, expectedVersion);
    }

    @Override
    public boolean delete(String key) {
        return super.delete(inner(key));
    }

    @Override
    public void deleteIfVersion(String key, long expectedVersion) {
        super.deleteIfVersion(inner(key), expectedVersion);
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return super.expire(inner(key), ttl);
    }

    @Override
    public boolean persist(String key) {
        return super.persist(inner(key));
    }

    @Override
    public Optional<byte[]> update(String key, UnaryOperator<byte[]> fn) {
        return super.update(inner(key), fn);
    }

    @Override
    public Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        return super.update(inner(key), ttl, fn);
    }

    @Override
    public long increment(String key, long delta) {
        return super.increment(inner(key), delta);
    }

    @Override
    public long increment(String key) {
        return super.increment(inner(key));
    }

    @Override
    public long decrement(String key, long delta) {
        return super.decrement(inner(key), delta);
    }

    @Override
    public long decrement(String key) {
        return super.decrement(inner(key));
    }

    @Override
    public CasResult compareAndSwap(String key, byte[] expected, byte[] replacement) {
        return super.compareAndSwap(inner(key), expected, replacement);
    }

    @Override
    public CasResult compareAndSwap(String key, byte[] expected, byte[] replacement, Duration ttl) {
        return super.compareAndSwap(inner(key), expected, replacement, ttl);
    }

    @Override
    public Optional<byte[]> getAndSet(String key, byte[] value) {
        return super.getAndSet(inner(key), value);
    }

    @Override
    public Optional<byte[]> getAndSet(String key, byte[] value, Duration ttl) {
        return super.getAndSet(inner(key), value, ttl);
    }

    @Override
    public Optional<byte[]> getAndDelete(String key) {
        return super.getAndDelete(inner(key));
    }

    @Override
    public byte[] patch(String key, byte[] mergePatch) {
        return super.patch(inner(key), mergePatch);
    }

    @Override
    public byte[] patch(String key, byte[] mergePatch, long expectedVersion) {
        return super.patch(inner(key), mergePatch, expectedVersion);
    }

    @Override
    public Optional<Lease> tryLock(String name, String owner, Duration lease) {
        return super.tryLock(inner(name), owner, lease).map(held -> held.named(name));
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration duration) {
        return super.renew(innerLease(lease), duration).map(held -> held.named(lease.name()));
    }

    @Override
    public boolean unlock(Lease lease) {
        return super.unlock(innerLease(lease));
    }

    @Override
    public Optional<Lease> lockStatus(String name) {
        return super.lockStatus(inner(name)).map(held -> held.named(name));
    }

    private Lease innerLease(Lease lease) {
        if (lease == null) {
            throw new KvValidationException("lease must not be null");
        }
        return lease.named(inner(lease.name()));
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        super.getMany(inner(keys)).forEach((key, value) -> values.put(outer(key), value));
        return values;
    }

    @Override
    public void setMany(Map<String, byte[]> entries) {
        super.setMany(inner(entries));
    }

    @Override
    public void setMany(Map<String, byte[]> entries, Duration ttl) {
        super.setMany(inner(entries), ttl);
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
        return super.deleteMany(inner(keys));
    }

    @Override
    public List<Long> apply(List<Mutation> mutations) {
        if (mutations == null) {
            throw new KvValidationException("mutations must not be null");
        }
        return super.apply(mutations.stream()
                .map(m -> m == null
                        ? null
                        : m.kind() == Mutation.Kind.DELETE_SELECTION
                                ? m.withSelection(m.selection().orElseThrow().within(prefix))
                                : m.withKey(inner(m.key())))
                .toList());
    }

    @Override
    public List<String> keys(String prefix) {
        config.limits().checkPrefix(prefix);
        return super.keys(this.prefix + prefix).stream().map(this::outer).toList();
    }

    @Override
    public List<String> keys(ScanOptions options) {
        return super.keys(options.within(prefix)).stream().map(this::outer).toList();
    }

    @Override
    public List<Entry> scan(ScanOptions options) {
        return super.scan(options.within(prefix)).stream().map(this::outer).toList();
    }

    @Override
    public long count(ScanOptions options) {
        return super.count(options.within(prefix));
    }

    @Override
    public long delete(ScanOptions options) {
        return super.delete(options.within(prefix));
    }

    @Override
    public long deletePrefix(String prefix) {
        config.limits().checkPrefix(prefix);
        return super.deletePrefix(this.prefix + prefix);
    }

    @Override
    public long deletePrefix(String prefix, int limit) {
        return delete(ScanOptions.prefix(prefix).limit(limit));
    }

    @Override
    public long deleteRange(String from, String to) {
        return delete(ScanOptions.range(from, to));
    }

    @Override
    public long deleteRange(String from, String to, int limit) {
        return delete(ScanOptions.range(from, to).limit(limit));
    }

    /** Deletes this namespace's entries, and only those. */
    @Override
    public long clear() {
        return super.deletePrefix(prefix);
    }

    /**
     * The changes of this namespace's keys, without the prefix, and consumers of its own. Seqs and
     * {@link ChangeStream#lastSeq()} are the whole store's, so a consumer's lag counts other
     * namespaces' changes too; {@code trim} deletes only this namespace's changes.
     */
    @Override
    public ChangeStream changes() {
        return new ViewChangeStream(
                super.changes(), prefix, change -> change.withKeyAndValue(outer(change.key()), change.value()));
    }

    /** Cleans up the whole store: expired entries of other namespaces go too. */
    @Override
    public long cleanupExpired() {
        return super.cleanupExpired();
    }

    /** The counters of the whole store: namespaces share them. */
    @Override
    public KvStats stats() {
        return super.stats();
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
        return "namespace " + path + " of " + delegate();
    }
}
