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
 * A view of a BYTEA store that encrypts every value before it leaves the JVM and decrypts it on the
 * way back: the database, its logs and its backups only ever hold ciphertext. Keys, expiry and
 * versions stay readable (they are needed to find and expire entries). Each ciphertext is bound to
 * its key, so it cannot be copied to another key. Counters and compare-and-swap work on the
 * decrypted values, under the row lock. A view made by {@link KvStore#encrypted} does not own the
 * store and closing it does nothing; one a factory opened for {@link KvConfig#encryptor()} owns it.
 */
public final class EncryptedKvStore implements KvStore {

    private final KvStore store;
    private final Encryptor encryptor;
    private final KvConfig config;
    private final boolean ownsStore;

    EncryptedKvStore(KvStore store, Encryptor encryptor) {
        this(store, encryptor, false);
    }

    private EncryptedKvStore(KvStore store, Encryptor encryptor, boolean ownsStore) {
        this.ownsStore = ownsStore;
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.encryptor = Objects.requireNonNull(encryptor, "encryptor must not be null");
        if (store.config().format() != ValueFormat.BYTEA) {
            throw new IllegalArgumentException("an encrypted store keeps ciphertext and needs a BYTEA store, but "
                    + store.config().table() + " is " + store.config().format());
        }
        Limits outer = store.config().limits();
        int room = outer.maxValueBytes() - encryptor.overhead();
        if (room < 1) {
            throw new IllegalArgumentException("values of at most " + outer.maxValueBytes()
                    + " bytes leave no room for the encryption overhead of " + encryptor.overhead() + " bytes");
        }
        this.config = store.config().toBuilder()
                .limits(new Limits(outer.maxKeyBytes(), room))
                .encryptor(encryptor)
                .build();
    }

    /**
     * For store factories applying {@link KvConfig#encryptor()}: the configuration to open the store
     * underneath with — values larger by the encryption overhead, so that the view takes the limits
     * {@code config} asks for, and no encryptor of its own. Without an encryptor, {@code config} itself.
     */
    public static KvConfig storeConfig(KvConfig config) {
        return config.encryptor()
                .map(encryptor -> config.toBuilder()
                        .limits(new Limits(
                                config.limits().maxKeyBytes(), config.limits().maxValueBytes() + encryptor.overhead()))
                        .encryptor(null)
                        .build())
                .orElse(config);
    }

    /**
     * For store factories applying {@link KvConfig#encryptor()}: {@code store}, opened with {@link
     * #storeConfig storeConfig(config)}, seen through a view that encrypts with the encryptor of
     * {@code config} and owns the store (closing the view closes it); its configuration is {@code
     * config}. Without an encryptor, {@code store} itself.
     */
    public static KvStore configured(KvStore store, KvConfig config) {
        return config.encryptor()
                .<KvStore>map(encryptor -> new EncryptedKvStore(store, encryptor, true))
                .orElse(store);
    }

    private byte[] seal(String key, byte[] plaintext) {
        config.limits().checkValue(plaintext);
        return encryptor.encrypt(plaintext, associatedData(key));
    }

    private byte[] open(String key, byte[] ciphertext) {
        return encryptor.decrypt(ciphertext, associatedData(key));
    }

    private static byte[] associatedData(String key) {
        return key == null ? new byte[0] : key.getBytes(StandardCharsets.UTF_8);
    }

    private UnaryOperator<byte[]> sealed(String key, UnaryOperator<byte[]> fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        return current -> {
            byte[] next = fn.apply(current == null ? null : open(key, current));
            return next == null ? null : seal(key, next);
        };
    }

    /**
     * Re-encrypts, with the current key, every entry written under another key, reading
     * {@code batchSize} keys at a time in key order. Each entry is rewritten under its row lock,
     * keeping its expiry; entries written meanwhile already use the current key.
     *
     * @return the number of entries re-encrypted
     */
    public long reencrypt(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, but was " + batchSize);
        }
        String current = encryptor.currentKeyId();
        long rewritten = 0;
        ScanOptions page = ScanOptions.all().limit(batchSize);
        List<Entry> entries = store.scan(page);
        while (!entries.isEmpty()) {
            for (Entry entry : entries) {
                if (!encryptor.keyIdOf(entry.value()).equals(current)) {
                    String key = entry.key();
                    boolean[] changed = new boolean[1];
                    store.update(key, stored -> {
                        if (stored == null || encryptor.keyIdOf(stored).equals(current)) {
                            return stored;
                        }
                        changed[0] = true;
                        return encryptor.encrypt(open(key, stored), associatedData(key));
                    });
                    rewritten += changed[0] ? 1 : 0;
                }
            }
            entries = store.scan(page.after(entries.get(entries.size() - 1).key()));
        }
        return rewritten;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return store.get(key).map(value -> open(key, value));
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        return store.getEntry(key).map(this::opened);
    }

    private Entry opened(Entry entry) {
        return new Entry(
                entry.key(),
                open(entry.key(), entry.value()),
                entry.version(),
                entry.createdAt(),
                entry.updatedAt(),
                entry.expiresAt());
    }

    @Override
    public void set(String key, byte[] value) {
        store.set(key, seal(key, value));
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        store.set(key, seal(key, value), ttl);
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value) {
        return store.setIfAbsent(key, seal(key, value));
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Duration ttl) {
        return store.setIfAbsent(key, seal(key, value), ttl);
    }

    @Override
    public boolean delete(String key) {
        return store.delete(key);
    }

    @Override
    public boolean exists(String key) {
        return store.exists(key);
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return store.expire(key, ttl);
    }

    @Override
    public boolean persist(String key) {
        return store.persist(key);
    }

    @Override
    public Ttl ttl(String key) {
        return store.ttl(key);
    }

    @Override
    public Optional<byte[]> update(String key, UnaryOperator<byte[]> fn) {
        return store.update(key, sealed(key, fn)).map(value -> open(key, value));
    }

    @Override
    public Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        return store.update(key, ttl, sealed(key, fn)).map(value -> open(key, value));
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        return store.setIfVersion(key, seal(key, value), expectedVersion);
    }

    @Override
    public void deleteIfVersion(String key, long expectedVersion) {
        store.deleteIfVersion(key, expectedVersion);
    }

    @Override
    public <T> T inTransaction(Function<KvStore, T> work) {
        Objects.requireNonNull(work, "work must not be null");
        return store.inTransaction(tx -> work.apply(new EncryptedKvStore(tx, encryptor)));
    }

    @Override
    public List<Boolean> apply(List<Mutation> mutations) {
        if (mutations == null) {
            throw new KvValidationException("mutations must not be null");
        }
        return store.apply(mutations.stream()
                .map(m -> new Mutation(m.key(), m.value().map(value -> seal(m.key(), value)), m.ttl()))
                .toList());
    }

    @Override
    public List<String> keys(String prefix) {
        return store.keys(prefix);
    }

    @Override
    public List<String> keys(ScanOptions options) {
        return store.keys(options);
    }

    @Override
    public List<Entry> scan(ScanOptions options) {
        return store.scan(options).stream().map(this::opened).toList();
    }

    @Override
    public long count(ScanOptions options) {
        return store.count(options);
    }

    @Override
    public long delete(ScanOptions options) {
        return store.delete(options);
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        store.getMany(keys).forEach((key, value) -> values.put(key, open(key, value)));
        return values;
    }

    @Override
    public void setMany(Map<String, byte[]> entries) {
        store.setMany(sealed(entries));
    }

    @Override
    public void setMany(Map<String, byte[]> entries, Duration ttl) {
        store.setMany(sealed(entries), ttl);
    }

    private Map<String, byte[]> sealed(Map<String, byte[]> entries) {
        if (entries == null) {
            throw new KvValidationException("entries must not be null");
        }
        Map<String, byte[]> sealed = new LinkedHashMap<>();
        entries.forEach((key, value) -> sealed.put(key, seal(key, value)));
        return sealed;
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        return store.deleteMany(keys);
    }

    /** Decrypts, adds and encrypts under the row lock: the database cannot add to a ciphertext. */
    @Override
    public long increment(String key, long delta) {
        return KvStore.super.increment(key, delta);
    }

    @Override
    public long cleanupExpired() {
        return store.cleanupExpired();
    }

    /** The counters of the store underneath; value bytes are ciphertext bytes. */
    @Override
    public KvStats stats() {
        return store.stats();
    }

    /** The store's changes with their values decrypted. */
    @Override
    public ChangeStream changes() {
        return new ViewChangeStream(
                store.changes(),
                "",
                change -> change.withKeyAndValue(change.key(), change.value().map(value -> open(change.key(), value))));
    }

    @Override
    public KvConfig config() {
        return config;
    }

    /** Closes the store underneath only if the view was opened from {@link KvConfig#encryptor()}. */
    @Override
    public void close() {
        if (ownsStore) {
            store.close();
        }
    }

    @Override
    public String toString() {
        return "encrypted " + store + " with " + encryptor;
    }
}
