package dev.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A view of a BYTEA store that encrypts every value before it leaves the JVM and decrypts it on the
 * way back: the database, its logs and its backups only ever hold ciphertext. Keys, expiry and
 * versions stay readable (they are needed to find and expire entries). Each ciphertext is bound to
 * where it is stored, the schema-qualified table and the full stored key (a namespace's included,
 * whether the namespace is a view over this one or this one a view over a namespace): copied to another
 * key, namespace or table it is a {@link DecryptionException}. Counters and compare-and-swap work on the
 * decrypted values, under the row lock. Locks go to the store it wraps, whose fencing tokens they need: a
 * lock entry ({@code {"owner":…,"token":…}}) is kept unencrypted, and reading it through this view is a
 * {@link DecryptionException} — ask {@link #lockStatus} instead. Its {@link #stats()} are the store's: value bytes
 * are ciphertext bytes. A view made by {@link KvStore#encrypted} does not own the store and closing it
 * does nothing; one a factory opened for {@link KvConfig#encryptor()} owns it.
 */
public final class EncryptedKvStore extends ForwardingKvStore {

    private final Encryptor encryptor;
    private final KvConfig config;
    private final boolean ownsStore;
    /** The first part of every associated data: the table's name, after its length. */
    private final byte[] table;

    EncryptedKvStore(KvStore store, Encryptor encryptor) {
        this(store, encryptor, false);
    }

    private EncryptedKvStore(KvStore store, Encryptor encryptor, boolean ownsStore) {
        super(store);
        this.ownsStore = ownsStore;
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
        byte[] name = (store.config().schema() + "." + store.config().table()).getBytes(StandardCharsets.UTF_8);
        this.table = ByteBuffer.allocate(4 + name.length)
                .putInt(name.length)
                .put(name)
                .array();
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
        return encryptor.encrypt(plaintext, location(key));
    }

    private byte[] open(String key, byte[] ciphertext) {
        return encryptor.decrypt(ciphertext, encryptor.boundToLocation(ciphertext) ? location(key) : utf8(key));
    }

    /** Where the entry of {@code key} is stored: {@code [table length][table][full stored key]}, in UTF-8. */
    private byte[] location(String key) {
        byte[] stored = utf8(ForwardingKvStore.storedKey(delegate(), key));
        return ByteBuffer.allocate(table.length + stored.length)
                .put(table)
                .put(stored)
                .array();
    }

    private static byte[] utf8(String key) {
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
     * Re-encrypts, with the current key and bound to its location, every entry written under another
     * key or in the earlier format bound only to the key this view is given, reading
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
        List<Entry> entries = delegate().scan(page);
        while (!entries.isEmpty()) {
            for (Entry entry : entries) {
                if (stale(entry.value(), current)) {
                    String key = entry.key();
                    boolean[] changed = new boolean[1];
                    delegate().update(key, stored -> {
                        if (stored == null || !stale(stored, current)) {
                            return stored;
                        }
                        changed[0] = true;
                        return encryptor.encrypt(open(key, stored), location(key));
                    });
                    rewritten += changed[0] ? 1 : 0;
                }
            }
            entries = delegate().scan(page.after(entries.get(entries.size() - 1).key()));
        }
        return rewritten;
    }

    private boolean stale(byte[] ciphertext, String currentKeyId) {
        return !encryptor.boundToLocation(ciphertext)
                || !encryptor.keyIdOf(ciphertext).equals(currentKeyId);
    }

    @Override
    protected KvStore over(KvStore transaction) {
        return new EncryptedKvStore(transaction, encryptor);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return super.get(key).map(value -> open(key, value));
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        return super.getEntry(key).map(this::opened);
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
    public byte[] getOrThrow(String key) {
        return open(key, super.getOrThrow(key));
    }

    @Override
    public void set(String key, byte[] value) {
        super.set(key, seal(key, value));
    }

    @Override
    public void set(String key, byte[] value, Expiry expiry) {
        super.set(key, seal(key, value), expiry);
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Expiry expiry) {
        return super.setIfAbsent(key, seal(key, value), expiry);
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        super.set(key, seal(key, value), ttl);
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value) {
        return super.setIfAbsent(key, seal(key, value));
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Duration ttl) {
        return super.setIfAbsent(key, seal(key, value), ttl);
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        return super.setIfVersion(key, seal(key, value), expectedVersion);
    }

    @Override
    public Optional<byte[]> update(String key, UnaryOperator<byte[]> fn) {
        return super.update(key, sealed(key, fn)).map(value -> open(key, value));
    }

    @Override
    public Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        return super.update(key, ttl, sealed(key, fn)).map(value -> open(key, value));
    }

    /** Decrypts, adds and encrypts under the row lock: the database cannot add to a ciphertext. */
    @Override
    public long increment(String key, long delta) {
        return DerivedOperations.increment(this, key, delta);
    }

    @Override
    public long increment(String key) {
        return increment(key, 1);
    }

    @Override
    public long decrement(String key, long delta) {
        return DerivedOperations.decrement(this, key, delta);
    }

    @Override
    public long decrement(String key) {
        return decrement(key, 1);
    }

    /** Compares decrypted values, under the row lock. */
    @Override
    public CasResult compareAndSwap(String key, byte[] expected, byte[] replacement) {
        return DerivedOperations.compareAndSwap(this, key, expected, replacement, null);
    }

    @Override
    public CasResult compareAndSwap(String key, byte[] expected, byte[] replacement, Duration ttl) {
        return DerivedOperations.compareAndSwap(
                this, key, expected, replacement, config().limits().checkTtl(ttl));
    }

    @Override
    public Optional<byte[]> getAndSet(String key, byte[] value) {
        return DerivedOperations.getAndSet(this, key, value, null);
    }

    @Override
    public Optional<byte[]> getAndSet(String key, byte[] value, Duration ttl) {
        return DerivedOperations.getAndSet(this, key, value, ttl);
    }

    @Override
    public Optional<byte[]> getAndDelete(String key) {
        return super.getAndDelete(key).map(value -> open(key, value));
    }

    @Override
    public List<Long> apply(List<Mutation> mutations) {
        if (mutations == null) {
            throw new KvValidationException("mutations must not be null");
        }
        return super.apply(mutations.stream()
                .map(m -> m == null || m.kind() != Mutation.Kind.PUT
                        ? m
                        : m.withValue(seal(m.key(), m.value().orElseThrow())))
                .toList());
    }

    @Override
    public List<Entry> scan(ScanOptions options) {
        return super.scan(options).stream().map(this::opened).toList();
    }

    @Override
    protected Map<String, byte[]> delegateEntries(Map<String, byte[]> entries) {
        return rewritten(entries, key -> key, this::seal);
    }

    @Override
    protected Map<String, byte[]> returnedEntries(Map<String, byte[]> entries) {
        return rewritten(entries, key -> key, this::open);
    }

    /** The store's changes with their values decrypted. */
    @Override
    public ChangeStream changes() {
        return new ViewChangeStream(
                super.changes(),
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
            super.close();
        }
    }

    @Override
    public String toString() {
        return "encrypted " + delegate() + " with " + encryptor;
    }
}
