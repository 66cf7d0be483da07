package dev.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A view of a store in which every key lives under its namespace's prefix: keys are prefixed on the way in
 * and stripped on the way out, and scans, counts and clear never leave the namespace. The prefix of one name
 * is {@code a:}, that of a path of n names {@code :n:a:b:}; as names are free of {@code :}, no namespace's
 * prefix starts with another's, so no two namespaces, nested ones included, share a key. A namespace of a
 * namespace is the namespace of the joined path over the same store. The view does not own the store;
 * closing it does nothing. What is not about this namespace's keys is the whole store's: {@code
 * cleanupExpired} removes expired entries of other namespaces too, and namespaces share the {@code stats}.
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

    @Override
    protected KvStore over(KvStore transaction) {
        return new NamespacedKvStore(transaction, path, prefix, config);
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        return super.getEntry(key).map(this::outer);
    }

    /** Names the key without the namespace when it is missing. */
    @Override
    public byte[] getOrThrow(String key) {
        return get(key).orElseThrow(() -> new KeyNotFoundException(key));
    }

    @Override
    protected Collection<String> delegateKeys(Collection<String> keys) {
        if (keys == null) {
            throw new KvValidationException("keys must not be null");
        }
        return keys.stream().map(this::inner).toList();
    }

    @Override
    protected Map<String, byte[]> delegateEntries(Map<String, byte[]> entries) {
        return rewritten(entries, this::inner, (key, value) -> value);
    }

    @Override
    protected Map<String, byte[]> returnedEntries(Map<String, byte[]> entries) {
        return rewritten(entries, this::outer, (key, value) -> value);
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
